"""A clock the test sets and moves."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta


class FakeClock:
    def __init__(self, start: datetime) -> None:
        assert start.tzinfo is not None
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, instant: datetime) -> None:
        with self._lock:
            self._now = instant

    def advance(self, **delta: float) -> None:
        with self._lock:
            self._now += timedelta(**delta)
