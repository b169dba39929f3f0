"""Thread replies, edits and deletions in quiz threads."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App

from bot.clock import Clock
from bot.services.answers import Answers, ReplyEvent
from bot.services.outbox import Outbox

# Subtypes that are still a person's reply; everything else is noise for the quiz.
_REPLY_SUBTYPES = {None, "thread_broadcast", "file_share"}


def text_field(data: Any, key: str) -> str | None:
    """A string field of a payload, or None when absent or of another type."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def dict_field(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def register(
    app: App, answers: Answers, outbox: Outbox, clock: Clock, background: Executor
) -> None:
    @app.event("message")
    def on_message(ack: Ack, event: dict[str, Any], body: dict[str, Any]) -> None:
        # Runs before the HTTP response (process_before_response): the answer is in the
        # database before Slack hears 200, and the reaction goes out afterwards.
        team_id = text_field(body, "team_id") or text_field(event, "team") or ""
        channel = text_field(event, "channel")
        subtype = event.get("subtype")
        owed = False
        if subtype == "message_changed":
            reply = _reply(team_id, channel, dict_field(event, "message"))
            if reply:
                owed = answers.edit(reply, clock.now())
        elif subtype == "message_deleted":
            previous = dict_field(event, "previous_message")
            thread_ts = text_field(previous, "thread_ts")
            deleted = text_field(event, "deleted_ts")
            if channel and thread_ts and deleted and thread_ts != deleted:
                answers.delete(team_id, channel, thread_ts, deleted)
        elif subtype is None or (isinstance(subtype, str) and subtype in _REPLY_SUBTYPES):
            reply = _reply(team_id, channel, event)
            if reply:
                owed = answers.record(reply, clock.now())
        ack()
        if owed:
            outbox.kick()


def _reply(team_id: str, channel: str | None, message: dict[str, Any]) -> ReplyEvent | None:
    """A human reply inside a thread, or None for anything else."""
    thread_ts, ts = text_field(message, "thread_ts"), text_field(message, "ts")
    user = text_field(message, "user")
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        return None
    if not (team_id and channel and thread_ts and ts and user) or thread_ts == ts:
        return None
    profile = dict_field(message, "user_profile")
    name = text_field(profile, "display_name") or text_field(profile, "real_name")
    return ReplyEvent(team_id, channel, thread_ts, ts, user,
                      text_field(message, "text") or "", name[:200] if name else None)
