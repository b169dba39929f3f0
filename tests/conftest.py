"""Fixtures: a database (SQLite or PostgreSQL), a clock, the Slack stand-in, the running app."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, or_, select

from bot.config import load_settings
from bot.web import make_wsgi
from bot.wiring import Quizmaster, build
from storage.models import OutboxRow
from tests.support import database
from tests.support.clock import FakeClock
from tests.support.signing import SECRET, SlackClient
from tests.support.slack_api import SlackApi

ROOT = Path(__file__).resolve().parent.parent
CHANNEL = "C0QUIZ0001"
ADMIN = "U0ADMIN001"
ALICE = "U0ALICE001"
BOB = "U0BOB00001"


@pytest.fixture(scope="session")
def _database_source(tmp_path_factory: pytest.TempPathFactory) -> str | Path:
    url = database.postgres_url()
    if url:
        database.prepare_postgres(url)
        return url
    return database.sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def database_url(_database_source: str | Path, tmp_path: Path) -> str:
    if isinstance(_database_source, str):
        database.empty_postgres(_database_source)
        return _database_source
    return database.sqlite_copy(_database_source, tmp_path)


@pytest.fixture
def clock() -> FakeClock:
    # A Wednesday, well away from any DST change.
    return FakeClock(datetime(2026, 11, 18, 8, 0, tzinfo=UTC))


@pytest.fixture
def slack_api() -> Iterator[SlackApi]:
    api = SlackApi().start()
    api.add_user(ADMIN, "Ada Admin", admin=True)
    api.add_user(ALICE, "Alice")
    api.add_user(BOB, "Bob")
    yield api
    api.stop()


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class RunningApp:
    """One app process: the Quizmaster and its real HTTP endpoint on 127.0.0.1."""

    def __init__(self, quizmaster: Quizmaster, slack_api: SlackApi) -> None:
        self.qm = quizmaster
        assert quizmaster.settings.signing_secret
        wsgi = make_wsgi(
            quizmaster.app,
            SignatureVerifier(quizmaster.settings.signing_secret),
            lambda: True,
            quizmaster.first_time,
        )
        self._server = make_server("127.0.0.1", 0, wsgi, _ThreadingServer, _QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.slack = SlackClient(self.url, slack_api.response_url)

    def tick(self) -> None:
        self.settle()
        self.qm.tick()

    def settle(self, timeout: float = 5.0) -> None:
        """Wait for Web API calls already claimed by a request's after-ack work.

        Tests move the fake clock by hours between steps; a claim made a moment ago
        would look expired to the next tick and be sent twice, which real time never
        allows (the lease is a minute, a call takes milliseconds).
        """
        deadline = time.monotonic() + timeout
        # A slash command is run at once after its ack, claimed or not yet.
        in_flight = (select(func.count()).select_from(OutboxRow)
                     .where(OutboxRow.done_at.is_(None), OutboxRow.last_error.is_(None),
                            or_(OutboxRow.claimed_until.is_not(None),
                                OutboxRow.kind == "command")))
        while time.monotonic() < deadline:
            with self.qm.engine.connect() as conn:
                if not conn.scalar(in_flight):
                    return
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.qm.close()


def settings_env(slack_api: SlackApi, database_url: str, **overrides: str) -> dict[str, str]:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_api.url,
        "DATABASE_URL": database_url,
        "QUIZ_CHANNEL": CHANNEL,
        "QUIZ_TIME": "10:00",
        "QUIZ_TIMEZONE": "UTC",
        "QUIZ_REVEAL_AFTER": "6h",
        "QUIZ_QUESTIONS": str(ROOT / "questions.json"),
        "QUIZ_ADMINS": "",
    }
    env.update(overrides)
    return env


@pytest.fixture
def make_app(
    slack_api: SlackApi, database_url: str, clock: FakeClock
) -> Iterator[Callable[..., RunningApp]]:
    started: list[RunningApp] = []

    def start(**overrides: str) -> RunningApp:
        settings = load_settings(settings_env(slack_api, database_url, **overrides))
        running = RunningApp(build(settings, clock=clock, migrate=False), slack_api)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def app(make_app: Callable[..., RunningApp]) -> RunningApp:
    return make_app()
