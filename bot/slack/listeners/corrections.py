"""The reveal's "take back a point" button and its form, for quizmasters."""

from __future__ import annotations

import logging
import re
from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.services.corrections import Corrections
from bot.services.errors import QuizError
from bot.services.outbox import Outbox
from bot.slack import views
from bot.slack.admins import AdminCheck
from bot.slack.blocks import REVOKE_ACTION
from bot.slack.payloads import click, form_field
from bot.slack.poster import Poster

log = logging.getLogger(__name__)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


def register(
    app: App, *, corrections: Corrections, poster: Poster, admins: AdminCheck, outbox: Outbox,
    clock: Clock, background: Executor,
) -> None:
    @app.action(REVOKE_ACTION)
    def on_revoke(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        background.submit(open_form, body, respond)

    def open_form(body: dict[str, Any], respond: Respond) -> None:
        pressed = click(body)
        try:
            if not admins.is_admin(pressed.user_id):
                raise QuizError("Only quiz admins can take back a point. If a grade looks "
                                "wrong to you, tell a quizmaster in the thread.")
            post_id, question = corrections.question_of(pressed.team_id, pressed.channel_id,
                                                        pressed.thread_ts)
            poster.open_view(pressed.trigger_id, views.revoke_modal(post_id, question))
        except QuizError as err:
            respond(text=str(err), response_type="ephemeral", replace_original=False)
        except SlackApiError as err:
            log.warning("could not open the correction form: %s", err.response.get("error"))

    @app.view(views.REVOKE_FORM)
    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        answerer = str(form_field(view, "answerer", "user").get("selected_user") or "")
        choice = form_field(view, "key_point", "choice").get("selected_option")
        note = form_field(view, "note", "text").get("value") or ""
        by_user = str((body.get("user") or {}).get("id"))
        if not _USER_ID.match(answerer):
            ack(response_action="errors", errors={"answerer": "Pick whose answer it is."})
            return
        if not choice or not str(view.get("private_metadata", "")).isdigit():
            ack(response_action="errors", errors={"key_point": "Pick the key point."})
            return
        try:
            if not admins.is_admin(by_user):
                raise QuizError("Only quiz admins can take back a point.")
            # Stored before the ack: a correction the quizmaster saw done is never lost.
            correction = corrections.revoke(int(view["private_metadata"]), answerer,
                                            int(choice["value"]), by_user, str(note),
                                            clock.now())
        except (QuizError, ValueError) as err:
            ack(response_action="errors", errors={"key_point": str(err)[:150]})
            return
        ack(response_action="update",
            view=views.revoke_done(correction.question, correction.key_point, answerer))
        if correction.notice is not None:
            background.submit(outbox.send, [correction.notice])
