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


def register(
    app: App, answers: Answers, outbox: Outbox, clock: Clock, background: Executor
) -> None:
    @app.event("message")
    def on_message(ack: Ack, event: dict[str, Any], body: dict[str, Any]) -> None:
        # Runs before the HTTP response (process_before_response): the answer is in the
        # database before Slack hears 200, and the reaction goes out afterwards.
        team_id = str(body.get("team_id") or event.get("team") or "")
        subtype = event.get("subtype")
        items: list[int] = []
        if subtype == "message_changed":
            reply = _reply(team_id, event.get("channel"), event.get("message") or {})
            if reply:
                items = answers.edit(reply, clock.now())
        elif subtype == "message_deleted":
            previous = event.get("previous_message") or {}
            thread_ts, deleted = previous.get("thread_ts"), event.get("deleted_ts")
            if thread_ts and deleted and thread_ts != deleted:
                answers.delete(team_id, str(event.get("channel")), thread_ts, deleted)
        elif subtype in _REPLY_SUBTYPES:
            reply = _reply(team_id, event.get("channel"), event)
            if reply:
                items = answers.record(reply, clock.now())
        ack()
        if items:
            background.submit(outbox.send, items)


def _reply(team_id: str, channel: Any, message: dict[str, Any]) -> ReplyEvent | None:
    """A human reply inside a thread, or None for anything else."""
    thread_ts, ts, user = message.get("thread_ts"), message.get("ts"), message.get("user")
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        return None
    if not (team_id and channel and thread_ts and ts and user) or thread_ts == ts:
        return None
    return ReplyEvent(team_id, str(channel), str(thread_ts), str(ts), str(user),
                      str(message.get("text") or ""))
