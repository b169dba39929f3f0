"""Points for answers, and ranks with ties."""

from __future__ import annotations

from collections.abc import Sequence

from bot.quiz.posts import Reply, Result, Standing

ON_TIME_POINTS = 1


def score_replies(replies: Sequence[Reply]) -> list[Result]:
    """Give each person who replied before the reveal their point, in order of first reply."""
    counts: dict[str, int] = {}
    for reply in replies:
        counts[reply.user_id] = counts.get(reply.user_id, 0) + 1
    return [Result(user, ON_TIME_POINTS, n) for user, n in counts.items()]


def rank(totals: Sequence[tuple[str, int, int]]) -> list[Standing]:
    """Rank (user, points, answers) by points; equal points share a rank (1, 2, 2, 4)."""
    ordered = sorted(totals, key=lambda t: (-t[1], -t[2], t[0]))
    standings: list[Standing] = []
    for index, (user, points, answers) in enumerate(ordered):
        place = standings[-1].rank if standings and standings[-1].points == points else index + 1
        standings.append(Standing(place, user, points, answers))
    return standings
