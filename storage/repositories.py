"""Repositories: domain objects in and out, guards as conditional SQL."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.quiz.posts import Post, Reply
from storage.dialects import dialect_of
from storage.models import AnswerRow, OutboxRow, PostRow, ScoreRow


def _per_dialect(build: Callable[[Any], Any]) -> dict[str, Any]:
    # Hot statements are built once; only their parameters change per request.
    return {"postgresql": build(postgresql.insert), "sqlite": build(sqlite.insert)}


_ADD_REPLY = _per_dialect(lambda insert: insert(AnswerRow.__table__)
                          .on_conflict_do_nothing(index_elements=["post_id", "message_ts"])
                          .returning(AnswerRow.__table__.c.id))
_ADD_OUTBOX = _per_dialect(lambda insert: insert(OutboxRow.__table__)
                           .on_conflict_do_nothing(index_elements=["dedup_key"])
                           .returning(OutboxRow.__table__.c.id))
_POSTS = PostRow.__table__.c
_ANSWERS = AnswerRow.__table__.c


def _reply_into_open_thread(insert: Any) -> Any:
    """INSERT the reply only if its thread is an open quiz question, in one statement.

    The SELECT share-locks the question's row (PostgreSQL), so the reveal's close waits
    for it; SQLite runs one writer at a time anyway.
    """
    source = (
        select(_POSTS.team_id, _POSTS.channel_id, _POSTS.id, bindparam("user_id"),
               bindparam("message_ts"), bindparam("text"), bindparam("display_name"),
               literal(False), bindparam("now"), bindparam("now"))
        .where(_POSTS.team_id == bindparam("team_id"),
               _POSTS.channel_id == bindparam("channel_id"),
               _POSTS.message_ts == bindparam("thread_ts"), _POSTS.closed_at.is_(None))
        .with_for_update(read=True)
    )
    columns = ["team_id", "channel_id", "post_id", "user_id", "message_ts", "text",
               "display_name", "late", "created_at", "updated_at"]
    return (insert(AnswerRow.__table__).from_select(columns, source)
            .on_conflict_do_nothing(index_elements=["post_id", "message_ts"])
            .returning(_ANSWERS.id))


_REPLY_INTO_OPEN_THREAD = _per_dialect(_reply_into_open_thread)
_THREAD_POST = (
    select(*PostRow.__table__.c)
    .where(_POSTS.team_id == bindparam("team_id"), _POSTS.channel_id == bindparam("channel_id"),
           _POSTS.message_ts == bindparam("thread_ts"))
    .with_for_update(read=True)
)


def _post(row: PostRow) -> Post:
    return Post(
        id=row.id,
        team_id=row.team_id,
        channel_id=row.channel_id,
        quiz_date=row.quiz_date,
        question_id=row.question_id,
        round=row.round,
        created_at=row.created_at,
        reveal_due_at=row.reveal_due_at,
        post_attempts=row.post_attempts,
        message_ts=row.message_ts,
        closed_at=row.closed_at,
        reveal_attempts=row.reveal_attempts,
        revealed_at=row.revealed_at,
    )


class PostRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def create(
        self,
        team_id: str,
        channel_id: str,
        quiz_date: date,
        question_id: str,
        round_number: int,
        reveal_due_at: datetime,
        now: datetime,
    ) -> int | None:
        """Insert the day's post; None if the channel already has one for that day."""
        try:
            with self._s.begin_nested():
                row = PostRow(
                    team_id=team_id,
                    channel_id=channel_id,
                    quiz_date=quiz_date,
                    question_id=question_id,
                    round=round_number,
                    created_at=now,
                    reveal_due_at=reveal_due_at,
                    post_attempts=0,
                    reveal_attempts=0,
                )
                self._s.add(row)
                self._s.flush()
                return row.id
        except IntegrityError:
            return None

    def get(self, post_id: int, lock: bool = False) -> Post | None:
        query = select(PostRow).where(PostRow.id == post_id)
        if lock:
            query = query.with_for_update()
        row = self._s.scalars(query).one_or_none()
        return _post(row) if row else None

    def for_day(self, team_id: str, channel_id: str, quiz_date: date) -> Post | None:
        row = self._s.scalars(
            select(PostRow).where(
                PostRow.team_id == team_id,
                PostRow.channel_id == channel_id,
                PostRow.quiz_date == quiz_date,
                PostRow.skipped_at.is_(None),
            )
        ).one_or_none()
        return _post(row) if row else None

    def by_thread(self, team_id: str, channel_id: str, thread_ts: str) -> Post | None:
        """The post whose message starts this thread, share-locked against a concurrent close.

        A shared lock lets answers to one question be stored side by side, while the
        reveal's UPDATE of the row waits for them (and they wait for it).
        """
        row = self._s.connection().execute(
            _THREAD_POST, {"team_id": team_id, "channel_id": channel_id, "thread_ts": thread_ts}
        ).one_or_none()
        return _post(row) if row else None  # type: ignore[arg-type]

    def in_flight(self, team_id: str, channel_id: str, since: datetime) -> bool:
        """A question of this channel was claimed for posting since `since`, ts not stored."""
        found = self._s.scalar(
            select(PostRow.id).where(
                PostRow.team_id == team_id, PostRow.channel_id == channel_id,
                PostRow.message_ts.is_(None), PostRow.skipped_at.is_(None),
                PostRow.post_attempts > 0, PostRow.created_at >= since,
            ).limit(1)
        )
        return found is not None

    def open_in_channel(self, team_id: str, channel_id: str) -> Post | None:
        row = self._s.scalars(
            select(PostRow)
            .where(
                PostRow.team_id == team_id,
                PostRow.channel_id == channel_id,
                PostRow.revealed_at.is_(None),
                PostRow.skipped_at.is_(None),
            )
            .order_by(PostRow.quiz_date.desc())
            .limit(1)
        ).one_or_none()
        return _post(row) if row else None

    def latest_round(self, team_id: str, channel_id: str) -> tuple[int, set[str]]:
        """The channel's current round and the questions already asked in it."""
        current = self._s.scalar(
            select(func.max(PostRow.round)).where(
                PostRow.team_id == team_id, PostRow.channel_id == channel_id
            )
        )
        if current is None:
            return 1, set()
        asked = self._s.scalars(
            select(PostRow.question_id).where(
                PostRow.team_id == team_id,
                PostRow.channel_id == channel_id,
                PostRow.round == current,
            )
        )
        return current, set(asked)

    def unposted(self, now: datetime) -> list[int]:
        """Posts claimed but not yet delivered, whose last attempt's lease has run out."""
        return list(
            self._s.scalars(
                select(PostRow.id).where(
                    PostRow.message_ts.is_(None),
                    PostRow.skipped_at.is_(None),
                    or_(PostRow.post_claimed_until.is_(None), PostRow.post_claimed_until < now),
                    PostRow.reveal_due_at > now,
                )
            )
        )

    def due_for_reveal(self, now: datetime) -> list[int]:
        return list(
            self._s.scalars(
                select(PostRow.id)
                .where(
                    PostRow.revealed_at.is_(None),
                    PostRow.message_ts.is_not(None),
                    PostRow.reveal_due_at <= now,
                    or_(
                        PostRow.reveal_claimed_until.is_(None),
                        PostRow.reveal_claimed_until < now,
                    ),
                )
                .order_by(PostRow.reveal_due_at)
            )
        )

    def claim_post(self, post_id: int, now: datetime, lease: timedelta) -> bool:
        """Take the right to deliver this post for a while; only one process gets it."""
        result = self._s.execute(
            update(PostRow)
            .where(
                PostRow.id == post_id,
                PostRow.message_ts.is_(None),
                or_(PostRow.post_claimed_until.is_(None), PostRow.post_claimed_until < now),
            )
            .values(post_claimed_until=now + lease, post_attempts=PostRow.post_attempts + 1)
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    def mark_posted(self, post_id: int, message_ts: str, now: datetime) -> None:
        self._s.execute(
            update(PostRow)
            .where(PostRow.id == post_id, PostRow.message_ts.is_(None))
            .values(message_ts=message_ts, posted_at=now, post_claimed_until=None)
        )

    def release_post(self, post_id: int, retry_at: datetime, error: str) -> None:
        self._s.execute(
            update(PostRow)
            .where(PostRow.id == post_id)
            .values(post_claimed_until=retry_at, last_error=error[:500])
        )

    def close(self, post_id: int, now: datetime) -> bool:
        """Stop taking answers; True only for the one caller that closed it."""
        result = self._s.execute(
            update(PostRow)
            .where(
                PostRow.id == post_id,
                PostRow.closed_at.is_(None),
                PostRow.message_ts.is_not(None),
            )
            .values(closed_at=now)
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    def claim_reveal(self, post_id: int, now: datetime, lease: timedelta) -> bool:
        result = self._s.execute(
            update(PostRow)
            .where(
                PostRow.id == post_id,
                PostRow.revealed_at.is_(None),
                PostRow.closed_at.is_not(None),
                or_(
                    PostRow.reveal_claimed_until.is_(None),
                    PostRow.reveal_claimed_until < now,
                ),
            )
            .values(
                reveal_claimed_until=now + lease,
                reveal_attempts=PostRow.reveal_attempts + 1,
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    def mark_revealed(self, post_id: int, now: datetime) -> None:
        self._s.execute(
            update(PostRow)
            .where(PostRow.id == post_id, PostRow.revealed_at.is_(None))
            .values(revealed_at=now, reveal_claimed_until=None)
        )

    def release_reveal(self, post_id: int, retry_at: datetime, error: str) -> None:
        self._s.execute(
            update(PostRow)
            .where(PostRow.id == post_id)
            .values(reveal_claimed_until=retry_at, last_error=error[:500])
        )

    def skip(self, post_id: int, now: datetime) -> bool:
        """Set an open question aside unscored; True for the one caller that did it."""
        result = self._s.execute(
            update(PostRow)
            .where(PostRow.id == post_id, PostRow.closed_at.is_(None),
                   PostRow.skipped_at.is_(None))
            .values(skipped_at=now, closed_at=now, revealed_at=now)
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    def question_shares(self, team_id: str, channel_id: str) -> dict[str, float]:
        """Share of key points the channel made on each question it was asked."""
        share = func.sum(ScoreRow.made) * 1.0 / func.sum(ScoreRow.possible)
        rows = self._s.execute(
            select(PostRow.question_id, share)
            .join(ScoreRow, ScoreRow.post_id == PostRow.id)
            .where(PostRow.team_id == team_id, PostRow.channel_id == channel_id,
                   ScoreRow.possible > 0)
            .group_by(PostRow.question_id)
        )
        return {str(q): float(v) for q, v in rows}

    def move_reveal(self, post_id: int, due: datetime) -> None:
        self._s.execute(
            update(PostRow)
            .where(PostRow.id == post_id, PostRow.closed_at.is_(None))
            .values(reveal_due_at=due)
        )


class AnswerRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def upsert(
        self, post: Post, user_id: str, message_ts: str, text: str, late: bool, now: datetime,
        display_name: str | None = None,
    ) -> bool:
        """Store or replace a reply's text; True if it was new."""
        existing = self._s.scalars(
            select(AnswerRow).where(
                AnswerRow.post_id == post.id, AnswerRow.message_ts == message_ts
            )
        ).one_or_none()
        if existing is not None:
            if not existing.late and not late:
                existing.text = text
                existing.updated_at = now
            return False
        try:
            with self._s.begin_nested():
                self._s.add(
                    AnswerRow(
                        team_id=post.team_id,
                        channel_id=post.channel_id,
                        post_id=post.id,
                        user_id=user_id,
                        message_ts=message_ts,
                        text=text,
                        display_name=display_name,
                        late=late,
                        created_at=now,
                        updated_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    def unreacted(self, limit: int) -> list[tuple[int, str, str]]:
        """(id, channel, ts) of on-time replies still owed their reaction, oldest first."""
        rows = self._s.execute(
            select(AnswerRow.id, AnswerRow.channel_id, AnswerRow.message_ts)
            .where(AnswerRow.reacted_at.is_(None)).order_by(AnswerRow.id).limit(limit)
        )
        return [(int(i), str(c), str(t)) for i, c, t in rows]

    def mark_reacted(self, answer_ids: list[int], now: datetime) -> None:
        if answer_ids:
            self._s.execute(update(AnswerRow).where(AnswerRow.id.in_(answer_ids))
                            .values(reacted_at=now))

    def add_reply(
        self, post: Post, user_id: str, message_ts: str, text: str, late: bool, now: datetime,
        display_name: str | None = None,
    ) -> bool:
        """Store a new reply; a redelivered one (same ts) changes nothing. True if new."""
        new_id = self._s.connection().execute(_ADD_REPLY[dialect_of(self._s)], {
            "team_id": post.team_id, "channel_id": post.channel_id, "post_id": post.id,
            "user_id": user_id, "message_ts": message_ts, "text": text,
            "display_name": display_name, "late": late, "created_at": now, "updated_at": now,
            # A late reply gets a word in private instead of a reaction.
            "reacted_at": now if late else None,
        }).scalar()
        return new_id is not None

    def remove(self, post_id: int, message_ts: str) -> bool:
        result = self._s.execute(
            delete(AnswerRow).where(
                AnswerRow.post_id == post_id,
                AnswerRow.message_ts == message_ts,
                AnswerRow.late.is_(False),
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    def on_time(self, post_id: int) -> list[Reply]:
        rows = self._s.execute(
            select(AnswerRow.user_id, AnswerRow.message_ts, AnswerRow.text)
            .where(AnswerRow.post_id == post_id, AnswerRow.late.is_(False))
            .order_by(AnswerRow.id)
        )
        return [Reply(user, ts, text) for user, ts, text in rows]

    def names(self, post_id: int) -> dict[str, str]:
        """Names Slack showed with the answers, for display without a users.info call each."""
        rows = self._s.execute(
            select(AnswerRow.user_id, AnswerRow.display_name)
            .where(AnswerRow.post_id == post_id, AnswerRow.display_name.is_not(None))
        )
        return {str(user): str(name) for user, name in rows}

    def answer_author(
        self, team_id: str, channel_id: str, message_ts: str
    ) -> tuple[int, str] | None:
        """The (post id, author) of an answer message, if it is one."""
        row = self._s.execute(
            select(AnswerRow.post_id, AnswerRow.user_id).where(
                AnswerRow.team_id == team_id,
                AnswerRow.channel_id == channel_id,
                AnswerRow.message_ts == message_ts,
            )
        ).first()
        return (int(row[0]), str(row[1])) if row else None


@dataclass(frozen=True)
class OutboxItem:
    id: int
    team_id: str
    kind: str
    payload: dict[str, Any]
    attempts: int = 1


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, team_id: str, kind: str, dedup_key: str, payload: dict[str, Any],
            now: datetime) -> int | None:
        """Queue a call once per dedup key; None if it was queued before."""
        new_id = self._s.connection().execute(_ADD_OUTBOX[dialect_of(self._s)], {
            "team_id": team_id, "kind": kind, "dedup_key": dedup_key[:200],
            "payload": json.dumps(payload), "created_at": now, "attempts": 0,
        }).scalar()
        return int(new_id) if new_id is not None else None

    def pending(self, now: datetime, limit: int = 100) -> list[int]:
        return list(
            self._s.scalars(
                select(OutboxRow.id)
                .where(
                    OutboxRow.done_at.is_(None),
                    or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now),
                )
                .order_by(OutboxRow.id)
                .limit(limit)
            )
        )

    def claim_many(self, item_ids: list[int], now: datetime,
                   lease: timedelta) -> list[OutboxItem]:
        """Claim a batch in one statement; only the rows no one else holds come back."""
        if not item_ids:
            return []
        rows = self._s.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id.in_(item_ids),
                OutboxRow.done_at.is_(None),
                or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now),
            )
            .values(claimed_until=now + lease, attempts=OutboxRow.attempts + 1)
            .returning(OutboxRow.id, OutboxRow.team_id, OutboxRow.kind, OutboxRow.payload,
                       OutboxRow.attempts)
        ).all()
        return [OutboxItem(i, t, k, json.loads(p), a) for i, t, k, p, a in rows]

    def finish_many(self, item_ids: list[int], now: datetime) -> None:
        if item_ids:
            self._s.execute(
                update(OutboxRow).where(OutboxRow.id.in_(item_ids)).values(done_at=now)
            )

    def finish_once(self, item_id: int, now: datetime) -> bool:
        """Close an item that is still open; False if another run closed it first (on
        PostgreSQL the update waits for that run's transaction, then sees its close)."""
        result = self._s.execute(
            update(OutboxRow)
            .where(OutboxRow.id == item_id, OutboxRow.done_at.is_(None))
            .values(done_at=now)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def retry_later(self, item_id: int, retry_at: datetime, error: str) -> None:
        self._s.execute(
            update(OutboxRow)
            .where(OutboxRow.id == item_id)
            .values(claimed_until=retry_at, last_error=error[:500])
        )


class OnTimeReplies:
    """The hot path of a burst of answers on a bare connection: one statement per reply
    and one transaction for the lot, without an ORM session to set up and tear down."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._statement = _REPLY_INTO_OPEN_THREAD[dialect_of(engine)]

    def add(self, replies: Sequence[dict[str, Any]]) -> list[bool]:
        """Store each reply that answers an open question; True for those stored.

        Each dict holds team_id, channel_id, thread_ts, user_id, message_ts, text,
        display_name and now.
        """
        with self._engine.begin() as connection:
            return [connection.execute(self._statement, reply).scalar() is not None
                    for reply in replies]
