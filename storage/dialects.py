"""The INSERT that knows ON CONFLICT, for whichever database the session talks to."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_of(session: Session) -> str:
    return "postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"


def upsert_insert(session: Session) -> Any:
    """PostgreSQL's and SQLite's own insert(); both take on_conflict_do_*."""
    return postgresql.insert if dialect_of(session) == "postgresql" else sqlite.insert
