"""Being invited to a channel: say once what the bot does and how to start."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.clock import Clock
from bot.services.outbox import Outbox
from bot.slack import practice_views
from bot.slack.listeners.messages import text_field
from storage.unit_of_work import UnitOfWorkFactory


def register(app: App, uow: UnitOfWorkFactory, outbox: Outbox, clock: Clock,
             background: Executor) -> None:
    @app.event("member_joined_channel")
    def on_join(ack: Ack, event: dict[str, Any], body: dict[str, Any],
                context: BoltContext) -> None:
        item = None
        team, channel = text_field(body, "team_id"), text_field(event, "channel")
        if team and channel and text_field(event, "user") == context.bot_user_id:
            with uow() as work:
                item = work.outbox.add(team, "message", f"intro:{team}:{channel}",
                                       {"channel": channel, "text": practice_views.intro()},
                                       clock.now())
                work.commit()
        ack()
        if item is not None:
            background.submit(outbox.send, [item])
