"""Engine creation and schema upgrades."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Past this a writer stops queueing in-process and leaves the wait to SQLite itself.
_WRITER_WAIT = 30.0


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets serialised writers so guards hold across threads."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _serialise_sqlite(engine)
        return engine
    # No pre-ping: it costs a round trip per transaction. After a database restart the
    # first statement on a dead connection fails, SQLAlchemy drops the whole pool, and
    # that one request is retried (Slack resends the event; the scheduler ticks again).
    return create_engine(url, **kwargs)


def _serialise_sqlite(engine: Engine) -> None:
    # pysqlite opens transactions lazily; BEGIN IMMEDIATE takes the write lock up front,
    # so a read-then-write guard cannot interleave with another writer.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL still survives a crash of the process (the case that matters
        # for "acknowledged means stored"); only a power cut can lose the last commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    # Threads of this process queue on a lock of their own before BEGIN IMMEDIATE:
    # SQLite's busy handler sleeps up to 100 ms between tries even when the lock is
    # free a moment later, which showed as tail latency under a burst of answers.
    # Other processes still wait in SQLite's busy handler.
    writer = threading.Lock()
    holder = threading.local()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        holder.held = writer.acquire(timeout=_WRITER_WAIT)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release()
            raise

    def _release(*_args: Any) -> None:
        if getattr(holder, "held", False):
            holder.held = False
            writer.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the schema to the newest migration."""
    command.upgrade(alembic_config(url), "head")
