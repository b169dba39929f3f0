"""Scores per answer, and the standings kept in step with them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from bot.quiz.periods import keys_for
from bot.quiz.posts import Post, Result, Totals
from storage.dialects import upsert_insert
from storage.models import PostRow, ScoreRow, StandingRow


def _result(user_id: str, points: int, breakdown: str) -> Result:
    data: dict[str, Any] = json.loads(breakdown)
    return Result(
        user_id=user_id,
        points=points,
        key_points=tuple(bool(x) for x in data.get("key_points", [])),
        answered=int(data.get("answered", 1)),
        bonus=int(data.get("bonus", 0)),
        noise=data.get("noise"),
    )


def _breakdown(result: Result) -> str:
    return json.dumps({"answered": result.answered, "key_points": list(result.key_points),
                       "bonus": result.bonus, "noise": result.noise})


class ScoreRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add_all(self, post: Post, results: Sequence[Result], now: datetime) -> None:
        """Write each answerer's score and add it to their standings, in this transaction."""
        if not results:
            return
        self._s.execute(insert(cast(Table, ScoreRow.__table__)), [
            {"team_id": post.team_id, "channel_id": post.channel_id, "post_id": post.id,
             "user_id": r.user_id, "points": r.points, "breakdown": _breakdown(r),
             "scored_at": now, "quiz_date": post.quiz_date, "made": r.made,
             "possible": len(r.key_points)}
            for r in results
        ])
        self._bump_many(post.team_id, post.channel_id, post.quiz_date, [
            {"user_id": r.user_id, "points": r.points, "answers": 1, "made": r.made,
             "possible": len(r.key_points)}
            for r in results
        ])

    def get(self, post_id: int, user_id: str) -> Result | None:
        row = self._s.execute(
            select(ScoreRow.user_id, ScoreRow.points, ScoreRow.breakdown).where(
                ScoreRow.post_id == post_id, ScoreRow.user_id == user_id
            ).with_for_update()
        ).first()
        return _result(*row) if row else None

    def replace(self, post: Post, old: Result, new: Result) -> None:
        """Store an adjusted score (award, granted dispute); standings move by the difference."""
        self._s.execute(
            update(ScoreRow)
            .where(ScoreRow.post_id == post.id, ScoreRow.user_id == new.user_id)
            .values(points=new.points, breakdown=_breakdown(new), made=new.made)
        )
        self._bump(post.team_id, post.channel_id, post.quiz_date, new.user_id,
                   points=new.points - old.points, answers=0, made=new.made - old.made,
                   possible=0)

    def for_post(self, post_id: int) -> list[Result]:
        rows = self._s.execute(
            select(ScoreRow.user_id, ScoreRow.points, ScoreRow.breakdown)
            .where(ScoreRow.post_id == post_id)
            .order_by(ScoreRow.id)
        )
        return [_result(*row) for row in rows]

    def _bump(self, team_id: str, channel_id: str, day: date, user_id: str, **delta: int) -> None:
        self._bump_many(team_id, channel_id, day, [{"user_id": user_id, **delta}])

    def _bump_many(self, team_id: str, channel_id: str, day: date,
                   deltas: list[dict[str, Any]]) -> None:
        """Add to each person's totals for every period the day counts in, in one statement."""
        table = cast(Table, StandingRow.__table__)
        statement = upsert_insert(self._s)(table)
        counters = ("points", "answers", "made", "possible")
        statement = statement.on_conflict_do_update(
            index_elements=["team_id", "channel_id", "period", "user_id"],
            set_={name: table.c[name] + statement.excluded[name] for name in counters},
        )
        rows = [{"team_id": team_id, "channel_id": channel_id, "period": period, **d}
                for period in keys_for(day) for d in deltas]
        self._s.execute(statement, rows)

    # --- reading the board -----------------------------------------------------------

    def board(self, team_id: str, channel_id: str, period: str, limit: int = 10) -> list[Totals]:
        rows = self._s.execute(
            select(StandingRow.user_id, StandingRow.points, StandingRow.answers,
                   StandingRow.made, StandingRow.possible)
            .where(StandingRow.team_id == team_id, StandingRow.channel_id == channel_id,
                   StandingRow.period == period)
            .order_by(StandingRow.points.desc(), StandingRow.answers.desc(), StandingRow.user_id)
            .limit(limit)
        )
        return [Totals(*row) for row in rows]

    def totals(self, team_id: str, channel_id: str, period: str, user_id: str) -> Totals | None:
        row = self._s.execute(
            select(StandingRow.user_id, StandingRow.points, StandingRow.answers,
                   StandingRow.made, StandingRow.possible)
            .where(StandingRow.team_id == team_id, StandingRow.channel_id == channel_id,
                   StandingRow.period == period, StandingRow.user_id == user_id)
        ).first()
        return Totals(*row) if row else None

    def rank_of(self, team_id: str, channel_id: str, period: str, points: int) -> int:
        """1 + the number of people with more points: ties share a rank."""
        above = self._s.scalar(
            select(func.count()).select_from(StandingRow).where(
                StandingRow.team_id == team_id, StandingRow.channel_id == channel_id,
                StandingRow.period == period, StandingRow.points > points,
            )
        )
        return int(above or 0) + 1

    def revealed_posts(self, team_id: str, channel_id: str, limit: int = 400) -> list[int]:
        """Ids of the channel's revealed questions, newest first."""
        return list(self._s.scalars(
            select(PostRow.id)
            .where(PostRow.team_id == team_id, PostRow.channel_id == channel_id,
                   PostRow.closed_at.is_not(None))
            .order_by(PostRow.quiz_date.desc())
            .limit(limit)
        ))

    def answered_posts(
        self, post_ids: Sequence[int], user_ids: Sequence[str]
    ) -> dict[str, set[int]]:
        """For each person, which of these questions they earned points on."""
        out: dict[str, set[int]] = {u: set() for u in user_ids}
        if not post_ids or not user_ids:
            return out
        rows = self._s.execute(
            select(ScoreRow.user_id, ScoreRow.post_id).where(
                ScoreRow.post_id.in_(post_ids), ScoreRow.user_id.in_(user_ids),
                ScoreRow.points > 0,
            )
        )
        for user_id, post_id in rows:
            out[user_id].add(post_id)
        return out

    def graded_since(self, team_id: str, since: datetime) -> int:
        return int(self._s.scalar(
            select(func.count()).select_from(ScoreRow).where(
                ScoreRow.team_id == team_id, ScoreRow.scored_at >= since)
        ) or 0)

    def hardest(
        self, team_id: str, channel_id: str, start: date, end: date
    ) -> tuple[str, float] | None:
        """The question with the lowest share of key points made between two days."""
        share = func.sum(ScoreRow.made) * 1.0 / func.sum(ScoreRow.possible)
        row = self._s.execute(
            select(PostRow.question_id, share)
            .join(PostRow, PostRow.id == ScoreRow.post_id)
            .where(ScoreRow.team_id == team_id, ScoreRow.channel_id == channel_id,
                   ScoreRow.quiz_date >= start, ScoreRow.quiz_date <= end,
                   ScoreRow.possible > 0)
            .group_by(PostRow.question_id)
            .order_by(share, PostRow.question_id)
            .limit(1)
        ).first()
        return (str(row[0]), float(row[1])) if row else None

    def user_history(
        self, team_id: str, channel_id: str, user_id: str, limit: int = 200
    ) -> list[tuple[str, Result]]:
        """A person's latest graded answers in a channel (question id, result), newest first."""
        rows = self._s.execute(
            select(PostRow.question_id, ScoreRow.user_id, ScoreRow.points, ScoreRow.breakdown)
            .join(PostRow, PostRow.id == ScoreRow.post_id)
            .where(ScoreRow.team_id == team_id, ScoreRow.channel_id == channel_id,
                   ScoreRow.user_id == user_id)
            .order_by(ScoreRow.quiz_date.desc())
            .limit(limit)
        )
        return [(str(qid), _result(u, p, b)) for qid, u, p, b in rows]
