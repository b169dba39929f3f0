"""Schedule settings as people type them, in /quiz commands and in the environment."""

from __future__ import annotations

import re
from datetime import time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.quiz.durations import parse_duration
from bot.quiz.schedule import validate_days

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
MAX_REVEAL_AFTER = timedelta(days=7)


def parse_time(raw: str) -> time:
    match = _TIME.match(raw.strip())
    if not match:
        raise ValueError(f"expected HH:MM, e.g. 09:30 (got {raw!r})")
    return time(int(match.group(1)), int(match.group(2)))


def parse_zone(raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {raw!r}; use an IANA name, e.g. Europe/Berlin"
        ) from None


def parse_days(raw: str) -> str:
    try:
        return validate_days(raw)
    except ValueError:
        raise ValueError(
            f"expected a cron day list, e.g. mon-fri or mon,wed,fri (got {raw!r})"
        ) from None


def parse_reveal_after(raw: str) -> timedelta:
    try:
        delta = parse_duration(raw)
    except ValueError:
        raise ValueError(f"expected 90m, 6h or 1d (got {raw!r})") from None
    if delta > MAX_REVEAL_AFTER:
        raise ValueError(f"at most 7d (got {raw!r})")
    return delta
