"""Everything people see in Slack, as pure functions returning text and blocks."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.quiz.channels import ChannelConfig
from bot.quiz.durations import format_duration
from bot.quiz.posts import Result, Standing
from bot.quiz.questions import Question

if TYPE_CHECKING:
    from bot.services.cycle import Status

SECTION_LIMIT = 2900  # Slack allows 3,000; keep room for escaping.
BLOCKS_PER_MESSAGE = 45  # Slack allows 50.
# Slack can refuse a message as msg_blocks_too_long well before 50 full sections.
MESSAGE_TEXT_BUDGET = 12_000
QUESTION_EVENT = "quizmaster_question"
DISPUTE_ACTION = "quiz_dispute"
REVOKE_ACTION = "quiz_revoke"
REVEAL_EVENT = "quizmaster_reveal"


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def escape(text: str) -> str:
    """Make text people wrote inert: no pings, no links, no broken markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str, verbatim: bool = False) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": verbatim}}


def context(text: str, verbatim: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "mrkdwn", "text": text}
    if verbatim:
        element["verbatim"] = True
    return {"type": "context", "elements": [element]}


def read_more(question: Question) -> dict[str, Any]:
    """The question's documentation links, under the answer."""
    return context("Read more:\n" + "\n".join(f"• <{url}>" for url in question.references))


def _chunks(lines: Sequence[str], limit: int = SECTION_LIMIT) -> list[str]:
    """Join lines into pieces under the section limit, splitting over-long lines."""
    pieces: list[str] = []
    current = ""
    for line in lines:
        while len(line) > limit:
            pieces.append(line[:limit])
            line = line[limit:]
        if current and len(current) + 1 + len(line) > limit:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        pieces.append(current)
    return pieces


def _long_text_sections(text: str) -> list[dict[str, Any]]:
    return [section(piece) for piece in _chunks(text.split("\n"))]


def question_message(question: Question, reveal_at: str) -> Message:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Django question of the day"}},
        *_long_text_sections(question.question),
        context(
            f"Reply in this thread. The answer and everyone's results come {reveal_at}. "
            f"Question {question.number} · difficulty {question.difficulty}/3"
        ),
    ]
    return Message(f"Django question of the day: {question.question[:300]}", blocks)


def closed_question_message(question: Question) -> Message:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Django question (closed)"}},
        *_long_text_sections(question.question),
        context("Closed: the answer and the results are in this thread."),
    ]
    return Message(f"Django question (closed): {question.question[:300]}", blocks)


def skipped_question_message(question: Question) -> Message:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Django question (skipped)"}},
        *_long_text_sections(question.question),
        context("Skipped by a quizmaster: not scored. Today's question is the next one."),
    ]
    return Message(f"Django question (skipped): {question.question[:300]}", blocks)


def reveal_messages(
    question: Question, results: Sequence[Result], names: dict[str, str]
) -> list[Message]:
    """The reveal, chunked so no message passes Slack's block or text limits."""
    key_points = "\n".join(f"{i}. {kp.text}" for i, kp in enumerate(question.key_points, 1))
    blocks: list[dict[str, Any]] = [
        section("*The answer*"),
        *_long_text_sections(question.answer),
        section(f"*Key points*\n{key_points}"),
        read_more(question),
    ]
    if results:
        lines = [_result_line(r, names.get(r.user_id, r.user_id)) for r in results]
        header = f"*Results* ({len(results)} answer{'s' if len(results) != 1 else ''})"
        blocks.append(section(header))
        blocks.extend(section(piece, verbatim=True) for piece in _chunks(lines))
    else:
        blocks.append(section("*Results*\nNobody answered this one. Next time!"))
    messages = [
        Message(f"{'The answer' if i == 0 else 'Results, continued'}: question "
                f"{question.number}", part)
        for i, part in enumerate(_split_messages(blocks))
    ]
    if results:
        last = messages[-1]
        dispute = {
            "type": "actions",
            "block_id": "reveal_actions",
            "elements": [{
                "type": "button", "action_id": DISPUTE_ACTION, "value": "dispute",
                "text": {"type": "plain_text", "text": "I did say that: dispute my grade"},
            }, {
                # Everyone sees it (a channel message is the same for all); only quiz
                # admins get the form.
                "type": "button", "action_id": REVOKE_ACTION, "value": "revoke",
                "text": {"type": "plain_text", "text": "Quizmasters: take back a point"},
            }],
        }
        if len(last.blocks) < 50:
            messages[-1] = Message(last.text, [*last.blocks, dispute])
    return messages


