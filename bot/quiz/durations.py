"""Durations people type: 90m, 6h, 1d."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^\s*(\d{1,4})\s*([mhd])\s*$", re.IGNORECASE)
_UNIT = {"m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str) -> timedelta:
    """Parse '90m', '6h' or '1d'; raise ValueError otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"expected a number and m, h or d, got {text!r}")
    value = int(match.group(1))
    if value == 0:
        raise ValueError("must be longer than zero")
    return timedelta(**{_UNIT[match.group(2).lower()]: value})


def format_duration(delta: timedelta) -> str:
    """Render a duration the way parse_duration reads it."""
    minutes = int(delta.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"
