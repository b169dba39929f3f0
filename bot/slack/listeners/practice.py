"""Practice buttons (answer, show answer, another one, share) and the answer form."""

from __future__ import annotations

import json
import logging
from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.services.cycle import Cycle
from bot.services.errors import QuizError
from bot.services.practice import Practice
from bot.slack import practice_views as pv
from bot.slack.poster import Poster

log = logging.getLogger(__name__)


def _value(body: dict[str, Any]) -> dict[str, str]:
    action = (body.get("actions") or [{}])[0]
    try:
        value = json.loads(action.get("value") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def register(app: App, *, practice: Practice, cycle: Cycle, poster: Poster, clock: Clock,
             background: Executor) -> None:
    def who(body: dict[str, Any]) -> tuple[str, str, str]:
        team = str((body.get("team") or {}).get("id"))
        user = str((body.get("user") or {}).get("id"))
        channel = str((body.get("container") or {}).get("channel_id")
                      or (body.get("channel") or {}).get("id"))
        return team, user, channel

    def guarded(work: Any, body: dict[str, Any], respond: Respond) -> None:
        try:
            work(body, respond)
        except QuizError as err:
            respond(text=str(err), response_type="ephemeral", replace_original=False)
        except SlackApiError as err:
            log.warning("practice action failed: %s", err.response.get("error"))

    def show(body: dict[str, Any], respond: Respond) -> None:
        team, user, _ = who(body)
        value = _value(body)
        question = practice.question(value.get("q", ""))
        practice.revealed(team, user, question.id, clock.now())
        respond(replace_original=True,
                **pv.practice_answer(question, value.get("f", "")).as_kwargs())

    def another(body: dict[str, Any], respond: Respond) -> None:
        team, user, channel = who(body)
        value = _value(body)
        exclude = {value.get("q", "")}
        open_question = cycle.open_question(team, channel)
        if open_question:
            exclude.add(open_question)
        flt = practice.parse_filter(value.get("f", ""))
        question = practice.next(team, user, flt, clock.now(), exclude)
        respond(replace_original=True, **pv.practice_question(question, flt.text).as_kwargs())

    def share(body: dict[str, Any], respond: Respond) -> None:
        _, user, channel = who(body)
        question = practice.question(_value(body).get("q", ""))
        name = poster.names([user])[user]
        message = pv.shared(question, name)
        poster.message(channel, message.text, message.blocks)
        respond(text="Shared in the channel for discussion.", response_type="ephemeral",
                replace_original=False)

    def answer(body: dict[str, Any], respond: Respond) -> None:
        _, _, channel = who(body)
        value = _value(body)
        question = practice.question(value.get("q", ""))
        poster.open_view(str(body.get("trigger_id")),
                         pv.answer_form(question, value.get("f", ""), channel))

    def after_ack(work: Any) -> Any:
        # Bolt passes arguments by name, so each button gets its own small listener.
        def listener(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
            ack()
            background.submit(guarded, work, body, respond)

        return listener

    for action_id, work in ((pv.SHOW, show), (pv.NEXT, another), (pv.SHARE, share),
                            (pv.ANSWER, answer)):
        app.action(action_id)(after_ack(work))

    @app.view(pv.ANSWER_FORM)
    def on_answer(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = (view.get("state") or {}).get("values") or {}
        text = ((values.get("answer") or {}).get("text") or {}).get("value") or ""
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            question = practice.question(str(meta.get("q", "")))
        except (ValueError, QuizError):
            ack(response_action="errors", errors={"answer": "This question is gone; close "
                                                  "the form and try /quiz random."})
            return
        team = str((body.get("team") or {}).get("id"))
        user = str((body.get("user") or {}).get("id"))
        # Grading is quick and pure, so the grade replaces the form in the ack itself.
        result = practice.answer(team, user, question.id, text, clock.now())
        ack(response_action="update", view=pv.graded_view(question, result))