def _result_line(result: Result, name: str) -> str:
    who = escape(name)
    if result.noise:
        return f"• {who}: 0 points ({escape(result.noise)}: answer in a sentence or two)"
    made = [str(i) for i, ok in enumerate(result.key_points, 1) if ok]
    points = f"{result.points} point{'s' if result.points != 1 else ''}"
    if made:
        plural = "s" if len(made) > 1 else ""
        detail = f"key point{plural} {', '.join(made)} of {len(result.key_points)}"
    else:
        detail = "no key points yet: the links above are a good read"
    bonus = f", +{result.bonus} award" if result.bonus else ""
    return f"• {who}: {points} ({detail}{bonus})"


def _split_messages(blocks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group blocks into messages under Slack's block count and a total text budget."""
    messages: list[list[dict[str, Any]]] = [[]]
    size = 0
    for block in blocks:
        length = len(json.dumps(block))
        if messages[-1] and (len(messages[-1]) >= BLOCKS_PER_MESSAGE
                             or size + length > MESSAGE_TEXT_BUDGET):
            messages.append([])
            size = 0
        messages[-1].append(block)
        size += length
    return messages


def late_notice() -> str:
    return (
        "Thanks for answering! This question was already revealed, so this reply "
        "isn't scored. The next question is on its way."
    )


def leaderboard(
    standings: Sequence[Standing], names: dict[str, str], period: str,
    caller: Standing | None = None,
) -> Message:
    """Top ten, ties sharing a rank, and the caller's own place when below them."""
    if not standings:
        text = (
            f"No scores yet for {period}. "
            "Answer today's question in its thread to get on the board."
        )
        return Message(text, [section(text)])
    lines = [_standing_line(s, names) for s in standings[:10]]
    if caller is not None and all(s.user_id != caller.user_id for s in standings[:10]):
        lines += ["…", _standing_line(caller, names) + "  ← you"]
    title = f"*Leaderboard, {period}*"
    return Message(f"Leaderboard, {period}", [section(title), section("\n".join(lines), True)])


def _standing_line(s: Standing, names: dict[str, str]) -> str:
    streak = f", streak {s.streak}" if s.streak > 1 else ""
    return (
        f"{s.rank}. {escape(names.get(s.user_id, s.user_id))}: {s.points} "
        f"point{'s' if s.points != 1 else ''} ({s.answers} answer{'s' if s.answers != 1 else ''}"
        f"{streak})"
    )


def weekly_digest(
    top: Sequence[Standing], names: dict[str, str], hardest: Question | None,
    share: float | None,
) -> Message:
    lines = ["*This week's quiz*"]
    if top:
        lines += [f"{s.rank}. {escape(names.get(s.user_id, s.user_id))}: {s.points} "
                  f"point{'s' if s.points != 1 else ''}" for s in top]
    else:
        lines.append("Nobody answered this week. Next week's questions are waiting!")
    if hardest is not None and share is not None:
        first_line = hardest.question.splitlines()[0][:200]
        lines.append(f"\nHardest question: {hardest.number}, \"{first_line}\" "
                     f"({share:.0%} of key points made)")
    text = "\n".join(lines)
    return Message("This week's quiz: top answerers and the hardest question",
                   [section(text, verbatim=True)])


def status_text(graded: int, overridden: int, rate: float) -> str:
    if not graded:
        return "No answers graded in the last 30 days yet."
    return (
        f"In the last 30 days {graded} answer{'s were' if graded != 1 else ' was'} graded; "
        f"quizmasters changed the grade {overridden} time{'s' if overridden != 1 else ''} "
        f"({rate:.0%}): awards, granted disputes and points taken back."
    )


def _local(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%a %d %b %H:%M %Z")


def describe_config(config: ChannelConfig) -> str:
    s = config.schedule
    tags = f"; only {', '.join(config.tags)}" if config.tags else ""
    state = " (paused)" if config.paused else ""
    return (f"{s.post_time:%H:%M} {s.timezone.key} {s.days}, revealed after "
            f"{format_duration(s.reveal_after)}{tags}{state}")


def status_message(status: Status, graded: int, overridden: int, rate: float) -> str:
    zone = status.config.schedule.timezone
    if not status.configured:
        lines = ["No daily question in this channel yet. Start it with "
                 "`/quiz schedule 09:30 Europe/Berlin mon-fri`."]
    else:
        lines = [f"*Daily question here*: {describe_config(status.config)}"]
        if status.next_post:
            lines.append(f"Next question: {_local(status.next_post, zone)}")
    if status.open_question and status.reveal_at:
        lines.append(f"Open now: question {status.open_question.number}, revealed "
                     f"{_local(status.reveal_at, zone)}")
    lines.append(f"Questions left in this round: {status.left_in_round} of "
                 f"{status.round_size}")
    lines.append(status_text(graded, overridden, rate))
    return "\n".join(lines)


def config_message(config: ChannelConfig, now: datetime) -> str:
    text = f"Done. Daily question here: {describe_config(config)}."
    if not config.paused:
        nxt = config.schedule.next_post_after(now)
        text += f" Next one: {_local(nxt, config.schedule.timezone)}."
    return text


