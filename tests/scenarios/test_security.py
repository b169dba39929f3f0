"""Bad input and security: replays, spoofed rights, escaping, secrets in logs, fuzzed payloads."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ADMIN, ALICE, BOB, CHANNEL, RunningApp
from tests.support.clock import FakeClock
from tests.support.database import quiz_state
from tests.support.signing import sign
from tests.support.slack_api import TEAM, SlackApi

FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def state(app: RunningApp) -> dict[str, list[tuple[object, ...]]]:
    return quiz_state(app.qm.engine)


def test_replayed_command_is_refused(app: RunningApp) -> None:
    form = urlencode({"team_id": TEAM, "channel_id": CHANNEL, "user_id": ALICE,
                      "command": "/quiz", "text": "help", "trigger_id": "1.1",
                      "response_url": "http://127.0.0.1:9/x"}).encode()
    now = int(time.time())
    first = app.slack.send(form, "application/x-www-form-urlencoded", now, sign(form, now))
    again = app.slack.send(form, "application/x-www-form-urlencoded", now, sign(form, now))
    assert first.status == 200 and again.status == 401


def test_admin_rights_never_come_from_the_payload(app: RunningApp, slack_api: SlackApi) -> None:
    form = urlencode({
        "team_id": TEAM, "channel_id": CHANNEL, "user_id": BOB, "user_name": "admin",
        "is_admin": "true", "is_owner": "true", "command": "/quiz", "text": "post",
        "trigger_id": "2.2", "response_url": slack_api.response_url + "x",
    }).encode()
    now = int(time.time())
    assert app.slack.send(form, "application/x-www-form-urlencoded", now,
                          sign(form, now)).status == 200
    assert "Only quiz admins" in str(slack_api.wait_for("response_url")[0].params)
    assert slack_api.calls("chat.postMessage") == []


def test_people_text_is_escaped_in_app_home_and_digest(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    slack_api.add_user(ALICE, "<!here> <!subteam^S123> *bold*")
    clock.set(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))  # Friday: the week's last
    app.tick()
    ts = str(slack_api.state.messages[0]["ts"])
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "It is the cache, <!channel>")
    clock.set(datetime(2026, 11, 20, 16, 0, tzinfo=UTC))
    app.tick()
    app.slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
    home = json.dumps(slack_api.wait_for("views.publish")[0].params)
    everything = json.dumps([m["blocks"] for m in slack_api.state.messages]) + home
    for ping in ("<!here>", "<!channel>", "<!subteam^S123>"):
        assert ping not in everything
    assert "&lt;!here&gt;" in home


def test_no_token_or_secret_reaches_the_logs(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    slack_api.error_next("chat.postMessage", "internal_error")
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    clock.set(datetime(2026, 11, 18, 10, 5, tzinfo=UTC))
    app.tick()
    ts = str(slack_api.state.messages[0]["ts"])
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "It is the cache layer")
    app.slack.command("leaderboard", ALICE, CHANNEL)
    app.slack.send(b"{}", "application/json", signature="v0=forged")
    clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    app.tick()
    slack_api.wait_for("response_url")
    logs = caplog.text
    assert len(logs) > 500, "the cycle should have logged something"
    for secret in ("xoxb-test-token", "test-signing-secret"):
        assert secret not in logs


@FUZZ
@given(text=st.text(max_size=80))
def test_any_command_text_gets_a_calm_answer_and_changes_nothing(
    app: RunningApp, slack_api: SlackApi, text: str
) -> None:
    before = state(app)
    response = app.slack.command(text, BOB, CHANNEL)
    assert response.status == 200
    assert b"Traceback" not in response.body
    assert state(app) == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)


@FUZZ
@given(event=st.dictionaries(
    st.sampled_from(["type", "subtype", "channel", "user", "text", "ts", "thread_ts",
                     "message", "previous_message", "deleted_ts", "item", "reaction", "tab",
                     "bot_id", "hidden"]),
    json_values, max_size=8))
def test_any_event_payload_is_acknowledged_without_a_5xx(
    app: RunningApp, event: dict[str, object]
) -> None:
    event.setdefault("type", "message")
    response = app.slack.event(event)
    assert response.status < 500


@FUZZ
@given(payload=st.fixed_dictionaries({
    "type": st.sampled_from(["block_actions", "view_submission", "shortcut", "nonsense"]),
    "user": st.fixed_dictionaries({"id": st.sampled_from([ALICE, ADMIN, "U0NOBODY01"])}),
    "actions": st.lists(st.fixed_dictionaries({
        "action_id": st.sampled_from(["quiz_dispute", "quiz_dispute_grant",
                                      "quiz_dispute_refuse", "quiz_practice_show",
                                      "quiz_practice_next", "quiz_practice_share",
                                      "quiz_practice_answer", "unknown"]),
        "value": st.text(max_size=30)}), max_size=2),
    "view": st.fixed_dictionaries({
        "callback_id": st.sampled_from(["quiz_dispute_form", "quiz_practice_form", "x"]),
        "private_metadata": st.text(max_size=30),
        "state": st.just({"values": {}})}),
    "container": st.fixed_dictionaries({"channel_id": st.just(CHANNEL)}),
}))
def test_any_interactive_payload_is_answered_without_a_5xx(
    app: RunningApp, payload: dict[str, object]
) -> None:
    before = state(app)
    response = app.slack.interaction(payload)
    assert response.status < 500
    assert b"Traceback" not in response.body
    after = state(app)
    assert after["disputes"] == before["disputes"] and after["scores"] == before["scores"]
