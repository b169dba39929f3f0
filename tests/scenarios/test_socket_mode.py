"""Socket Mode, as Slack drives it: envelopes over a WebSocket, acknowledged by envelope ID."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.config import load_settings
from bot.wiring import Quizmaster, build, socket_mode_handler
from storage.models import AnswerRow
from tests.conftest import ALICE, CHANNEL, settings_env
from tests.support.clock import FakeClock
from tests.support.slack_api import TEAM, SlackApi
from tests.support.socket_mode import SocketModeServer


@pytest.fixture
def socket_server(slack_api: SlackApi) -> Iterator[SocketModeServer]:
    server = SocketModeServer().start()
    slack_api.socket_url = server.url
    yield server
    server.stop()


@pytest.fixture
def quizmaster(slack_api: SlackApi, database_url: str, clock: FakeClock,
               socket_server: SocketModeServer) -> Iterator[Quizmaster]:
    env = settings_env(slack_api, database_url, SLACK_APP_TOKEN="xapp-1-A0QUIZ0001-test")
    del env["SLACK_SIGNING_SECRET"]  # Socket Mode needs no public endpoint and no secret
    qm = build(load_settings(env), clock=clock, migrate=False)
    handler = socket_mode_handler(qm)
    handler.connect()  # type: ignore[no-untyped-call]
    yield qm
    handler.close()  # type: ignore[no-untyped-call]
    qm.close()


def test_thread_answer_and_slash_command_arrive_over_socket_mode(
    quizmaster: Quizmaster, socket_server: SocketModeServer, slack_api: SlackApi,
    clock: FakeClock,
) -> None:
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    quizmaster.tick()
    question_ts = next(m["ts"] for m in slack_api.state.messages if m["thread_ts"] is None)
    event = {"type": "message", "channel": CHANNEL, "channel_type": "channel", "user": ALICE,
             "text": "update_fields skips auto_now, so updated_at is never bumped",
             "ts": "1700000200.000100", "thread_ts": question_ts}
    envelope = {"type": "event_callback", "team_id": TEAM, "api_app_id": "A0QUIZ0001",
                "event_id": "Ev0SOCKET01", "event_time": 1_700_000_200, "event": event}
    assert "envelope_id" in socket_server.send("events_api", envelope)
    # Slack redelivers an envelope it thinks was not acknowledged in time.
    assert "envelope_id" in socket_server.send("events_api", envelope, retry=1)
    with quizmaster.engine.connect() as conn:
        stored = conn.execute(select(AnswerRow.user_id, AnswerRow.text)).all()
    assert stored == [(ALICE, event["text"])]
    assert slack_api.wait_for("reactions.add")[0].params["timestamp"] == "1700000200.000100"

    socket_server.send("slash_commands", {
        "command": "/quiz", "text": "status", "user_id": ALICE, "user_name": "alice",
        "channel_id": CHANNEL, "team_id": TEAM, "trigger_id": "1.2.3",
        "response_url": slack_api.response_url,
    })
    status = str(slack_api.wait_for("response_url")[0].params.get("text"))
    assert "Open now: question" in status and "Questions left in this round" in status, status
