"""Record, edit and delete thread replies; queue what Slack should show afterwards."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.services.errors import NotYet
from bot.services.group_commit import GroupCommit
from bot.slack import blocks
from storage.unit_of_work import UnitOfWorkFactory

IN_FLIGHT_WINDOW = timedelta(minutes=10)


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
    def __init__(self, uow: UnitOfWorkFactory,
                 on_time: Callable[[Sequence[dict[str, Any]]], list[bool]],
                 group_writes: bool = False) -> None:
        """on_time stores new replies to open questions in one transaction (the common
        case, see storage.repositories.OnTimeReplies). group_writes: share that
        transaction between concurrent replies. It pays where writers take turns anyway
        (SQLite); PostgreSQL runs them side by side, and measured slower with it."""
        self._uow = uow
        self._store_on_time = on_time
        self._on_time: GroupCommit[tuple[ReplyEvent, datetime], bool] | None = (
            GroupCommit(self._add_on_time) if group_writes else None
        )

    def _add_on_time(self, replies: Sequence[tuple[ReplyEvent, datetime]]) -> list[bool]:
        return self._store_on_time([
            {"team_id": r.team_id, "channel_id": r.channel_id, "thread_ts": r.thread_ts,
             "user_id": r.user_id, "message_ts": r.message_ts, "text": r.text,
             "display_name": r.display_name, "now": now}
            for r, now in replies
        ])

    def record(self, reply: ReplyEvent, now: datetime) -> bool:
        """Store a reply to a quiz thread; True if Slack calls are now owed (reaction, notice)."""
        stored = (self._on_time.run((reply, now)) if self._on_time
                  else self._add_on_time([(reply, now)])[0])
        if stored:
            return True
        with self._uow() as uow:
            post = uow.posts.by_thread(reply.team_id, reply.channel_id, reply.thread_ts)
            # Only for a little while: a post that keeps failing must not turn every other
            # thread's replies into errors for Slack.
            if post is None and uow.posts.in_flight(reply.team_id, reply.channel_id,
                                                    now - IN_FLIGHT_WINDOW):
                # The question may be in Slack while its ts is not stored yet (a crash
                # between the post and the record): this reply must not be dropped.
                raise NotYet(reply.thread_ts)
            if post is None:
                return False  # not a quiz thread
            if post.closed_at is None:
                # A redelivery (the insert changes nothing), or the question's ts was
                # stored just after the first statement looked for it: insert it now.
                new = uow.answers.add_reply(post, reply.user_id, reply.message_ts, reply.text,
                                            False, now, reply.display_name)
                uow.commit()
                return new
            uow.answers.add_reply(post, reply.user_id, reply.message_ts, reply.text, True, now,
                                  reply.display_name)
            # One polite word per person and question, however many late replies.
            item = uow.outbox.add(
                post.team_id, "ephemeral", f"late:{post.id}:{reply.user_id}",
                {"channel": post.channel_id, "user": reply.user_id,
                 "thread_ts": post.message_ts, "text": blocks.late_notice()},
                now,
            )
            uow.commit()
        return item is not None

    def edit(self, reply: ReplyEvent, now: datetime) -> bool:
        """An edit before the reveal replaces the reply's text; after it, changes nothing.

        True if the edit made a new answer (its reaction is then owed).
        """
        with self._uow() as uow:
            post = uow.posts.by_thread(reply.team_id, reply.channel_id, reply.thread_ts)
            if post is None or post.closed_at is not None:
                return False
            new = uow.answers.upsert(
                post, reply.user_id, reply.message_ts, reply.text, False, now
            )
            uow.commit()
        return new

    def delete(self, team_id: str, channel_id: str, thread_ts: str, message_ts: str) -> bool:
        """A deleted reply stops counting, unless the question is already revealed."""
        with self._uow() as uow:
            post = uow.posts.by_thread(team_id, channel_id, thread_ts)
            if post is None or post.closed_at is not None:
                return False
            removed = uow.answers.remove(post.id, message_ts)
            uow.commit()
        return removed

