"""Awards, disputes and points taken back: every change to a grade, with who made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.quiz.posts import Post
from storage.models import DisputeRow, OverrideRow


@dataclass(frozen=True)
class Award:
    id: int
    team_id: str
    channel_id: str
    message_ts: str
    by_user: str
    points: int
    state: str
    post_id: int | None
    user_id: str | None


@dataclass(frozen=True)
class Dispute:
    id: int
    team_id: str
    channel_id: str
    post_id: int
    user_id: str
    key_point: int
    note: str
    status: str


def _award_key(team_id: str, channel_id: str, message_ts: str, by_user: str) -> str:
    """One award per person, reaction and answer message."""
    return f"award:{team_id}:{channel_id}:{message_ts}:{by_user}"


def _award(row: OverrideRow) -> Award:
    return Award(row.id, row.team_id, row.channel_id, row.message_ts or "", row.by_user,
                 row.points, row.state, row.post_id, row.user_id)


def _dispute(row: DisputeRow) -> Dispute:
    return Dispute(row.id, row.team_id, row.channel_id, row.post_id, row.user_id,
                   row.key_point, row.note, row.status)


class OverrideRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    # --- awards ---------------------------------------------------------------------

    def add_award(self, team_id: str, channel_id: str, message_ts: str, by_user: str,
                  points: int, now: datetime) -> int | None:
        """Record an award reaction, to be checked; None if this reaction is known already."""
        key = _award_key(team_id, channel_id, message_ts, by_user)
        existing = self._s.scalars(select(OverrideRow).where(OverrideRow.dedup_key == key)).first()
        if existing is not None:
            if existing.state == "removed":
                # Reacting again after removing it: a fresh award, checked again.
                existing.state, existing.created_at = "pending", now
                return existing.id
            return None
        try:
            with self._s.begin_nested():
                row = OverrideRow(team_id=team_id, channel_id=channel_id, kind="award",
                                  dedup_key=key, message_ts=message_ts, points=points,
                                  by_user=by_user, state="pending", created_at=now)
                self._s.add(row)
                self._s.flush()
                return row.id
        except IntegrityError:
            return None

    def find_award(self, team_id: str, channel_id: str, message_ts: str,
                   by_user: str) -> Award | None:
        key = _award_key(team_id, channel_id, message_ts, by_user)
        row = self._s.scalars(
            select(OverrideRow).where(OverrideRow.dedup_key == key).with_for_update()
        ).first()
        return _award(row) if row else None

    def get_award(self, award_id: int) -> Award | None:
        row = self._s.scalars(
            select(OverrideRow).where(OverrideRow.id == award_id).with_for_update()
        ).first()
        return _award(row) if row else None

    def pending_awards(self, limit: int = 100) -> list[int]:
        return list(self._s.scalars(
            select(OverrideRow.id)
            .where(OverrideRow.kind == "award", OverrideRow.state == "pending")
            .order_by(OverrideRow.id).limit(limit)
        ))

    def set_state(self, override_id: int, state: str, now: datetime, post_id: int | None = None,
                  user_id: str | None = None) -> None:
        values: dict[str, object] = {"state": state, "decided_at": now}
        if post_id is not None:
            values.update(post_id=post_id, user_id=user_id)
        self._s.execute(update(OverrideRow).where(OverrideRow.id == override_id).values(**values))

    def applied_bonuses(self, post_id: int) -> dict[str, int]:
        """Award points already applied on a question, per answerer, in one query."""
        rows = self._s.execute(
            select(OverrideRow.user_id, func.sum(OverrideRow.points)).where(
                OverrideRow.post_id == post_id, OverrideRow.kind == "award",
                OverrideRow.state == "applied",
            ).group_by(OverrideRow.user_id)
        )
        return {str(user): int(points or 0) for user, points in rows}

    def add_grant(self, dispute: Dispute, by_user: str, now: datetime) -> None:
        self._s.add(OverrideRow(
            team_id=dispute.team_id, channel_id=dispute.channel_id, kind="grant",
            dedup_key=f"grant:{dispute.id}", post_id=dispute.post_id, user_id=dispute.user_id,
            key_point=dispute.key_point, points=1, by_user=by_user, state="applied",
            created_at=now, decided_at=now,
        ))

    def add_revoke(self, post: Post, user_id: str, key_point: int, by_user: str,
                   now: datetime) -> int:
        """A key point the grader credited and a quizmaster took back. Call it with the post
        locked: the ordinal in the key lets a point granted back be taken back again."""
        earlier = self._s.scalar(select(func.count()).select_from(OverrideRow).where(
            OverrideRow.post_id == post.id, OverrideRow.user_id == user_id,
            OverrideRow.kind == "revoke", OverrideRow.key_point == key_point,
        )) or 0
        row = OverrideRow(
            team_id=post.team_id, channel_id=post.channel_id, kind="revoke",
            dedup_key=f"revoke:{post.id}:{user_id}:{key_point}:{earlier + 1}", post_id=post.id,
            user_id=user_id, key_point=key_point, points=-1, by_user=by_user, state="applied",
            created_at=now, decided_at=now,
        )
        self._s.add(row)
        self._s.flush()
        return row.id

    def count_since(self, team_id: str, since: datetime) -> int:
        return int(self._s.scalar(
            select(func.count()).select_from(OverrideRow).where(
                OverrideRow.team_id == team_id, OverrideRow.created_at >= since,
                OverrideRow.state == "applied",
            )
        ) or 0)

    # --- disputes -------------------------------------------------------------------

    def open_dispute(self, team_id: str, channel_id: str, post_id: int, user_id: str,
                     key_point: int, note: str, now: datetime) -> int | None:
        try:
            with self._s.begin_nested():
                row = DisputeRow(team_id=team_id, channel_id=channel_id, post_id=post_id,
                                 user_id=user_id, key_point=key_point, note=note[:500],
                                 status="open", created_at=now)
                self._s.add(row)
                self._s.flush()
                return row.id
        except IntegrityError:
            return None

    def get_dispute(self, dispute_id: int) -> Dispute | None:
        row = self._s.get(DisputeRow, dispute_id)
        return _dispute(row) if row else None

    def decide(self, dispute_id: int, status: str, by_user: str, now: datetime) -> bool:
        """Settle an open dispute; False if someone settled it first."""
        result = self._s.execute(
            update(DisputeRow)
            .where(DisputeRow.id == dispute_id, DisputeRow.status == "open")
            .values(status=status, decided_by=by_user, decided_at=now)
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    def open_disputes(self, team_id: str, limit: int = 20) -> list[Dispute]:
        rows = self._s.scalars(
            select(DisputeRow)
            .where(DisputeRow.team_id == team_id, DisputeRow.status == "open")
            .order_by(DisputeRow.id).limit(limit)
        )
        return [_dispute(r) for r in rows]
