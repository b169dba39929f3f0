"""Modals, direct messages and the App Home view: pure functions, like blocks.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.quiz.posts import Standing
from bot.quiz.questions import Question
from bot.slack.blocks import Message, context, escape, leaderboard, section

DISPUTE_FORM = "quiz_dispute_form"
REVOKE_FORM = "quiz_revoke_form"
GRANT_ACTION = "quiz_dispute_grant"
REFUSE_ACTION = "quiz_dispute_refuse"
HOME_BLOCK_LIMIT = 100


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def _key_point_options(question: Question, indexes: Sequence[int]) -> list[dict[str, Any]]:
    return [
        {"text": _plain(f"{i + 1}. {question.key_points[i].text}"), "value": str(i)}
        for i in indexes
    ]


def _key_point_input(options: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "input", "block_id": "key_point", "label": _plain("Key point"),
            "element": {"type": "static_select", "action_id": "choice", "options": options}}


def _note_input(label: str) -> dict[str, Any]:
    return {"type": "input", "block_id": "note", "optional": True, "label": _plain(label),
            "element": {"type": "plain_text_input", "action_id": "text", "multiline": True,
                        "max_length": 500}}


def dispute_modal(post_id: int, question: Question, missed: Sequence[int]) -> dict[str, Any]:
    options = _key_point_options(question, missed)
    return {
        "type": "modal",
        "callback_id": DISPUTE_FORM,
        "private_metadata": str(post_id),
        "title": _plain("Dispute my grade", 24),
        "submit": _plain("Send to quizmasters", 24),
        "close": _plain("Cancel", 24),
        "blocks": [
            section(f"Question {question.number}: which key point did your answer make?"),
            _key_point_input(options),
            _note_input("Where did you say it? (optional)"),
        ],
    }


def dispute_for_admins(dispute_id: int, answerer: str, question: Question, key_point: int,
                       note: str) -> Message:
    point = question.key_points[key_point].text
    text = (f"{escape(answerer)} disputes their grade on question {question.number}: "
            f"they say they made key point {key_point + 1}, \"{escape(point)}\".")
    blocks: list[dict[str, Any]] = [section(text, verbatim=True)]
    if note.strip():
        blocks.append(context(f"Their note: {escape(note.strip()[:500])}", verbatim=True))
    blocks.append({"type": "actions", "block_id": f"dispute_{dispute_id}", "elements": [
        {"type": "button", "style": "primary", "action_id": GRANT_ACTION,
         "value": str(dispute_id), "text": _plain("Grant the point")},
        {"type": "button", "action_id": REFUSE_ACTION, "value": str(dispute_id),
         "text": _plain("Refuse")},
    ]})
    return Message(text, blocks)


def dispute_decided(question: Question, key_point: int, granted: bool, by: str) -> Message:
    verdict = "granted" if granted else "refused"
    text = (f"Dispute on question {question.number}, key point {key_point + 1}: "
            f"{verdict} by {escape(by)}.")
    return Message(text, [section(text, verbatim=True)])


def dispute_outcome(question: Question, key_point: int, granted: bool) -> str:
    point = question.key_points[key_point].text
    if granted:
        return (f"Good news: a quizmaster agreed you made key point {key_point + 1} of "
                f"question {question.number} (\"{point}\"). Your score went up by 1.")
    return (f"A quizmaster looked at your dispute on question {question.number} "
            f"(\"{point}\") and kept the grade. The reference answer's links explain it.")


def revoke_modal(post_id: int, question: Question) -> dict[str, Any]:
    """A quizmaster names an answer and the key point the grader wrongly credited it."""
    options = _key_point_options(question, range(len(question.key_points)))
    return {
        "type": "modal",
        "callback_id": REVOKE_FORM,
        "private_metadata": str(post_id),
        "title": _plain("Take back a point", 24),
        "submit": _plain("Take it back", 24),
        "close": _plain("Cancel", 24),
        "blocks": [
            section(f"Question {question.number}: which answer got a key point it did not make? "
                    "The answerer is told, and can dispute it."),
            {"type": "input", "block_id": "answerer", "label": _plain("Whose answer"),
             "element": {"type": "users_select", "action_id": "user"}},
            _key_point_input(options),
            _note_input("Why (sent to them; optional)"),
        ],
    }


def revoke_done(question: Question, key_point: int, answerer: str) -> dict[str, Any]:
    text = (f"Done: key point {key_point + 1} of question {question.number} is taken back "
            f"from <@{answerer}>'s answer, and they have been told.")
    return {"type": "modal", "title": _plain("Take back a point", 24),
            "close": _plain("Close", 24), "blocks": [section(text)]}


def revoke_notice(question: Question, key_point: int, note: str) -> str:
    point = question.key_points[key_point].text
    text = (f"A quizmaster took back key point {key_point + 1} of question {question.number} "
            f"(\"{escape(point)}\") from your answer: the grader credited it, but they found "
            "the answer did not make it. Your score went down by 1.")
    if note.strip():
        text += f"\nTheir note: {escape(note.strip()[:500])}"
    return text + "\nIf you did make it, the reveal's dispute button asks the quizmasters again."


@dataclass(frozen=True)
class HomeStats:
    channel_id: str | None
    mine: Standing | None
    share: float
    best_streak: int
    board: list[Standing]
    names: dict[str, str]
    weak_tags: list[tuple[str, int]]
    missed: list[str]
    recent: list[tuple[Question, str]]
    disputes: list[tuple[int, str, Question, int, str]]


def home_view(stats: HomeStats) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain("Your Django quiz", 150)},
    ]
    if stats.mine is None:
        blocks.append(section("You haven't answered a question yet. Reply in the thread of the "
                              "next daily question to get on the board."))
    else:
        m = stats.mine
        blocks.append({"type": "section", "fields": [
            _field(f"*Points*\n{m.points}"), _field(f"*Rank*\n{m.rank}"),
            _field(f"*Answers*\n{m.answers}"),
            _field(f"*Key points made*\n{stats.share:.0%}"),
            _field(f"*Current streak*\n{m.streak}"),
            _field(f"*Best streak*\n{stats.best_streak}"),
        ]})
    if stats.board:
        blocks.append({"type": "divider"})
        blocks.extend(leaderboard(stats.board, stats.names, "this month").blocks)
    if stats.weak_tags or stats.missed:
        blocks.append({"type": "divider"})
        tags = ", ".join(f"{tag} ({n})" for tag, n in stats.weak_tags)
        lines = ["*What to read next*"]
        if tags:
            lines.append(f"Topics where you miss most key points: {tags}")
        lines += [f"• {escape(point)}" for point in stats.missed]
        blocks.append(section("\n".join(lines)[:2900]))
    if stats.recent:
        blocks.append({"type": "divider"})
        lines = ["*Recent questions*"] + [
            f"• <{link}|Question {q.number}>: {escape(q.question.splitlines()[0][:120])}"
            for q, link in stats.recent
        ]
        blocks.append(section("\n".join(lines)[:2900]))
    if stats.disputes:
        blocks.append({"type": "divider"})
        blocks.append(section("*Open disputes* (you are a quizmaster)"))
        for dispute_id, who, question, key_point, note in stats.disputes:
            blocks.extend(dispute_for_admins(dispute_id, who, question, key_point, note).blocks)
    return {"type": "home", "blocks": blocks[:HOME_BLOCK_LIMIT]}


def _field(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}
