"""Grades at the reveal, awards, disputes, leaderboards, digest and App Home, via Slack."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import select

from bot.quiz.questions import Question
from storage.models import OverrideRow, PostRow, ScoreRow, StandingRow
from tests.conftest import ADMIN, ALICE, BOB, CHANNEL, RunningApp
from tests.support.clock import FakeClock
from tests.support.slack_api import SlackApi

WEDNESDAY = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def post_and_question(app: RunningApp, clock: FakeClock, api: SlackApi,
                      when: datetime = WEDNESDAY) -> tuple[str, Question]:
    clock.set(when)
    app.tick()
    with app.qm.engine.connect() as conn:
        ts, question_id = conn.execute(
            select(PostRow.message_ts, PostRow.question_id).order_by(PostRow.id.desc())
        ).first()  # type: ignore[misc]
    question = app.qm.cycle._bank.get(question_id)
    assert question is not None
    return str(ts), question


def reveal(app: RunningApp, clock: FakeClock, when: datetime | None = None) -> None:
    clock.set(when or datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
    app.tick()


def score(app: RunningApp, user: str) -> int:
    with app.qm.engine.connect() as conn:
        return int(conn.scalar(select(ScoreRow.points).where(ScoreRow.user_id == user)) or 0)


def reveal_text(api: SlackApi, ts: str) -> str:
    return json.dumps([m["blocks"] for m in api.state.messages if m["thread_ts"] == ts])


def test_reveal_grades_each_answer_against_the_key_points(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts, question = post_and_question(app, clock, slack_api)
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, question.answer)
    app.slack.reply(CHANNEL, ts, "1700000100.000300", BOB, "idk")
    reveal(app, clock)
    n = len(question.key_points)
    all_points = ", ".join(str(i) for i in range(1, n + 1))
    text = reveal_text(slack_api, ts)
    assert f"Alice: {n + 1} points (key points {all_points} of {n})" in text
    assert "Bob: 0 points (too short" in text
    assert score(app, ALICE) == n + 1 and score(app, BOB) == 0


def test_admin_award_reaction_adds_and_removing_it_takes_back(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts, _ = post_and_question(app, clock, slack_api)
    answer_ts = "1700000100.000200"
    app.slack.reply(CHANNEL, ts, answer_ts, ALICE, "I think it is the cache layer")
    app.slack.reaction(True, ADMIN, CHANNEL, answer_ts, "star")  # before the reveal
    app.slack.reaction(True, BOB, CHANNEL, answer_ts, "star")  # not an admin: ignored
    app.tick()
    reveal(app, clock)
    assert score(app, ALICE) == 1 + 2
    app.slack.reaction(False, ADMIN, CHANNEL, answer_ts, "star")
    assert score(app, ALICE) == 1
    app.slack.reaction(True, ADMIN, CHANNEL, answer_ts, "star")  # after the reveal
    app.tick()
    assert score(app, ALICE) == 3
    with app.qm.engine.connect() as conn:
        total = conn.scalar(select(StandingRow.points).where(
            StandingRow.user_id == ALICE, StandingRow.period == "all"))
        states = sorted(conn.scalars(select(OverrideRow.state)))
    assert total == 3
    assert states == ["applied", "rejected"]


def test_dispute_is_granted_by_an_admin_and_the_answerer_is_told(
    make_app: Callable[..., RunningApp], clock: FakeClock, slack_api: SlackApi
) -> None:
    app = make_app(QUIZ_ADMINS=ADMIN)
    ts, question = post_and_question(app, clock, slack_api)
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "I think it is the cache layer")
    reveal(app, clock)
    reply = next(m for m in slack_api.state.messages if m["thread_ts"] == ts)
    assert "quiz_dispute" in json.dumps(reply["blocks"])
    app.slack.click("quiz_dispute", "dispute", ALICE, CHANNEL,
                    {"ts": reply["ts"], "thread_ts": ts})
    view = slack_api.wait_for("views.open")[0].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    options = view["blocks"][1]["element"]["options"]
    assert len(options) == len(question.key_points)
    response = app.slack.submit_view(view, ALICE, {
        "key_point": {"choice": {"selected_option": options[0]}},
        "note": {"text": {"value": "second sentence <!here>"}},
    })
    assert response.status == 200
    dm = slack_api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == ADMIN)[0]
    assert "<!here>" not in json.dumps(dm.params) and "&lt;!here&gt;" in json.dumps(dm.params)
    buttons = next(b for b in dm.params["blocks"] if b["type"] == "actions")["elements"]
    app.slack.click("quiz_dispute_refuse", buttons[1]["value"], BOB, ADMIN, {"ts": "1.0"})
    refusal = slack_api.wait_for("response_url")[0]
    assert "Only quiz admins" in str(refusal.params)
    app.slack.click("quiz_dispute_grant", buttons[0]["value"], ADMIN, ADMIN, {"ts": "1.0"})
    told = slack_api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == ALICE)
    assert "Good news" in told[0].params["text"]
    assert score(app, ALICE) == 2
    app.slack.command("status", ADMIN, CHANNEL)
    status = slack_api.wait_for("response_url", 3)[-1]
    assert "changed the grade 1 time" in str(status.params)


def test_a_quizmaster_takes_back_a_point_the_grader_credited(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts, question = post_and_question(app, clock, slack_api)
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, question.answer)
    reveal(app, clock)
    n = len(question.key_points)
    assert score(app, ALICE) == n + 1
    reply = next(m for m in slack_api.state.messages if m["thread_ts"] == ts)
    message = {"ts": reply["ts"], "thread_ts": ts}
    # Anyone can see the button; only a quiz admin gets the form.
    app.slack.click("quiz_revoke", "revoke", BOB, CHANNEL, message)
    refusal = slack_api.wait_for("response_url")[0]
    assert "Only quiz admins" in str(refusal.params)
    assert not slack_api.calls("views.open")
    app.slack.click("quiz_revoke", "revoke", ADMIN, CHANNEL, message)
    view = slack_api.wait_for("views.open")[0].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    options = next(b for b in view["blocks"] if b.get("block_id") == "key_point")[
        "element"]["options"]
    assert len(options) == n

    def take_back(user: str, whose: str, option: dict[str, object]) -> dict[str, object]:
        response = app.slack.submit_view(view, user, {
            "answerer": {"user": {"selected_user": whose}},
            "key_point": {"choice": {"selected_option": option}},
            "note": {"text": {"value": "that sentence is about <!channel> triggers"}},
        })
        assert response.status == 200
        return dict(response.json())

    assert take_back(ADMIN, BOB, options[0])["response_action"] == "errors"  # Bob never answered
    done = take_back(ADMIN, ALICE, options[0])
    assert done["response_action"] == "update" and "taken back" in json.dumps(done["view"])
    assert score(app, ALICE) == n
    # A second submission finds the point gone: nothing is counted twice.
    again = take_back(ADMIN, ALICE, options[0])
    assert again["response_action"] == "errors" and "nothing to take back" in json.dumps(again)
    assert score(app, ALICE) == n
    # Two quizmasters at once: one takes the point back, the other is told it is gone.
    with ThreadPoolExecutor(2) as pool:
        both = list(pool.map(lambda _: take_back(ADMIN, ALICE, options[1]), range(2)))
    assert sorted(str(r["response_action"]) for r in both) == ["errors", "update"]
    assert score(app, ALICE) == n - 1
    told = slack_api.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == ALICE)
    text = told[0].params["text"]
    assert "took back key point 1" in text and "&lt;!channel&gt;" in text
    with app.qm.engine.connect() as conn:
        total = conn.scalar(select(StandingRow.points).where(
            StandingRow.user_id == ALICE, StandingRow.period == "all"))
        revokes = conn.execute(select(OverrideRow.by_user, OverrideRow.key_point).where(
            OverrideRow.kind == "revoke").order_by(OverrideRow.id)).all()
    assert total == n - 1 and revokes == [(ADMIN, 0), (ADMIN, 1)]
    app.slack.command("status", ADMIN, CHANNEL)
    status = slack_api.wait_for("response_url", 2)[-1]
    assert "changed the grade 2 times" in str(status.params)


def test_leaderboard_periods_public_and_bad_arguments(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts, question = post_and_question(app, clock, slack_api)
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, question.answer)
    app.slack.reply(CHANNEL, ts, "1700000100.000300", BOB, "I think it is the cache layer")
    reveal(app, clock)
    app.slack.command("leaderboard week public", BOB, CHANNEL)
    response = slack_api.wait_for("response_url")[0].params
    assert response["response_type"] == "in_channel"
    lines = json.dumps(response["blocks"])
    assert "this week" in lines and lines.index("1. Alice") < lines.index("2. Bob")
    bad = app.slack.command("leaderboard yesterday", BOB, CHANNEL)
    assert "week, month or all" in bad.json()["text"] and "e.g." in bad.json()["text"]
    clock.set(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))
    app.slack.command("leaderboard month", BOB, CHANNEL)
    assert "No scores yet" in str(slack_api.wait_for("response_url", 2)[1].params)
    app.slack.command("leaderboard all", BOB, CHANNEL)
    assert "1. Alice" in str(slack_api.wait_for("response_url", 3)[2].params)


def test_weekly_digest_is_posted_once_after_the_last_reveal_of_the_week(
    make_app: Callable[..., RunningApp], clock: FakeClock, slack_api: SlackApi
) -> None:
    first, second = make_app(), make_app()
    friday = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    ts, question = post_and_question(first, clock, slack_api, friday)
    first.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, question.answer)
    clock.set(datetime(2026, 11, 20, 16, 0, tzinfo=UTC))
    first.tick()
    second.tick()
    first.tick()
    posted = digests(slack_api)
    assert len(posted) == 1
    assert "1. Alice" in json.dumps(posted[0]["blocks"])
    assert f"Hardest question: {question.number}" in json.dumps(posted[0]["blocks"])


def digests(api: SlackApi) -> list[dict[str, object]]:
    return [m for m in api.state.messages
            if (m.get("metadata") or {}).get("event_type") == "quizmaster_digest"]


def test_no_digest_midweek_or_when_turned_off(
    make_app: Callable[..., RunningApp], clock: FakeClock, slack_api: SlackApi
) -> None:
    app = make_app()
    post_and_question(app, clock, slack_api)
    reveal(app, clock)
    assert digests(slack_api) == [], "Thursday and Friday questions are still to come"
    off = make_app(QUIZ_WEEKLY_DIGEST="false", QUIZ_CHANNEL="C0OTHER001")
    clock.set(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    off.tick()
    clock.set(datetime(2026, 11, 20, 16, 0, tzinfo=UTC))
    off.tick()
    assert any(m["channel"] == "C0OTHER001" and m["thread_ts"] for m in slack_api.state.messages)
    assert digests(slack_api) == []


def test_app_home_shows_own_stats_board_and_what_to_read(
    app: RunningApp, clock: FakeClock, slack_api: SlackApi
) -> None:
    ts, question = post_and_question(app, clock, slack_api)
    app.slack.reply(CHANNEL, ts, "1700000100.000200", ALICE, "I think it is the cache layer")
    reveal(app, clock)
    app.slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home",
                     "channel": "D0ALICE01", "event_ts": "1.2"})
    view = slack_api.wait_for("views.publish")[0].params["view"]
    text = json.dumps(view)
    assert "*Points*\\n1" in text and "*Rank*\\n1" in text and "*Answers*\\n1" in text
    assert "1. Alice: 1 point" in text
    assert question.key_points[0].text[:40] in text.replace('\\"', '"')
    assert f"/archives/{CHANNEL}/p{ts.replace('.', '')}" in text
