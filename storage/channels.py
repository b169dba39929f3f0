"""Channel settings and practice cards."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from bot.quiz.channels import ChannelConfig
from bot.quiz.practice import Card
from bot.quiz.schedule import Schedule
from bot.quiz.schedule_text import parse_time, parse_zone
from storage.dialects import upsert_insert
from storage.models import ChannelRow, PracticeRow


def _config(row: ChannelRow) -> ChannelConfig:
    schedule = Schedule(parse_time(row.post_time), parse_zone(row.timezone), row.days,
                        timedelta(minutes=row.reveal_after_minutes))
    tags = tuple(t for t in row.tags.split(",") if t)
    return ChannelConfig(row.team_id, row.channel_id, schedule, row.paused, tags)


def _card(row: PracticeRow) -> Card:
    return Card(row.question_id, row.box, row.due_at, row.last_seen_at, row.seen)


class ChannelRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, team_id: str, channel_id: str) -> ChannelConfig | None:
        row = self._s.get(ChannelRow, (team_id, channel_id))
        return _config(row) if row else None

    def all(self, team_id: str | None = None) -> list[ChannelConfig]:
        query = select(ChannelRow)
        if team_id is not None:
            query = query.where(ChannelRow.team_id == team_id)
        return [_config(r) for r in self._s.scalars(query.order_by(ChannelRow.channel_id))]

    def save(self, config: ChannelConfig, by_user: str, now: datetime,
             changed: set[str] | None = None) -> None:
        """Insert the channel's settings, or update only the `changed` columns.

        Updating only what a command changed keeps two admins' simultaneous commands
        (say a schedule and a tag filter) from overwriting each other.
        """
        s = config.schedule
        values = {
            "team_id": config.team_id, "channel_id": config.channel_id,
            "post_time": f"{s.post_time:%H:%M}", "timezone": s.timezone.key, "days": s.days,
            "reveal_after_minutes": int(s.reveal_after.total_seconds() // 60),
            "paused": config.paused, "tags": ",".join(config.tags),
            "updated_at": now, "updated_by": by_user,
        }
        statement = upsert_insert(self._s)(ChannelRow).values(**values)
        columns = (changed or set(values)) | {"updated_at", "updated_by"}
        self._s.execute(statement.on_conflict_do_update(
            index_elements=["team_id", "channel_id"],
            set_={k: v for k, v in values.items()
                  if k in columns and k not in ("team_id", "channel_id")},
        ))


class PracticeRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def cards(self, team_id: str, user_id: str) -> dict[str, Card]:
        rows = self._s.scalars(select(PracticeRow).where(
            PracticeRow.team_id == team_id, PracticeRow.user_id == user_id))
        return {r.question_id: _card(r) for r in rows}

    def cards_for(self, team_id: str, question_id: str, user_ids: list[str]) -> dict[str, Card]:
        """One question's cards for many people (the daily reveal updates them all)."""
        rows = self._s.scalars(select(PracticeRow).where(
            PracticeRow.team_id == team_id, PracticeRow.question_id == question_id,
            PracticeRow.user_id.in_(user_ids)))
        return {r.user_id: _card(r) for r in rows}

    def save_many(self, team_id: str, cards: dict[str, Card]) -> None:
        if not cards:
            return
        table = cast(Table, PracticeRow.__table__)
        statement = upsert_insert(self._s)(table)
        statement = statement.on_conflict_do_update(
            index_elements=["team_id", "user_id", "question_id"],
            set_={c: statement.excluded[c] for c in ("box", "due_at", "last_seen_at", "seen")},
        )
        self._s.execute(statement, [
            {"team_id": team_id, "user_id": user, "question_id": c.question_id, "box": c.box,
             "due_at": c.due_at, "last_seen_at": c.last_seen_at, "seen": c.seen}
            for user, c in cards.items()
        ])

    def card(self, team_id: str, user_id: str, question_id: str) -> Card | None:
        row = self._s.get(PracticeRow, (team_id, user_id, question_id))
        return _card(row) if row else None
