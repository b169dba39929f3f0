"""Award reactions on answers."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App

from bot.clock import Clock
from bot.services.awards import Awards
from bot.slack.listeners.messages import dict_field, text_field


def register(app: App, awards: Awards, clock: Clock, background: Executor) -> None:
    def target(event: dict[str, Any], body: dict[str, Any]) -> tuple[str, str, str, str] | None:
        item = dict_field(event, "item")
        fields = (text_field(body, "team_id"), text_field(item, "channel"),
                  text_field(item, "ts"), text_field(event, "user"))
        if event.get("reaction") != awards.emoji or item.get("type") != "message":
            return None
        if not all(fields):
            return None
        return tuple(str(f) for f in fields)  # type: ignore[return-value]

    @app.event("reaction_added")
    def on_added(ack: Ack, event: dict[str, Any], body: dict[str, Any]) -> None:
        found = target(event, body)
        award_id = awards.reacted(*found, clock.now()) if found else None
        ack()
        if award_id is not None:
            background.submit(awards.apply, award_id, clock.now())

    @app.event("reaction_removed")
    def on_removed(ack: Ack, event: dict[str, Any], body: dict[str, Any]) -> None:
        found = target(event, body)
        if found:
            awards.unreacted(*found, clock.now())
        ack()
