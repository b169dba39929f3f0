"""Who may run admin subcommands: QUIZ_ADMINS, or Slack's own admins and owners."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.slack.poster import Poster


class AdminCheck:
    def __init__(self, poster: Poster, admins: frozenset[str]) -> None:
        self._poster = poster
        self._admins = admins

    def is_admin(self, user_id: str) -> bool:
        if user_id in self._admins:
            return True
        try:
            user = self._poster.user(user_id)
        except SlackApiError:
            return False
        enterprise = user.get("enterprise_user") or {}
        return bool(
            user.get("is_admin")
            or user.get("is_owner")
            or user.get("is_primary_owner")
            or enterprise.get("is_admin")
        )
