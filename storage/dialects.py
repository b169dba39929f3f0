"""The INSERT that knows ON CONFLICT, for whichever database the session talks to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_of(bind: Session | Engine) -> str:
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return "postgresql" if engine.dialect.name == "postgresql" else "sqlite"


def upsert_insert(session: Session) -> Any:
    """PostgreSQL's and SQLite's own insert(); both take on_conflict_do_*."""
    return postgresql.insert if dialect_of(session) == "postgresql" else sqlite.insert
