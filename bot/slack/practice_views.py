"""What practice looks like: the private question, its answer, the answer form, the grade."""

from __future__ import annotations

import json
from typing import Any

from bot.quiz.grading import Grade
from bot.quiz.questions import Question
from bot.slack.blocks import Message, context, escape, read_more, section

SHOW = "quiz_practice_show"
NEXT = "quiz_practice_next"
SHARE = "quiz_practice_share"
ANSWER = "quiz_practice_answer"
ANSWER_FORM = "quiz_practice_form"


def _section(text: str) -> dict[str, Any]:
    return section(text[:2900])


def _button(action: str, label: str, value: dict[str, str]) -> dict[str, Any]:
    return {"type": "button", "action_id": action, "value": json.dumps(value),
            "text": {"type": "plain_text", "text": label}}


def _about(question: Question) -> dict[str, Any]:
    return context(f"Practice (not scored) · question {question.number} · "
                   f"{', '.join(question.tags)} · difficulty {question.difficulty}/3")


def practice_question(question: Question, flt: str) -> Message:
    value = {"q": question.id, "f": flt}
    blocks = [
        _section(question.question), _about(question),
        {"type": "actions", "block_id": "practice", "elements": [
            _button(ANSWER, "Answer", value), _button(SHOW, "Show answer", value),
            _button(NEXT, "Another one", value), _button(SHARE, "Share", value)]},
    ]
    return Message(f"Practice question: {question.question[:200]}", blocks)


def practice_answer(question: Question, flt: str, result: Grade | None = None) -> Message:
    points = "\n".join(
        f"{'✓' if result and result.points[i].made else '•'} {kp.text}"
        for i, kp in enumerate(question.key_points)
    )
    blocks = [
        _section(question.question), _section(f"*The answer*\n{question.answer}"),
        _section(f"*Key points*\n{points}"), read_more(question),
        {"type": "actions", "block_id": "practice", "elements": [
            _button(NEXT, "Another one", {"q": question.id, "f": flt})]},
    ]
    return Message(f"Answer to question {question.number}", blocks)


def answer_form(question: Question, flt: str, channel: str) -> dict[str, Any]:
    return {
        "type": "modal", "callback_id": ANSWER_FORM,
        "private_metadata": json.dumps({"q": question.id, "f": flt, "c": channel}),
        "title": {"type": "plain_text", "text": "Practice answer"},
        "submit": {"type": "plain_text", "text": "Grade it"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            _section(question.question),
            {"type": "input", "block_id": "answer", "label": {"type": "plain_text",
             "text": "Your answer"}, "element": {"type": "plain_text_input",
             "action_id": "text", "multiline": True, "max_length": 3000}},
        ],
    }


def graded_view(question: Question, result: Grade) -> dict[str, Any]:
    made = [p.text for p in result.points if p.made]
    missed = [p.text for p in result.points if not p.made]
    lines = [f"You made {len(made)} of {len(result.points)} key points."]
    if result.noise:
        lines = [f"That reads as {result.noise}: answer in a sentence or two."]
    lines += [f"✓ {escape(t)}" for t in made] + [f"✗ {escape(t)}" for t in missed]
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Your practice grade"},
        "close": {"type": "plain_text", "text": "Done"},
        "blocks": [_section("\n".join(lines)), _section(f"*The answer*\n{question.answer}"),
                   read_more(question)],
    }


def shared(question: Question, by: str) -> Message:
    text = (f"{escape(by)} shared a practice question for discussion (not scored):\n\n"
            f"{question.question}")
    return Message(f"Practice question {question.number} shared for discussion",
                   [_section(text),
                    context("Talk it over in the thread. `/quiz random` for your own.")])


def tag_list(counts: list[tuple[str, int]]) -> str:
    listed = ", ".join(f"{tag} ({n})" for tag, n in counts)
    return f"Tags and how many questions each: {listed}. e.g. `/quiz random migrations`"


def intro() -> str:
    return ("Hi! I'm Quizmaster: I post one Django question a day here, you answer in its "
            "thread, and I reveal the answer and grade everyone later. A quiz admin starts "
            "it with `/quiz schedule 09:30 Europe/Berlin mon-fri`. Until then I stay quiet; "
            "`/quiz` gives you a private practice question any time.")
