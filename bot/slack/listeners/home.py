"""The App Home tab, published each time someone opens it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from bot.slack import views
from bot.slack.listeners.messages import text_field
from bot.slack.poster import Poster
from bot.slack.views import HomeStats

log = logging.getLogger(__name__)


def register(app: App, stats: Callable[[str, str], HomeStats], poster: Poster,
             background: Executor) -> None:
    @app.event("app_home_opened")
    def on_open(ack: Ack, event: dict[str, Any], body: dict[str, Any]) -> None:
        ack()
        user, team = text_field(event, "user"), text_field(body, "team_id")
        if event.get("tab") == "home" and user and team:
            background.submit(publish, team, user)

    def publish(team_id: str, user_id: str) -> None:
        try:
            poster.publish_home(user_id, views.home_view(stats(team_id, user_id)))
        except SlackApiError as err:
            log.warning("could not publish the App Home: %s", err.response.get("error"))
