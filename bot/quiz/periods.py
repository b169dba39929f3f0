"""Leaderboard periods, named by the quiz day they contain."""

from __future__ import annotations

from datetime import date

ALL = "all"
PERIODS = ("week", "month", "all")


def keys_for(day: date) -> tuple[str, str, str]:
    """The standings rows a question of this day counts in."""
    return (ALL, month_key(day), week_key(day))


def month_key(day: date) -> str:
    return f"m{day:%Y-%m}"


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"w{year}-{week:02d}"


def key_for(period: str, today: date) -> str:
    if period == "week":
        return week_key(today)
    if period == "month":
        return month_key(today)
    return ALL


def label(period: str) -> str:
    return {"week": "this week", "month": "this month"}.get(period, "all time")


