"""Signatures of recent Slack requests, so a replayed command is refused in every process."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import SeenRequestRow


class SeenRequests:
    def __init__(self, session: Session) -> None:
        self._s = session

    def first_time(self, signature: str, now: datetime) -> bool:
        try:
            with self._s.begin_nested():
                self._s.add(SeenRequestRow(signature=signature[:80], seen_at=now))
        except IntegrityError:
            return False
        return True

    def forget_before(self, cutoff: datetime) -> None:
        self._s.execute(delete(SeenRequestRow).where(SeenRequestRow.seen_at < cutoff))
