"""The HTTP edge: signatures, sizes, health."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request

from sqlalchemy import func, select

from storage.models import AnswerRow
from tests.conftest import ALICE, CHANNEL, RunningApp
from tests.support.signing import sign
from tests.support.slack_api import SlackApi

BODY = json.dumps({"type": "event_callback", "team_id": "T0TEAM001", "event_id": "Ev1",
                   "event": {"type": "message", "channel": CHANNEL, "user": ALICE,
                             "text": "x", "ts": "2.0", "thread_ts": "1.0"}}).encode()


def test_forged_signature_is_refused_with_401(app: RunningApp, slack_api: SlackApi) -> None:
    response = app.slack.send(BODY, "application/json", signature="v0=" + "0" * 64)
    assert response.status == 401


def test_signature_made_with_another_secret_is_refused(app: RunningApp) -> None:
    now = int(time.time())
    response = app.slack.send(BODY, "application/json", timestamp=now,
                              signature=sign(BODY, now, "not-the-secret"))
    assert response.status == 401


def test_stale_request_is_refused_with_401(app: RunningApp) -> None:
    old = int(time.time()) - 6 * 60
    response = app.slack.send(BODY, "application/json", timestamp=old, signature=sign(BODY, old))
    assert response.status == 401


def test_non_numeric_timestamp_is_401_not_500(app: RunningApp) -> None:
    response = app.slack.send(BODY, "application/json", timestamp=None,
                              headers={"X-Slack-Request-Timestamp": "soon"})
    assert response.status == 401


def test_refused_requests_change_nothing(app: RunningApp, slack_api: SlackApi) -> None:
    app.slack.send(BODY, "application/json", signature="v0=bad")
    with app.qm.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(AnswerRow)) == 0
    assert [c.method for c in slack_api.calls()] == ["auth.test"]


def test_oversized_body_is_refused_before_it_is_read(app: RunningApp) -> None:
    """The answer comes from the declared length alone: no byte of the body was sent."""
    host, port = app.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.putrequest("POST", "/slack/events")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(1024 * 1024 + 1))
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413
    conn.close()


def test_health_and_unknown_paths(app: RunningApp) -> None:
    with urllib.request.urlopen(app.url + "/healthz", timeout=5) as response:
        assert response.status == 200
    try:
        urllib.request.urlopen(app.url + "/nope", timeout=5)
        raise AssertionError("expected 404")
    except urllib.error.HTTPError as err:
        assert err.code == 404
