"""Points for answers, and ranks with ties."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.quiz.grading import grade, points_for
from bot.quiz.posts import Reply, Result, Standing, Totals
from bot.quiz.questions import Question


def score_replies(
    question: Question, replies: Sequence[Reply], bonus: Callable[[str], int] = lambda _: 0
) -> list[Result]:
    """Grade each person's replies, joined in order, once; add any awards they already have."""
    texts: dict[str, list[str]] = {}
    for reply in replies:
        texts.setdefault(reply.user_id, []).append(reply.text)
    results = []
    for user, parts in texts.items():
        graded = grade(question, "\n".join(parts))
        extra = bonus(user)
        results.append(Result(
            user_id=user,
            points=points_for(graded) + extra,
            key_points=tuple(graded.flags),
            answered=0 if graded.noise else 1,
            bonus=extra,
            noise=graded.noise,
        ))
    return results


def with_bonus(result: Result, delta: int) -> Result:
    return replace(result, bonus=result.bonus + delta, points=result.points + delta)


def with_point_granted(result: Result, index: int) -> Result:
    """The grade after a quizmaster agrees the answer made key point `index`."""
    if index >= len(result.key_points) or result.key_points[index]:
        return result
    flags = tuple(True if i == index else f for i, f in enumerate(result.key_points))
    answered = 1
    points = answered + sum(flags) + result.bonus
    return replace(result, key_points=flags, answered=answered, points=points, noise=None)


def with_point_revoked(result: Result, index: int) -> Result:
    """The grade after a quizmaster finds the answer did not make key point `index`."""
    if index >= len(result.key_points) or not result.key_points[index]:
        return result
    flags = tuple(False if i == index else f for i, f in enumerate(result.key_points))
    return replace(result, key_points=flags, points=result.points - 1)


def rank(totals: Sequence[Totals], streaks: dict[str, int] | None = None) -> list[Standing]:
    """Order by points (then answers); equal points share a rank (1, 2, 2, 4)."""
    ordered = sorted(totals, key=lambda t: (-t.points, -t.answers, t.user_id))
    standings: list[Standing] = []
    for index, t in enumerate(ordered):
        same = standings and standings[-1].points == t.points
        place = standings[-1].rank if same else index + 1
        standings.append(Standing(place, t.user_id, t.points, t.answers,
                                  (streaks or {}).get(t.user_id, 0)))
    return standings
