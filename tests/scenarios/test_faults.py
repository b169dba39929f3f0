"""Slack failing on cue (429 with Retry-After, 500, dropped connections): all lands once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from storage.models import AnswerRow, PostRow, ScoreRow
from tests.conftest import ALICE, BOB, CHANNEL, RunningApp
from tests.support.clock import FakeClock
from tests.support.slack_api import Fault, SlackApi


def question(app: RunningApp, clock: FakeClock, api: SlackApi) -> str:
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    return str(next(m["ts"] for m in api.state.messages if m["thread_ts"] is None))


def test_reaction_survives_429_500_and_a_dropped_connection(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts = question(app, clock, slack_api)
    slack_api.fail_next("reactions.add", Fault(429, retry_after=1))
    slack_api.fail_next("reactions.add", Fault(500))
    slack_api.fail_next("reactions.add", Fault(0, drop=True, after_recording=True))
    started = time.monotonic()
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "It is the cache layer")
    deadline = time.monotonic() + 10
    while not slack_api.state.reactions and time.monotonic() < deadline:
        app.tick()
        time.sleep(0.1)
    assert list(slack_api.state.reactions) == [(CHANNEL, "1700000100.000200",
                                                "white_check_mark")]
    assert time.monotonic() - started >= 1, "Retry-After was honoured"
    app.tick()
    with app.qm.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(AnswerRow)
                           .where(AnswerRow.reacted_at.is_(None))) == 0


def test_reveal_reply_lost_in_flight_is_found_not_repeated(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts = question(app, clock, slack_api)
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "It is the cache layer")
    slack_api.fail_next("chat.postMessage", Fault(0, drop=True, after_recording=True))
    clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    app.tick()
    clock.set(datetime(2026, 11, 18, 16, 3, tzinfo=UTC))
    app.tick()
    app.tick()
    replies = [m for m in slack_api.state.messages if m["thread_ts"] == ts]
    assert len(replies) == 1
    with app.qm.engine.connect() as conn:
        assert conn.scalar(select(PostRow.revealed_at)) is not None
        assert conn.scalar(select(func.count()).select_from(ScoreRow)) == 1


def test_post_failing_with_500_then_429_lands_once(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    slack_api.fail_next("chat.postMessage", Fault(500))
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    slack_api.fail_next("chat.postMessage", Fault(429, retry_after=1))
    clock.set(datetime(2026, 11, 18, 10, 2, tzinfo=UTC))
    app.tick()
    app.tick()
    assert len([m for m in slack_api.state.messages if m["thread_ts"] is None]) == 1


def test_late_notice_survives_a_rate_limit_and_is_sent_once(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts = question(app, clock, slack_api)
    clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    app.tick()
    slack_api.fail_next("chat.postEphemeral", Fault(429, retry_after=1))
    app.slack.reply(CHANNEL, ts, "1700000200.000100", BOB, "late but sure: it is the cache")
    slack_api.wait_for("chat.postEphemeral", 2, timeout=10)
    app.tick()
    time.sleep(0.3)
    assert len(slack_api.calls("chat.postEphemeral")) == 2  # the 429, then the one that landed


def test_two_processes_for_a_simulated_week_post_and_reveal_once_a_day(
    make_app: Callable[..., RunningApp], clock: FakeClock, slack_api: SlackApi
) -> None:
    apps = [make_app(), make_app()]
    monday = datetime(2026, 11, 16, 0, 0, tzinfo=UTC)
    for hour in range(0, 7 * 24, 2):
        clock.set(monday + timedelta(hours=hour))
        threads = [threading.Thread(target=a.tick) for a in apps]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    questions = [m for m in slack_api.state.messages
                 if (m.get("metadata") or {}).get("event_type") == "quizmaster_question"]
    reveals = [m for m in slack_api.state.messages
               if (m.get("metadata") or {}).get("event_type") == "quizmaster_reveal"]
    assert len(questions) == 5 and len(reveals) == 5
    assert len({m["thread_ts"] for m in reveals}) == 5
    with apps[0].qm.engine.connect() as conn:
        days = conn.scalars(select(PostRow.quiz_date)).all()
    assert len(days) == len(set(days)) == 5
