"""Restarts, crashes, Slack faults and two processes on one database."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.services.commands import AlreadyRun, Command, CommandQueue
from storage.models import AnswerRow, OutboxRow, PostRow
from storage.unit_of_work import UnitOfWork
from tests.conftest import ADMIN, ALICE, CHANNEL, RunningApp
from tests.support.clock import FakeClock
from tests.support.slack_api import TEAM, Fault, SlackApi


def top_level(api: SlackApi) -> list[dict[str, object]]:
    return [m for m in api.state.messages if m["channel"] == CHANNEL and m["thread_ts"] is None]


def reveals(api: SlackApi) -> list[dict[str, object]]:
    return [m for m in api.state.messages if m["thread_ts"] is not None]


def test_restart_reveals_an_overdue_question_at_once(
    make_app: Callable[..., RunningApp], clock: FakeClock, slack_api: SlackApi
) -> None:
    first = make_app()
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    first.tick()
    ts = str(top_level(slack_api)[0]["ts"])
    first.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "I think it is the cache layer")
    first.stop()
    clock.set(datetime(2026, 11, 18, 19, 0, tzinfo=UTC))
    second = make_app()
    second.tick()
    assert len(reveals(slack_api)) == 1
    assert "Alice: 1 point" in str(reveals(slack_api)[0]["blocks"])


def test_missed_post_is_made_within_the_reveal_window_only(
    make_app: Callable[..., RunningApp], clock: FakeClock, slack_api: SlackApi
) -> None:
    app = make_app()
    clock.set(datetime(2026, 11, 18, 15, 59, tzinfo=UTC))
    app.tick()
    assert len(top_level(slack_api)) == 1
    clock.set(datetime(2026, 11, 19, 16, 0, tzinfo=UTC))  # Thursday: 6 h late, too late
    app.tick()
    assert len(top_level(slack_api)) == 1


def test_two_processes_post_and_reveal_once(
    make_app: Callable[..., RunningApp], clock: FakeClock, slack_api: SlackApi
) -> None:
    apps = [make_app(), make_app()]

    def tick_together() -> None:
        threads = [threading.Thread(target=a.tick) for a in apps for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    tick_together()
    assert len(top_level(slack_api)) == 1
    clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    tick_together()
    assert len(reveals(slack_api)) == 1
    assert len(slack_api.calls("chat.update")) == 1


def test_post_lost_in_flight_is_found_not_repeated(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    """Slack posted but the connection dropped: the retry finds the message by metadata."""
    slack_api.fail_next("chat.postMessage", Fault(0, drop=True, after_recording=True))
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    with app.qm.engine.connect() as conn:
        assert conn.scalar(select(PostRow.message_ts)) is None
    clock.set(datetime(2026, 11, 18, 10, 3, tzinfo=UTC))
    app.tick()
    assert len(top_level(slack_api)) == 1
    with app.qm.engine.connect() as conn:
        assert conn.scalar(select(PostRow.message_ts)) == top_level(slack_api)[0]["ts"]


def test_failed_post_is_retried_later(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    slack_api.error_next("chat.postMessage", "internal_error")
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    assert top_level(slack_api) == []
    clock.set(datetime(2026, 11, 18, 10, 2, tzinfo=UTC))
    app.tick()
    assert len(top_level(slack_api)) == 1


def test_rate_limited_post_honours_retry_after_and_lands_once(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    slack_api.fail_next("chat.postMessage", Fault(429, retry_after=1))
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    assert len(top_level(slack_api)) == 1
    assert len(slack_api.calls("chat.postMessage")) == 2


def test_reveal_interrupted_after_the_reply_is_not_repeated(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    slack_api.error_next("chat.update", "internal_error")
    clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    app.tick()
    assert len(reveals(slack_api)) == 1
    clock.set(datetime(2026, 11, 18, 16, 5, tzinfo=UTC))
    app.tick()
    assert len(reveals(slack_api)) == 1
    assert len(slack_api.calls("chat.update")) == 2
    with app.qm.engine.connect() as conn:
        assert conn.scalar(select(PostRow.revealed_at)) is not None


def test_reply_to_a_question_whose_ts_is_not_stored_yet_is_resent_not_dropped(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    """Posted, then the response was lost: a reply in between gets 503, and Slack resends."""
    slack_api.fail_next("chat.postMessage", Fault(0, drop=True, after_recording=True))
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    ts = str(top_level(slack_api)[0]["ts"])
    first = app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "It is the cache layer")
    assert first.status == 503
    clock.set(datetime(2026, 11, 18, 10, 2, tzinfo=UTC))
    app.tick()
    again = app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "It is the cache layer")
    assert again.status == 200
    with app.qm.engine.connect() as conn:
        assert conn.scalar(select(AnswerRow.message_ts)) == "1700000100.000200"


def _accepted_then_crashed(app: RunningApp, text: str, user: str, clock: FakeClock,
                           api: SlackApi) -> tuple[CommandQueue, Command]:
    """A slash command stored and acknowledged by a process that died before running it;
    the queue and the stored command, to run it by hand."""
    queue = CommandQueue(app.qm.uow, app.qm.outbox, clock)
    command = Command(text, TEAM, CHANNEL, user, api.response_url + "cmd", clock.now())
    item_id = queue.accept(command, trigger_id=f"crashed-{text}")
    assert item_id is not None
    return queue, replace(command, item_id=item_id)


def _commands_done(app: RunningApp) -> list[bool]:
    with app.qm.engine.connect() as conn:
        return [done is not None for done in conn.scalars(
            select(OutboxRow.done_at).where(OutboxRow.kind == "command"))]


def test_a_command_acknowledged_before_a_crash_runs_once_after_the_restart(
    make_app: Callable[..., RunningApp], clock: FakeClock, slack_api: SlackApi
) -> None:
    first = make_app()
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    _accepted_then_crashed(first, "post", ADMIN, clock, slack_api)
    first.stop()
    second = make_app()
    clock.set(datetime(2026, 11, 18, 9, 2, tzinfo=UTC))
    second.tick()
    assert len(top_level(slack_api)) == 1, "the admin's /quiz post happened after all"
    assert "Posted today's question" in str(slack_api.wait_for("response_url")[0].params)
    second.tick()
    assert len(top_level(slack_api)) == 1
    assert _commands_done(second) == [True]


def test_a_command_too_old_to_answer_is_dropped_after_a_long_outage(
    make_app: Callable[..., RunningApp], clock: FakeClock, slack_api: SlackApi
) -> None:
    app = make_app()
    clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    _accepted_then_crashed(app, "post", ADMIN, clock, slack_api)
    clock.set(datetime(2026, 11, 18, 9, 40, tzinfo=UTC))
    app.tick()
    assert top_level(slack_api) == [] and slack_api.calls("response_url") == []
    assert _commands_done(app) == [True]


def _skip_run_once(app: RunningApp, clock: FakeClock, slack_api: SlackApi) -> Callable[[], None]:
    """Post today's question, store a /quiz skip and run it through its transaction;
    return what runs that same stored skip again."""
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    queue, stored = _accepted_then_crashed(app, "skip", ADMIN, clock, slack_api)
    config = app.qm.channels.config(TEAM, CHANNEL)

    def run() -> None:
        app.qm.cycle.skip(config, clock.now(), lambda uow: queue.note_done(uow, stored))

    run()
    return run


def _skipped(app: RunningApp) -> list[bool]:
    with app.qm.engine.connect() as conn:
        return sorted(s is not None for s in conn.execute(select(PostRow.skipped_at)).scalars())


def test_a_skip_that_went_through_before_a_crash_is_not_run_again(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    # The process ran the skip and died before it got to the reply: the skip's own
    # transaction noted the command done, so the restarted process does not skip again.
    _skip_run_once(app, clock, slack_api)
    clock.set(datetime(2026, 11, 18, 10, 3, tzinfo=UTC))
    app.tick()
    assert _skipped(app) == [False, True]
    assert slack_api.calls("response_url") == []


def test_a_second_run_of_a_skip_sets_nothing_else_aside(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    # A skip that outlives its lease can be picked up by another process while the first
    # run is still working; whichever transaction comes second must change nothing.
    run_again = _skip_run_once(app, clock, slack_api)
    with pytest.raises(AlreadyRun):
        run_again()
    assert _skipped(app) == [False, True]


def test_two_overlapping_runs_of_one_skip_skip_once_and_answer_once(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    # The second run starts while the first still holds its transaction open. It must
    # learn that the command already ran, not that there is no open question: that
    # reply would tell the admin their skip failed.
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    queue, stored = _accepted_then_crashed(app, "skip", ADMIN, clock, slack_api)
    config = app.qm.channels.config(TEAM, CHANNEL)
    inside, release = threading.Event(), threading.Event()
    outcomes: dict[str, BaseException | None] = {}

    def first_run(uow: UnitOfWork) -> None:
        queue.note_done(uow, stored)
        inside.set()
        release.wait(10)

    def run(name: str, along: Callable[[UnitOfWork], None]) -> None:
        try:
            app.qm.cycle.skip(config, clock.now(), along)
            outcomes[name] = None
        except Exception as err:  # the outcome is what the test looks at
            outcomes[name] = err

    first = threading.Thread(target=run, args=("first", first_run))
    first.start()
    assert inside.wait(10)
    second = threading.Thread(
        target=run, args=("second", lambda uow: queue.note_done(uow, stored)))
    second.start()
    # Give the second run time to reach the command's row; either way it comes after.
    second.join(0.5)
    release.set()
    first.join(10)
    second.join(10)
    assert outcomes["first"] is None
    assert isinstance(outcomes["second"], AlreadyRun), outcomes["second"]
    assert _skipped(app) == [False, True]
