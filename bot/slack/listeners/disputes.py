"""The dispute button on a reveal, its form, and the quizmasters' verdict buttons."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.services.disputes import Disputes
from bot.services.errors import QuizError
from bot.services.notices import Notices
from bot.slack import views
from bot.slack.admins import AdminCheck
from bot.slack.blocks import DISPUTE_ACTION
from bot.slack.payloads import click, form_field
from bot.slack.poster import Poster

log = logging.getLogger(__name__)


def register(
    app: App, *, disputes: Disputes, poster: Poster, admins: AdminCheck,
    notices: Notices, clock: Clock, background: Executor,
) -> None:
    @app.action(DISPUTE_ACTION)
    def on_dispute(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        background.submit(open_form, body, respond)

    def open_form(body: dict[str, Any], respond: Respond) -> None:
        pressed = click(body)
        try:
            form = disputes.form(pressed.team_id, pressed.channel_id, pressed.thread_ts,
                                 pressed.user_id)
            poster.open_view(pressed.trigger_id,
                             views.dispute_modal(form.post_id, form.question, form.missed))
        except QuizError as err:
            respond(text=str(err), response_type="ephemeral", replace_original=False)
        except SlackApiError as err:
            log.warning("could not open the dispute form: %s", err.response.get("error"))

    @app.view(views.DISPUTE_FORM)
    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        choice = form_field(view, "key_point", "choice").get("selected_option")
        note = form_field(view, "note", "text").get("value") or ""
        user = str((body.get("user") or {}).get("id"))
        if not choice or not str(view.get("private_metadata", "")).isdigit():
            ack(response_action="errors", errors={"key_point": "Pick the key point you made."})
            return
        try:
            # Stored before the ack: a dispute the person saw accepted is never lost.
            dispute = disputes.open(int(view["private_metadata"]), user,
                                    int(choice["value"]), str(note), clock.now())
        except (QuizError, ValueError) as err:
            ack(response_action="errors", errors={"key_point": str(err)[:150]})
            return
        ack()
        background.submit(notices.dispute_opened, dispute)

    def decide(body: dict[str, Any], respond: Respond, grant: bool) -> None:
        user = str((body.get("user") or {}).get("id"))
        action = (body.get("actions") or [{}])[0]
        try:
            if not admins.is_admin(user):
                raise QuizError("Only quiz admins can decide disputes.")
            decision = disputes.decide(int(action.get("value", "0")), grant, user, clock.now())
        except (QuizError, ValueError) as err:
            respond(text=str(err), response_type="ephemeral", replace_original=False)
            return
        who = poster.names([user])[user]
        d = decision.dispute
        respond(replace_original=True,
                **views.dispute_decided(decision.question, d.key_point, grant, who).as_kwargs())
        notices.dispute_decided(decision)

    @app.action(views.GRANT_ACTION)
    def on_grant(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        background.submit(decide, body, respond, True)

    @app.action(views.REFUSE_ACTION)
    def on_refuse(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        background.submit(decide, body, respond, False)
