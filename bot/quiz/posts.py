"""A daily question's life in a channel, and the answers it collects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Post:
    id: int
    team_id: str
    channel_id: str
    quiz_date: date
    question_id: str
    round: int
    created_at: datetime
    reveal_due_at: datetime
    post_attempts: int
    message_ts: str | None
    closed_at: datetime | None
    reveal_attempts: int
    revealed_at: datetime | None


@dataclass(frozen=True)
class Reply:
    user_id: str
    message_ts: str
    text: str


@dataclass(frozen=True)
class Result:
    """One answerer's score for one question, with how it was made up."""

    user_id: str
    points: int
    key_points: tuple[bool, ...] = ()
    answered: int = 1
    bonus: int = 0
    noise: str | None = None

    @property
    def made(self) -> int:
        return sum(self.key_points)


@dataclass(frozen=True)
class Totals:
    user_id: str
    points: int
    answers: int
    made: int = 0
    possible: int = 0


@dataclass(frozen=True)
class Standing:
    rank: int
    user_id: str
    points: int
    answers: int
    streak: int = 0
