"""Standings of a channel: read from the maintained totals, never re-graded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.quiz.periods import key_for
from bot.quiz.posts import Standing
from bot.quiz.schedule import Schedule
from bot.quiz.scoring import rank
from bot.quiz.streaks import current_streak
from storage.unit_of_work import UnitOfWorkFactory

TOP = 10


@dataclass(frozen=True)
class Board:
    standings: list[Standing]
    caller: Standing | None


def board(
    uow_factory: UnitOfWorkFactory, team_id: str, channel_id: str, period: str,
    caller_id: str, schedule: Schedule, now: datetime,
) -> Board:
    """Top ten with streaks, and the caller's own standing."""
    key = key_for(period, schedule.local_date(now))
    with uow_factory() as uow:
        top = uow.scores.board(team_id, channel_id, key, TOP)
        mine = uow.scores.totals(team_id, channel_id, key, caller_id)
        people = [t.user_id for t in top] + ([caller_id] if mine else [])
        posts = uow.scores.revealed_posts(team_id, channel_id)
        answered = uow.scores.answered_posts(posts, people)
        caller_rank = uow.scores.rank_of(team_id, channel_id, key, mine.points) if mine else 0
    streaks = {user: current_streak(posts, answered[user]) for user in people}
    standings = rank(top, streaks)
    caller = None
    if mine is not None:
        caller = Standing(caller_rank, caller_id, mine.points, mine.answers, streaks[caller_id])
    return Board(standings, caller)


@dataclass(frozen=True)
class GradingHealth:
    graded: int
    overridden: int

    @property
    def rate(self) -> float:
        return self.overridden / self.graded if self.graded else 0.0


def grading_health(uow_factory: UnitOfWorkFactory, team_id: str, now: datetime) -> GradingHealth:
    """How often quizmasters changed the grader's verdict in the last 30 days."""
    since = now - timedelta(days=30)
    with uow_factory() as uow:
        return GradingHealth(uow.scores.graded_since(team_id, since),
                             uow.overrides.count_since(team_id, since))
