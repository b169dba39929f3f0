"""Award reactions on answers."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App

from bot.clock import Clock
from bot.services.awards import Awards


def register(app: App, awards: Awards, clock: Clock, background: Executor) -> None:
    @app.event("reaction_added")
    def on_added(ack: Ack, event: dict[str, Any], body: dict[str, Any]) -> None:
        item = event.get("item") or {}
        award_id = None
        if event.get("reaction") == awards.emoji and item.get("type") == "message":
            award_id = awards.reacted(
                str(body.get("team_id")), str(item.get("channel")), str(item.get("ts")),
                str(event.get("user")), clock.now(),
            )
        ack()
        if award_id is not None:
            background.submit(awards.apply, award_id, clock.now())

    @app.event("reaction_removed")
    def on_removed(ack: Ack, event: dict[str, Any], body: dict[str, Any]) -> None:
        item = event.get("item") or {}
        if event.get("reaction") == awards.emoji and item.get("type") == "message":
            awards.unreacted(
                str(body.get("team_id")), str(item.get("channel")), str(item.get("ts")),
                str(event.get("user")), clock.now(),
            )
        ack()
