"""Test databases: a SQLite file per test, or the PostgreSQL in QUIZ_TEST_DATABASE_URL."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import Engine, MetaData, text

from bot.config import database_url
from storage.database import make_engine, upgrade
from storage.models import Base

ENV = "QUIZ_TEST_DATABASE_URL"


def postgres_url() -> str | None:
    raw = os.environ.get(ENV)
    return database_url(raw) if raw else None


def prepare_postgres(url: str) -> None:
    """Start from an empty schema once per run, then upgrade through the migrations."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)


def empty_postgres(url: str) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def sqlite_template(directory: Path) -> Path:
    template = directory / "template.db"
    upgrade(f"sqlite:///{template}")
    return template


def sqlite_copy(template: Path, directory: Path) -> str:
    target = directory / "quiz.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def quiz_state(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows but the logs of what came in: request signatures kept against
    replays, and slash commands (stored before their ack, whatever they then do)."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {
            t.name: sorted(map(tuple, conn.execute(
                t.select().where(t.c.kind != "command") if t.name == "outbox" else t.select()
            )), key=repr)
            for t in meta.sorted_tables if t.name != "seen_requests"
        }
