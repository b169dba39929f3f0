"""The daily cycle driven as Slack drives it: signed requests in, Web API calls out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from storage.models import AnswerRow, PostRow, ScoreRow
from tests.conftest import ALICE, BOB, CHANNEL, RunningApp
from tests.support.clock import FakeClock
from tests.support.slack_api import SlackApi


def top_level_posts(api: SlackApi) -> list[dict[str, Any]]:
    return [m for m in api.state.messages if m["channel"] == CHANNEL and m["thread_ts"] is None]


def count(app: RunningApp, model: type) -> int:
    with app.qm.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def post_question(app: RunningApp, clock: FakeClock, api: SlackApi) -> str:
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    posts = top_level_posts(api)
    assert len(posts) == 1
    return str(posts[0]["ts"])


def test_question_is_posted_at_the_scheduled_time_and_only_once(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    """Nothing before 10:00; one post at 10:00; further ticks post nothing more."""
    clock.set(datetime(2026, 11, 18, 9, 59, tzinfo=UTC))
    app.tick()
    assert top_level_posts(slack_api) == []
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    app.tick()
    posts = top_level_posts(slack_api)
    assert len(posts) == 1
    assert posts[0]["metadata"]["event_type"] == "quizmaster_question"
    assert "Reply in this thread" in str(posts[0]["blocks"])


def test_thread_reply_is_stored_and_marked_with_a_reaction(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    """An answer lands in the database before the 200, then gets a reaction."""
    ts = post_question(app, clock, slack_api)
    response = app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "auto_now is skipped")
    assert response.status == 200
    assert count(app, AnswerRow) == 1
    calls = slack_api.wait_for("reactions.add")
    assert calls[0].params["timestamp"] == "1700000100.000200"


def test_retried_event_is_counted_once(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    """Slack's retry of the same event stores nothing new and reacts once."""
    ts = post_question(app, clock, slack_api)
    event = {"type": "message", "channel": CHANNEL, "user": ALICE, "text": "answer",
             "ts": "1700000100.000200", "thread_ts": ts, "team": "T0TEAM001"}
    assert app.slack.event(event, event_id="Ev0RETRY01").status == 200
    assert app.slack.event(event, event_id="Ev0RETRY01", retry=1).status == 200
    assert count(app, AnswerRow) == 1
    slack_api.wait_for("reactions.add")
    app.tick()
    assert len(slack_api.calls("reactions.add")) == 1


def test_edit_replaces_and_delete_removes_an_answer(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts = post_question(app, clock, slack_api)
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "first try")
    app.slack.edit(CHANNEL, ts, "1700000100.000200", ALICE, "second try")
    with app.qm.engine.connect() as conn:
        assert conn.scalars(select(AnswerRow.text)).all() == ["second try"]
    app.slack.delete(CHANNEL, ts, "1700000100.000200", ALICE)
    assert count(app, AnswerRow) == 0


def test_bot_messages_other_threads_and_top_level_messages_are_ignored(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts = post_question(app, clock, slack_api)
    app.slack.reply(CHANNEL, ts, "1700000100.000201", ALICE, "from a bot", bot_id="B0OTHER01")
    app.slack.reply(CHANNEL, "1600000000.000100", "1700000100.000202", ALICE, "other thread")
    app.slack.event({"type": "message", "channel": CHANNEL, "user": ALICE, "text": "top",
                     "ts": "1700000100.000203", "team": "T0TEAM001"})
    app.slack.reply("C0OTHER001", ts, "1700000100.000204", ALICE, "other channel")
    assert count(app, AnswerRow) == 0


def test_reveal_replies_in_thread_scores_and_closes_the_question(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts = post_question(app, clock, slack_api)
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "I think it is the cache layer")
    app.slack.reply(CHANNEL, ts, "1700000100.000300", BOB, "Maybe the database is slow today")
    app.slack.reply(CHANNEL, ts, "1700000100.000400", BOB, "or the network is down")
    clock.set(datetime(2026, 11, 18, 15, 59, tzinfo=UTC))
    app.tick()
    assert not slack_api.calls("chat.update")
    clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    app.tick()
    app.tick()
    replies = [m for m in slack_api.state.messages if m["thread_ts"] == ts]
    assert len(replies) == 1
    text = str(replies[0]["blocks"])
    assert "The answer" in text and "Alice: 1 point" in text and "Bob: 1 point" in text
    updates = slack_api.calls("chat.update")
    assert len(updates) == 1 and "closed" in str(updates[0].params["blocks"])
    with app.qm.engine.connect() as conn:
        assert sorted(conn.execute(select(ScoreRow.user_id, ScoreRow.points))) == [
            (ALICE, 1), (BOB, 1)
        ]


def test_late_reply_is_not_scored_and_acknowledged_once(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts = post_question(app, clock, slack_api)
    clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    app.tick()
    app.slack.reply(CHANNEL, ts, "1700000200.000100", ALICE, "late one")
    app.slack.reply(CHANNEL, ts, "1700000200.000200", ALICE, "late two")
    slack_api.wait_for("chat.postEphemeral")
    app.tick()
    assert len(slack_api.calls("chat.postEphemeral")) == 1
    assert "already revealed" in slack_api.calls("chat.postEphemeral")[0].params["text"]
    assert count(app, ScoreRow) == 0
    assert slack_api.calls("reactions.add") == []


def test_names_that_would_ping_are_escaped_in_the_reveal(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    slack_api.add_user(ALICE, "<!channel> & <@U0BOB00001>")
    ts = post_question(app, clock, slack_api)
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "hello <!here>")
    clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    app.tick()
    text = str([m["blocks"] for m in slack_api.state.messages if m["thread_ts"] == ts])
    assert "<!channel>" not in text and "<@U0BOB00001>" not in text and "<!here>" not in text
    assert "&lt;!channel&gt; &amp; &lt;@U0BOB00001&gt;" in text


def test_weekend_gets_no_question(app: RunningApp, clock: FakeClock, slack_api: SlackApi) -> None:
    clock.set(datetime(2026, 11, 21, 10, 0, tzinfo=UTC))  # Saturday
    app.tick()
    assert top_level_posts(slack_api) == []


def test_next_days_question_is_a_different_one(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    post_question(app, clock, slack_api)
    clock.set(datetime(2026, 11, 19, 10, 0, tzinfo=UTC))
    app.tick()
    with app.qm.engine.connect() as conn:
        asked = conn.scalars(select(PostRow.question_id)).all()
    assert len(asked) == 2 and asked[0] != asked[1]
