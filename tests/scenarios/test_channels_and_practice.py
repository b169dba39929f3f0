"""Running the quiz from Slack, per channel, and practice on demand."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import AnswerRow, ChannelRow, PostRow, PracticeRow
from tests.conftest import ADMIN, ALICE, BOB, CHANNEL, RunningApp
from tests.support.clock import FakeClock
from tests.support.database import quiz_state
from tests.support.slack_api import SlackApi

BERLIN_CHANNEL = "C0BERLIN01"
NY_CHANNEL = "C0NEWYORK1"


def responses(api: SlackApi, count: int = 1) -> list[dict[str, Any]]:
    return [c.params for c in api.wait_for("response_url", count)]


def last_text(api: SlackApi, count: int) -> str:
    return json.dumps(responses(api, count)[count - 1])


def snapshot(app: RunningApp) -> dict[str, list[tuple[object, ...]]]:
    return quiz_state(app.qm.engine)


@pytest.fixture
def unconfigured(make_app: Callable[..., RunningApp]) -> RunningApp:
    return make_app(QUIZ_CHANNEL="")


def test_two_channels_run_their_own_schedules_zones_and_leaderboards(
    unconfigured: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    app = unconfigured
    app.slack.command("schedule 09:30 Europe/Berlin mon-fri", ADMIN, BERLIN_CHANNEL)
    assert "Done" in last_text(slack_api, 1)
    app.slack.command("schedule 14:00 America/New_York mon,wed,fri", ADMIN, NY_CHANNEL)
    assert "America/New_York" in json.dumps(responses(slack_api, 2))
    app.slack.command("reveal-after 4h", ADMIN, BERLIN_CHANNEL)
    assert "revealed after 4h" in last_text(slack_api, 3)

    def posted(channel: str) -> list[dict[str, object]]:
        return [m for m in slack_api.state.messages
                if m["channel"] == channel and m["thread_ts"] is None]

    clock.set(datetime(2026, 11, 18, 8, 29, tzinfo=UTC))  # Wednesday, 09:29 in Berlin
    app.tick()
    assert posted(BERLIN_CHANNEL) == []
    clock.set(datetime(2026, 11, 18, 8, 30, tzinfo=UTC))
    app.tick()
    assert len(posted(BERLIN_CHANNEL)) == 1 and posted(NY_CHANNEL) == []
    berlin_ts = str(posted(BERLIN_CHANNEL)[0]["ts"])
    app.slack.reply(BERLIN_CHANNEL, berlin_ts, "1700000100.000200", ALICE,
                    "I think it is the cache layer")
    clock.set(datetime(2026, 11, 18, 12, 30, tzinfo=UTC))  # 4 h later: Berlin reveal
    app.tick()
    assert any(m["thread_ts"] == berlin_ts for m in slack_api.state.messages)
    clock.set(datetime(2026, 11, 18, 19, 0, tzinfo=UTC))  # 14:00 in New York
    app.tick()
    assert len(posted(NY_CHANNEL)) == 1
    ny_ts = str(posted(NY_CHANNEL)[0]["ts"])
    app.slack.reply(NY_CHANNEL, ny_ts, "1700000100.000300", BOB, "Maybe the database is slow")
    clock.set(datetime(2026, 11, 19, 1, 0, tzinfo=UTC))  # 6 h later
    app.tick()
    clock.set(datetime(2026, 11, 19, 19, 0, tzinfo=UTC))  # Thursday: not a New York day
    app.tick()
    assert len(posted(NY_CHANNEL)) == 1
    app.slack.command("leaderboard", ALICE, BERLIN_CHANNEL)
    berlin_board = last_text(slack_api, 4)
    app.slack.command("leaderboard", ALICE, NY_CHANNEL)
    ny_board = last_text(slack_api, 5)
    assert "Alice" in berlin_board and "Bob" not in berlin_board
    assert "Bob" in ny_board and "Alice" not in ny_board


def test_pause_resume_status_and_tags_only(
    unconfigured: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    app = unconfigured
    app.slack.command("status", ALICE, CHANNEL)
    assert "No daily question in this channel yet" in last_text(slack_api, 1)
    app.slack.command("schedule 10:00 UTC mon-fri", ADMIN, CHANNEL)
    app.slack.command("tags-only celery", ADMIN, CHANNEL)
    responses(slack_api, 3)
    app.slack.command("status", ALICE, CHANNEL)
    assert "only celery" in last_text(slack_api, 4), "both changes kept, whatever the order"
    app.slack.command("pause", ADMIN, CHANNEL)
    assert "(paused)" in last_text(slack_api, 5)
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    assert slack_api.calls("chat.postMessage") == []
    app.slack.command("resume", ADMIN, CHANNEL)
    responses(slack_api, 6)
    app.tick()
    with app.qm.engine.connect() as conn:
        question_id = conn.scalar(select(PostRow.question_id))
    question = app.qm.cycle._bank.get(str(question_id))
    assert question is not None and "celery" in question.tags
    app.slack.command("status", ALICE, CHANNEL)
    status = last_text(slack_api, 7)
    assert "10:00 UTC mon-fri" in status and f"Open now: question {question.number}" in status
    assert "Questions left in this round" in status and "Next question: Thu 19 Nov 10:00" in status


def test_skip_replaces_todays_question_without_scoring(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    first_ts = str(slack_api.state.messages[0]["ts"])
    app.slack.reply(CHANNEL, first_ts, "1700000100.000200", ALICE, "I think it is the cache")
    app.slack.command("skip", ADMIN, CHANNEL)
    assert "Skipped, unscored" in last_text(slack_api, 1)
    assert "skipped" in json.dumps(slack_api.calls("chat.update")[0].params)
    tops = [m for m in slack_api.state.messages if m["thread_ts"] is None]
    assert len(tops) == 2
    with app.qm.engine.connect() as conn:
        rows = conn.execute(select(PostRow.question_id, PostRow.skipped_at)).all()
    assert len(rows) == 2 and rows[0][0] != rows[1][0]
    clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    app.tick()
    reveals = [m for m in slack_api.state.messages if m["thread_ts"]]
    assert [m["thread_ts"] for m in reveals] == [tops[1]["ts"]]


@pytest.mark.parametrize(("text", "expected"), [
    ("schedule 25:00 UTC mon-fri", "Expected HH:MM"),
    ("schedule 09:30 Mars/Olympus", "Unknown time zone"),
    ("schedule 09:30 UTC someday", "cron day list"),
    ("schedule", "Give a time"),
    ("reveal-after 6 hours", "Give one duration"),
    ("reveal-after 6x", "Expected 90m, 6h or 1d"),
    ("tags-only cooking", "Unknown tag 'cooking'"),
    ("random cooking", "I don't know the tag or difficulty"),
    ("pause now", "takes no arguments"),
    ("leaderboard yesterday", "week, month or all"),
    ("shedule 09:30", "Did you mean `/quiz schedule`"),
])
def test_invalid_input_explains_with_an_example_and_changes_nothing(
    app: RunningApp, slack_api: SlackApi, text: str, expected: str
) -> None:
    before = snapshot(app)
    response = app.slack.command(text, ADMIN, CHANNEL)
    assert response.status == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert expected in body["text"] and ("e.g." in body["text"] or "Example" in body["text"])
    assert snapshot(app) == before
    assert {c.method for c in slack_api.calls()} == {"auth.test"}


def test_channel_the_bot_is_not_in_is_refused_and_nothing_changes(
    app: RunningApp, slack_api: SlackApi
) -> None:
    slack_api.state.outside.add("C0OUTSIDE1")
    before = snapshot(app)
    app.slack.command("schedule 09:30", ADMIN, "C0OUTSIDE1")
    assert "/invite @Quizmaster" in last_text(slack_api, 1)
    assert snapshot(app) == before


def test_admin_commands_are_refused_to_others(app: RunningApp, slack_api: SlackApi) -> None:
    before = snapshot(app)
    for n, text in enumerate(["schedule 09:30", "pause", "skip", "tags-only orm",
                              "reveal-after 2h"], start=1):
        app.slack.command(text, BOB, CHANNEL)
        assert "Only quiz admins" in last_text(slack_api, n)
    assert snapshot(app) == before


def test_help_differs_for_admins(app: RunningApp, slack_api: SlackApi) -> None:
    app.slack.command("help", BOB, CHANNEL)
    everyone = last_text(slack_api, 1)
    app.slack.command("help", ADMIN, CHANNEL)
    admins = last_text(slack_api, 2)
    assert "/quiz schedule" not in everyone and "/quiz random" in everyone
    assert "/quiz schedule HH:MM" in admins and "(admin)" in admins


def test_invited_bot_introduces_itself_once_and_stays_quiet(
    unconfigured: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    event = {"type": "member_joined_channel", "user": "U0BOT0001", "channel": "C0NEW00001",
             "channel_type": "C", "team": "T0TEAM001", "inviter": ADMIN}
    unconfigured.slack.event(event)
    unconfigured.slack.event(event, retry=1)
    intro = slack_api.wait_for("chat.postMessage")
    assert "/quiz schedule" in intro[0].params["text"]
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    unconfigured.tick()
    assert len(slack_api.calls("chat.postMessage")) == 1


def test_practice_question_buttons_and_private_grading(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    with app.qm.engine.connect() as conn:
        open_question = conn.scalar(select(PostRow.question_id))
    app.slack.command("", ALICE, CHANNEL)
    message = responses(slack_api)[0]
    actions = next(b for b in message["blocks"] if b["type"] == "actions")["elements"]
    value = json.loads(actions[0]["value"])
    assert value["q"] != open_question, "never the question open in the channel"
    assert [a["action_id"] for a in actions] == [
        "quiz_practice_answer", "quiz_practice_show", "quiz_practice_next", "quiz_practice_share"]
    question = app.qm.cycle._bank.get(value["q"])
    assert question is not None

    app.slack.click("quiz_practice_show", actions[1]["value"], ALICE, CHANNEL, {"ts": "9.9"})
    shown = responses(slack_api, 2)[1]
    assert shown["replace_original"] is True and "The answer" in json.dumps(shown)

    app.slack.click("quiz_practice_next", actions[2]["value"], ALICE, CHANNEL, {"ts": "9.9"})
    another = responses(slack_api, 3)[2]
    assert json.loads(next(b for b in another["blocks"] if b["type"] == "actions")
                      ["elements"][0]["value"])["q"] not in (value["q"], open_question)

    app.slack.click("quiz_practice_share", actions[3]["value"], ALICE, CHANNEL, {"ts": "9.9"})
    shared = slack_api.wait_for("chat.postMessage", 2)[1].params
    assert shared["channel"] == CHANNEL and "not scored" in json.dumps(shared)
    app.slack.reply(CHANNEL, str(slack_api.state.messages[-1]["ts"]), "1700000200.000100",
                    BOB, "I think this is about migrations")

    app.slack.click("quiz_practice_answer", actions[0]["value"], ALICE, CHANNEL, {"ts": "9.9"})
    form = slack_api.wait_for("views.open")[0].params["view"]
    form = json.loads(form) if isinstance(form, str) else form
    graded = app.slack.submit_view(form, ALICE, {"answer": {"text": {"value": question.answer}}})
    result = graded.json()
    assert result["response_action"] == "update"
    assert f"You made {len(question.key_points)} of {len(question.key_points)}" in json.dumps(
        result)
    with app.qm.engine.connect() as conn:
        assert conn.scalar(select(AnswerRow.id)) is None, "practice is never scored"
        boxes = dict(conn.execute(select(PracticeRow.question_id, PracticeRow.box)).all())
    # Showing the answer put it in box 1; answering it fully then moved it up to box 2.
    assert boxes[question.id] == 2


def test_random_with_a_tag_and_the_tag_list(app: RunningApp, slack_api: SlackApi) -> None:
    app.slack.command("random migrations", ALICE, CHANNEL)
    message = responses(slack_api)[0]
    value = json.loads(next(b for b in message["blocks"] if b["type"] == "actions")
                       ["elements"][0]["value"])
    question = app.qm.cycle._bank.get(value["q"])
    assert question is not None and "migrations" in question.tags
    app.slack.command("tags", ALICE, CHANNEL)
    assert "migrations (" in last_text(slack_api, 2)


def test_settings_are_stored_and_seen_by_another_process(
    make_app: Callable[..., RunningApp], clock: FakeClock, slack_api: SlackApi
) -> None:
    first, second = make_app(QUIZ_CHANNEL=""), make_app(QUIZ_CHANNEL="")
    first.slack.command("schedule 11:15 Asia/Tokyo mon-fri", ADMIN, "C0TOKYO001")
    responses(slack_api)
    with first.qm.engine.connect() as conn:
        assert conn.scalar(select(ChannelRow.timezone)) == "Asia/Tokyo"
    # The first process is gone (with the tick its change set off), so only the second,
    # reading the database, can post.
    first.stop()
    clock.set(datetime(2026, 11, 18, 2, 15, tzinfo=UTC))  # 11:15 in Tokyo
    second.tick()
    assert any(m["channel"] == "C0TOKYO001" for m in slack_api.state.messages)
