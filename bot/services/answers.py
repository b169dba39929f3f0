"""Record, edit and delete thread replies; queue what Slack should show afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.slack import blocks
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

ANSWER_REACTION = "white_check_mark"


@dataclass(frozen=True)
class ReplyEvent:
    team_id: str
    channel_id: str
    thread_ts: str
    message_ts: str
    user_id: str
    text: str
    display_name: str | None = None


class Answers:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def record(self, reply: ReplyEvent, now: datetime) -> list[int]:
        """Store a reply to a quiz thread; return the outbox items to send after the ack."""
        with self._uow() as uow:
            post = uow.posts.by_thread(reply.team_id, reply.channel_id, reply.thread_ts)
            if post is None:
                return []
            late = post.closed_at is not None
            uow.answers.upsert(post, reply.user_id, reply.message_ts, reply.text, late, now,
                               reply.display_name)
            if late:
                # One polite word per person and question, however many late replies.
                item = uow.outbox.add(
                    post.team_id, "ephemeral", f"late:{post.id}:{reply.user_id}",
                    {"channel": post.channel_id, "user": reply.user_id,
                     "thread_ts": post.message_ts, "text": blocks.late_notice()},
                    now,
                )
            else:
                item = _queue_reaction(uow, post.team_id, reply.channel_id, reply.message_ts, now)
            uow.commit()
        return [item] if item is not None else []

    def edit(self, reply: ReplyEvent, now: datetime) -> list[int]:
        """An edit before the reveal replaces the reply's text; after it, changes nothing."""
        with self._uow() as uow:
            post = uow.posts.by_thread(reply.team_id, reply.channel_id, reply.thread_ts)
            if post is None or post.closed_at is not None:
                return []
            new = uow.answers.upsert(
                post, reply.user_id, reply.message_ts, reply.text, False, now
            )
            item = (
                _queue_reaction(uow, post.team_id, reply.channel_id, reply.message_ts, now)
                if new
                else None
            )
            uow.commit()
        return [item] if item is not None else []

    def delete(self, team_id: str, channel_id: str, thread_ts: str, message_ts: str) -> bool:
        """A deleted reply stops counting, unless the question is already revealed."""
        with self._uow() as uow:
            post = uow.posts.by_thread(team_id, channel_id, thread_ts)
            if post is None or post.closed_at is not None:
                return False
            removed = uow.answers.remove(post.id, message_ts)
            uow.commit()
        return removed


def _queue_reaction(
    uow: UnitOfWork, team_id: str, channel: str, ts: str, now: datetime
) -> int | None:
    return uow.outbox.add(
        team_id, "reaction", f"react:{channel}:{ts}",
        {"channel": channel, "ts": ts, "name": ANSWER_REACTION}, now,
    )
