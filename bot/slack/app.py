"""Build the Bolt app and register every listener."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError

from bot.clock import Clock
from bot.services.answers import Answers
from bot.services.awards import Awards
from bot.services.channels import Channels
from bot.services.commands import CommandQueue
from bot.services.corrections import Corrections
from bot.services.cycle import Cycle
from bot.services.disputes import Disputes
from bot.services.errors import NotYet
from bot.services.notices import Notices
from bot.services.outbox import Outbox
from bot.services.practice import Practice
from bot.slack.admins import AdminCheck
from bot.slack.listeners import channels as channels_listener
from bot.slack.listeners import commands, messages, reactions
from bot.slack.listeners import corrections as corrections_listener
from bot.slack.listeners import disputes as disputes_listener
from bot.slack.listeners import home as home_listener
from bot.slack.listeners import practice as practice_listener
from bot.slack.poster import Poster
from bot.slack.views import HomeStats
from storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)


class _SameToken(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and warns that the client
    handed to it wins; that client holds the very same token, so the warning only puzzles."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_SameToken())


def build_app(
    *,
    client: WebClient,
    signing_secret: str | None,
    uow: UnitOfWorkFactory,
    cycle: Cycle,
    answers: Answers,
    outbox: Outbox,
    poster: Poster,
    admins: AdminCheck,
    awards: Awards,
    disputes: Disputes,
    corrections: Corrections,
    notices: Notices,
    home: Callable[[str, str], HomeStats],
    channels: Channels,
    practice: Practice,
    commands_queue: CommandQueue,
    on_change: Callable[[], None],
    clock: Clock,
    background: Executor,
) -> App:
    app = App(
        client=client,
        signing_secret=signing_secret,
        # Listeners store first and then ack, so Slack's 200 means "saved".
        process_before_response=True,
        token_verification_enabled=False,
        # bot/web.py checks every HTTP request's signature (and size, and replays) before
        # Bolt sees it; Socket Mode needs no signature. Checking twice only costs time.
        request_verification_enabled=False,
    )
    messages.register(app, answers, outbox, clock, background)
    reactions.register(app, awards, clock, background)
    disputes_listener.register(app, disputes=disputes, poster=poster, admins=admins,
                               notices=notices, clock=clock, background=background)
    corrections_listener.register(app, corrections=corrections, poster=poster, admins=admins,
                                  outbox=outbox, clock=clock, background=background)
    home_listener.register(app, home, poster, background)
    commands.register(
        app, cycle=cycle, channels=channels, practice=practice, queue=commands_queue, uow=uow,
        poster=poster, admins=admins, clock=clock, background=background, on_change=on_change,
    )
    practice_listener.register(app, practice=practice, cycle=cycle, poster=poster, clock=clock,
                               background=background)
    channels_listener.register(app, uow, outbox, clock, background)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        if isinstance(error, NotYet):
            log.info("a reply came before its question's ts was stored; Slack will resend")
            return BoltResponse(status=503, body="")
        if isinstance(error, OperationalError):
            # The database is away: nothing was stored, so Slack must send this again
            # (it does at once, after 1 and after 5 minutes). One line, no traceback.
            log.warning("database unavailable; answered 503 to %s",
                        body.get("event_id") or body.get("command") or "a request")
            return BoltResponse(status=503, body="")
        log.error(
            "unhandled %s for team %s event %s", type(error).__name__,
            body.get("team_id"), body.get("event_id"), exc_info=error,
        )
        return BoltResponse(status=500, body="")

    return app
