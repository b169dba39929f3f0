"""Standings of a channel, summed by the database."""

from __future__ import annotations

from datetime import datetime

from bot.quiz.posts import Standing
from bot.quiz.scoring import rank
from storage.unit_of_work import UnitOfWorkFactory


def month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def standings(
    uow_factory: UnitOfWorkFactory, team_id: str, channel_id: str, since: datetime | None
) -> list[Standing]:
    with uow_factory() as uow:
        return rank(uow.scores.totals(team_id, channel_id, since))
