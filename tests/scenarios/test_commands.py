"""/quiz post, reveal, leaderboard and help, as Slack sends them."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import ADMIN, ALICE, CHANNEL, RunningApp
from tests.support.clock import FakeClock
from tests.support.slack_api import SlackApi


def responses(api: SlackApi, count: int = 1) -> list[str]:
    return [str(c.params.get("text")) for c in api.wait_for("response_url", count)]


def test_admin_posts_todays_question_now_and_a_second_post_links_it(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    assert app.slack.command("post", ADMIN, CHANNEL).status == 200
    assert "Posted today's question" in responses(slack_api)[0]
    assert len(slack_api.calls("chat.postMessage")) == 1
    app.slack.command("post", ADMIN, CHANNEL)
    second = responses(slack_api, 2)[1]
    assert "already out" in second and "https://test.slack.com/archives/C0QUIZ0001/p" in second
    assert len(slack_api.calls("chat.postMessage")) == 1
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    assert len(slack_api.calls("chat.postMessage")) == 1, "the scheduled post sees today's"


def test_non_admin_is_refused_and_nothing_is_posted(
    app: RunningApp, slack_api: SlackApi
) -> None:
    app.slack.command("post", ALICE, CHANNEL)
    assert "Only quiz admins" in responses(slack_api)[0]
    app.slack.command("reveal", ALICE, CHANNEL)
    assert "Only quiz admins" in responses(slack_api, 2)[1]
    assert slack_api.calls("chat.postMessage") == []


def test_quiz_admins_setting_grants_admin_rights(
    make_app: object, slack_api: SlackApi
) -> None:
    app = make_app(QUIZ_ADMINS=ALICE)  # type: ignore[operator]
    app.slack.command("post", ALICE, CHANNEL)
    assert "Posted" in responses(slack_api)[0]


def test_admin_reveals_the_open_question(
    app: RunningApp, slack_api: SlackApi
) -> None:
    app.slack.command("post", ADMIN, CHANNEL)
    responses(slack_api)
    ts = slack_api.state.messages[0]["ts"]
    app.slack.reply(CHANNEL, str(ts), "1700000100.000200", ALICE, "I think it is the cache layer")
    app.slack.command("reveal", ADMIN, CHANNEL)
    assert "Revealed" in responses(slack_api, 2)[1]
    assert any(m["thread_ts"] == ts for m in slack_api.state.messages)
    app.slack.command("reveal", ADMIN, CHANNEL)
    assert "no open question" in responses(slack_api, 3)[2]


def test_leaderboard_shows_points_after_a_reveal(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    clock.set(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    app.tick()
    ts = str(slack_api.state.messages[0]["ts"])
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "I think it is the cache layer")
    clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    app.tick()
    app.slack.command("leaderboard", ALICE, CHANNEL)
    assert "1. Alice: 1 point (1 answer" in str(slack_api.wait_for("response_url")[0].params)


def test_help_and_unknown_subcommand(app: RunningApp, slack_api: SlackApi) -> None:
    app.slack.command("help", ALICE, CHANNEL)
    text = responses(slack_api)[0]
    assert "/quiz leaderboard" in text and "(admin)" not in text
    response = app.slack.command("frobnicate", ALICE, CHANNEL)
    assert response.status == 200
    assert "I don't know `/quiz frobnicate`" in response.json()["text"]


def test_a_command_whose_text_says_payload_is_read_as_a_command(app: RunningApp) -> None:
    # Bolt takes any form body containing "payload" for a button click or a form.
    response = app.slack.command("payload", ALICE, CHANNEL)
    assert response.status == 200
    assert "I don't know `/quiz payload`" in response.json()["text"]
