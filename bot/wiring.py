"""The one place that builds concrete objects from Settings."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.quiz.bank_file import load_bank
from bot.quiz.channels import ChannelConfig
from bot.quiz.questions import Bank
from bot.services.answers import Answers
from bot.services.awards import Awards
from bot.services.channels import Channels
from bot.services.commands import CommandQueue
from bot.services.corrections import Corrections
from bot.services.cycle import Cycle
from bot.services.digest import Digest
from bot.services.disputes import Disputes
from bot.services.home import home_stats
from bot.services.notices import Notices
from bot.services.outbox import Outbox
from bot.services.practice import Practice
from bot.slack.admins import AdminCheck
from bot.slack.app import build_app
from bot.slack.poster import Poster
from bot.slack.views import HomeStats
from storage.database import make_engine, upgrade
from storage.dialects import dialect_of
from storage.repositories import OnTimeReplies
from storage.unit_of_work import UnitOfWorkFactory, unit_of_work_factory

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger(__name__)
# Slack refuses requests older than 5 minutes, so signatures need keeping a little longer.
REPLAY_WINDOW = timedelta(minutes=10)


@dataclass
class Quizmaster:
    settings: Settings
    engine: Engine
    client: WebClient
    app: App
    cycle: Cycle
    outbox: Outbox
    awards: Awards
    clock: Clock
    team_id: str
    background: ThreadPoolExecutor
    channels: Channels
    uow: UnitOfWorkFactory

    def tick(self) -> None:
        """Do whatever is due now; every process may call this at any time."""
        now = self.clock.now()
        self.cycle.run_due(now, self.channels.active())
        with self.uow() as uow:
            uow.seen.forget_before(now - REPLAY_WINDOW)
            uow.commit()
        self.awards.apply_pending(now)
        self.outbox.send_pending(now)

    def first_time(self, signature: str) -> bool:
        """Record a request signature; False if it was seen before (a replay)."""
        with self.uow() as uow:
            fresh = uow.seen.first_time(signature, self.clock.now())
            uow.commit()
        return fresh

    def close(self) -> None:
        self.background.shutdown(wait=True)
        self.engine.dispose()


def make_client(settings: Settings, idempotent: bool = True) -> WebClient:
    """A client that retries rate limits, plus (for repeatable calls) 5xx and lost connections."""
    handlers: list[RetryHandler] = [RateLimitErrorRetryHandler(max_retry_count=3)]
    if idempotent:
        handlers += [
            ConnectionErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ]
    return WebClient(
        token=settings.bot_token, base_url=settings.api_url, timeout=10, retry_handlers=handlers
    )


def build(
    settings: Settings, clock: Clock | None = None, bank: Bank | None = None,
    migrate: bool = True,
) -> Quizmaster:
    clock = clock or SystemClock()
    bank = bank or load_bank(settings.questions_path)
    if migrate:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    uow = unit_of_work_factory(engine)
    client = make_client(settings)
    identity = client.auth_test()
    team_id = str(identity["team_id"])
    workspace_url = str(identity.get("url") or "https://slack.com/")
    poster = Poster(client, make_client(settings, idempotent=False))
    outbox = Outbox(uow, poster, clock)
    digest = Digest(uow, outbox, poster, bank, settings.schedule, clock, settings.weekly_digest)
    cycle = Cycle(uow, poster, bank, digest.after_reveal)
    admins = AdminCheck(poster, settings.admins)
    awards = Awards(uow, admins.is_admin, settings.award_emoji, settings.award_points)
    disputes = Disputes(uow, bank)
    notices = Notices(uow, outbox, poster, bank, lambda: settings.admins, clock)
    background = ThreadPoolExecutor(max_workers=8, thread_name_prefix="after-ack")
    default = (ChannelConfig(team_id, settings.channel, settings.schedule)
               if settings.channel else None)
    channels = Channels(uow, settings.schedule, default)

    def apply_change() -> None:
        # Runs in a command's after-ack work: the change takes effect before its reply.
        try:
            cycle.run_due(clock.now(), channels.active())
        except Exception:
            log.exception("acting on a settings change failed; the next tick retries")

    def stats(team: str, user: str) -> HomeStats:
        return home_stats(uow, poster, bank, disputes, settings.schedule, team,
                          settings.channel, user, admins.is_admin(user), workspace_url,
                          clock.now())

    app = build_app(
        client=client,
        signing_secret=settings.signing_secret,
        uow=uow,
        cycle=cycle,
        answers=Answers(uow, OnTimeReplies(engine).add,
                        group_writes=dialect_of(engine) == "sqlite"),
        outbox=outbox,
        poster=poster,
        admins=admins,
        awards=awards,
        disputes=disputes,
        corrections=Corrections(uow, bank),
        notices=notices,
        home=stats,
        channels=channels,
        practice=Practice(uow, bank),
        commands_queue=CommandQueue(uow, outbox, clock),
        on_change=apply_change,
        clock=clock,
        background=background,
    )
    if not settings.channel:
        log.info("QUIZ_CHANNEL is not set: channels start their quiz with /quiz schedule")
    quizmaster = Quizmaster(settings, engine, client, app, cycle, outbox, awards, clock,
                            team_id, background, channels, uow)
    return quizmaster


def socket_mode_handler(quizmaster: Quizmaster) -> SocketModeHandler:
    """The Socket Mode connection for teams without a public URL; Slack sends events
    over it unsigned, so the HTTP endpoint's signature check does not apply."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    assert quizmaster.settings.app_token, "Socket Mode needs SLACK_APP_TOKEN"
    return SocketModeHandler(quizmaster.app, quizmaster.settings.app_token)
