"""Typed ORM rows. Every row carries the Slack team ID."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Store UTC instants; SQLite keeps no zone, so give it back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class PostRow(Base):
    """One daily question in one channel, from claim to reveal."""

    __tablename__ = "quiz_posts"
    __table_args__ = (
        # The double-post guard: one question per channel per local day (a skipped one
        # steps aside for its replacement).
        Index("uq_quiz_posts_day", "team_id", "channel_id", "quiz_date", unique=True,
              sqlite_where=text("skipped_at IS NULL"),
              postgresql_where=text("skipped_at IS NULL")),
        Index("ix_quiz_posts_thread", "team_id", "channel_id", "message_ts"),
        Index("ix_quiz_posts_reveal_due", "revealed_at", "reveal_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    quiz_date: Mapped[date] = mapped_column(Date)
    question_id: Mapped[str] = mapped_column(String(64))
    round: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reveal_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    post_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    post_attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reveal_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reveal_attempts: Mapped[int] = mapped_column(Integer, default=0)
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    skipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class ChannelRow(Base):
    """A channel's own quiz settings, set from Slack; every process reads them each tick."""

    __tablename__ = "channels"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    post_time: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    days: Mapped[str] = mapped_column(String(64))
    reveal_after_minutes: Mapped[int] = mapped_column(Integer)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Comma-separated tags the daily questions are restricted to; empty for all.
    tags: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(32))


class PracticeRow(Base):
    """Where a question stands in a person's spaced repetition (Leitner box and due time)."""

    __tablename__ = "practice"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    box: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seen: Mapped[int] = mapped_column(Integer, default=0)


class AnswerRow(Base):
    """One thread reply; a person's answer is all their replies in the thread."""

    __tablename__ = "answers"
    __table_args__ = (
        # Slack redelivers events; the reply's ts makes the retry a no-op.
        UniqueConstraint("post_id", "message_ts"),
        Index("ix_answers_post_user", "post_id", "user_id"),
        # The replies still owed their :white_check_mark: reaction.
        Index("ix_answers_unreacted", "id", sqlite_where=text("reacted_at IS NULL"),
              postgresql_where=text("reacted_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    post_id: Mapped[int] = mapped_column(ForeignKey("quiz_posts.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    # The name Slack showed with the message: for display only, never an identity.
    display_name: Mapped[str | None] = mapped_column(String(200))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SeenRequestRow(Base):
    """Signatures of recent Slack requests: a replayed request is refused in every process."""

    __tablename__ = "seen_requests"
    __table_args__ = (Index("ix_seen_requests_at", "seen_at"),)

    signature: Mapped[str] = mapped_column(String(80), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ScoreRow(Base):
    """A person's result for one question, graded once at the reveal; overrides adjust it."""

    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id"),
        Index("ix_scores_board", "team_id", "channel_id", "scored_at"),
        Index("ix_scores_user", "team_id", "user_id", "quiz_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    post_id: Mapped[int] = mapped_column(ForeignKey("quiz_posts.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    points: Mapped[int] = mapped_column(Integer)
    # JSON: {"answered": 0|1, "key_points": [bool, ...], "bonus": n, "noise": str|null}
    breakdown: Mapped[str] = mapped_column(Text)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime)
    quiz_date: Mapped[date | None] = mapped_column(Date)
    made: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    possible: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class StandingRow(Base):
    """Running totals per person and period, kept in step with scores: the board is a lookup."""

    __tablename__ = "standings"
    __table_args__ = (
        Index("ix_standings_board", "team_id", "channel_id", "period", "points"),
    )

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # "all", "m2026-11" or "w2026-47", in the channel's own time zone.
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    points: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    made: Mapped[int] = mapped_column(Integer, default=0)
    possible: Mapped[int] = mapped_column(Integer, default=0)


class OverrideRow(Base):
    """A quizmaster's change to a grade: an award reaction, a granted dispute or a key point
    taken back."""

    __tablename__ = "overrides"
    __table_args__ = (
        UniqueConstraint("dedup_key"),
        Index("ix_overrides_post_user", "post_id", "user_id"),
        Index("ix_overrides_recent", "team_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    dedup_key: Mapped[str] = mapped_column(String(200))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("quiz_posts.id", ondelete="CASCADE"))
    user_id: Mapped[str | None] = mapped_column(String(32))
    key_point: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    by_user: Mapped[str] = mapped_column(String(32))
    # pending (not yet checked), applied, rejected (not an admin or not an answer), removed.
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DisputeRow(Base):
    """An answerer's claim that they made a key point the grader missed."""

    __tablename__ = "disputes"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id", "key_point"),
        Index("ix_disputes_open", "team_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    post_id: Mapped[int] = mapped_column(ForeignKey("quiz_posts.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    key_point: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    """A Web API call owed to Slack, stored with what caused it so a crash cannot drop it."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("dedup_key"),
        Index("ix_outbox_pending", "done_at", "claimed_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    dedup_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
