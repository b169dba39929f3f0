"""The one place that builds concrete objects from Settings."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

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
from bot.quiz.questions import Bank
from bot.services.answers import Answers
from bot.services.awards import Awards
from bot.services.cycle import ChannelPlan, Cycle
from bot.services.digest import Digest
from bot.services.disputes import Disputes
from bot.services.home import home_stats
from bot.services.notices import Notices
from bot.services.outbox import Outbox
from bot.slack.admins import AdminCheck
from bot.slack.app import build_app
from bot.slack.poster import Poster
from bot.slack.views import HomeStats
from storage.database import make_engine, upgrade
from storage.unit_of_work import unit_of_work_factory

log = logging.getLogger(__name__)


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
    plans: list[ChannelPlan] = field(default_factory=list)

    def tick(self) -> None:
        """Do whatever is due now; every process may call this at any time."""
        now = self.clock.now()
        self.cycle.run_due(now, self.plans)
        self.awards.apply_pending(now)
        self.outbox.send_pending(now)

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

    def stats(team: str, user: str) -> HomeStats:
        return home_stats(uow, poster, bank, disputes, settings.schedule, team,
                          settings.channel, user, admins.is_admin(user), workspace_url,
                          clock.now())

    app = build_app(
        client=client,
        signing_secret=settings.signing_secret,
        uow=uow,
        cycle=cycle,
        answers=Answers(uow),
        outbox=outbox,
        poster=poster,
        admins=admins,
        awards=awards,
        disputes=disputes,
        notices=notices,
        home=stats,
        schedule=settings.schedule,
        clock=clock,
        background=background,
    )
    plans = []
    if settings.channel:
        plans.append(ChannelPlan(team_id, settings.channel, settings.schedule))
    else:
        log.warning("QUIZ_CHANNEL is not set: no daily question until it is (/quiz post works)")
    return Quizmaster(settings, engine, client, app, cycle, outbox, awards, clock, team_id,
                      background, plans)
