"""Streaks: consecutive daily questions of a channel a person answered."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def current_streak(post_ids_newest_first: Sequence[int], answered: Collection[int]) -> int:
    """Count back from the newest revealed question until the first one they missed."""
    count = 0
    for post_id in post_ids_newest_first:
        if post_id not in answered:
            break
        count += 1
    return count


def best_streak(post_ids_newest_first: Sequence[int], answered: Collection[int]) -> int:
    best = run = 0
    for post_id in post_ids_newest_first:
        run = run + 1 if post_id in answered else 0
        best = max(best, run)
    return best
