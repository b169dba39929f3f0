"""Synthetic quiz history for measuring the leaderboard: N people, a year of weekday questions."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, insert

from bot.quiz.periods import keys_for
from storage.models import PostRow, ScoreRow, StandingRow

TEAM = "T0BENCH01"
CHANNEL = "C0BENCH01"
KEY_POINTS = 4


def weekdays(start: date, count: int) -> list[date]:
    days: list[date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def build(engine: Engine, people: int, days: int, share: float = 0.5, seed: int = 7) -> int:
    """Fill posts, scores and standings as the app would have; return the number of scores."""
    rng = random.Random(seed)
    users = [f"U{n:09d}" for n in range(people)]
    quiz_days = weekdays(date(2025, 11, 3), days)
    standings: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    scores = 0
    with engine.begin() as conn:
        conn.execute(insert(PostRow), [
            {"id": i + 1, "team_id": TEAM, "channel_id": CHANNEL, "quiz_date": day,
             "question_id": f"q{i % 81}", "round": 1 + i // 81,
             "created_at": datetime.combine(day, time(10), UTC),
             "reveal_due_at": datetime.combine(day, time(16), UTC),
             "post_attempts": 1, "message_ts": f"{1_700_000_000 + i}.000100",
             "posted_at": datetime.combine(day, time(10), UTC),
             "closed_at": datetime.combine(day, time(16), UTC),
             "reveal_attempts": 1, "revealed_at": datetime.combine(day, time(16), UTC)}
            for i, day in enumerate(quiz_days)
        ])
        batch: list[dict[str, object]] = []
        for post_id, day in enumerate(quiz_days, start=1):
            scored_at = datetime.combine(day, time(16), UTC)
            for user in users:
                if rng.random() >= share:
                    continue
                made = rng.randint(0, KEY_POINTS)
                flags = [i < made for i in range(KEY_POINTS)]
                points = 1 + made
                batch.append({
                    "team_id": TEAM, "channel_id": CHANNEL, "post_id": post_id,
                    "user_id": user, "points": points, "scored_at": scored_at,
                    "quiz_date": day, "made": made, "possible": KEY_POINTS,
                    "breakdown": json.dumps({"answered": 1, "key_points": flags, "bonus": 0}),
                })
                for period in keys_for(day):
                    row = standings[(period, user)]
                    row[0] += points
                    row[1] += 1
                    row[2] += made
                    row[3] += KEY_POINTS
            if len(batch) >= 20_000:
                conn.execute(insert(ScoreRow), batch)
                scores += len(batch)
                batch = []
        if batch:
            conn.execute(insert(ScoreRow), batch)
            scores += len(batch)
        rows = [
            {"team_id": TEAM, "channel_id": CHANNEL, "period": period, "user_id": user,
             "points": v[0], "answers": v[1], "made": v[2], "possible": v[3]}
            for (period, user), v in standings.items()
        ]
        for start in range(0, len(rows), 20_000):
            conn.execute(insert(StandingRow), rows[start : start + 20_000])
    return scores
