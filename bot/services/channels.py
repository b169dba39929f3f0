"""Each channel's quiz settings, changed from Slack and read fresh on every tick."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.quiz.channels import ChannelConfig
from bot.quiz.schedule import Schedule
from storage.unit_of_work import UnitOfWorkFactory


class Channels:
    def __init__(self, uow: UnitOfWorkFactory, default_schedule: Schedule,
                 default_channel: ChannelConfig | None) -> None:
        self._uow = uow
        self._default_schedule = default_schedule
        self._default = default_channel

    def active(self) -> list[ChannelConfig]:
        """Channels whose daily question runs: configured and not paused.

        The environment's QUIZ_CHANNEL counts as configured until Slack changes it.
        """
        with self._uow() as uow:
            configured = uow.channels.all()
        known = {(c.team_id, c.channel_id) for c in configured}
        if self._default and (self._default.team_id, self._default.channel_id) not in known:
            configured.append(self._default)
        return [c for c in configured if not c.paused]

    def config(self, team_id: str, channel_id: str) -> ChannelConfig:
        return self.lookup(team_id, channel_id)[0]

    def lookup(self, team_id: str, channel_id: str) -> tuple[ChannelConfig, bool]:
        """The channel's settings, and whether its daily quiz was ever set up (from Slack,
        or as QUIZ_CHANNEL); an unconfigured channel gets the defaults."""
        with self._uow() as uow:
            found = uow.channels.get(team_id, channel_id)
        if found is not None:
            return found, True
        if self._default and self._default.channel_id == channel_id:
            return self._default, True
        return ChannelConfig(team_id, channel_id, self._default_schedule), False

    def update(self, team_id: str, channel_id: str, by_user: str, now: datetime,
               **changes: Any) -> ChannelConfig:
        """Apply changes (schedule, paused, tags) and store them; every process sees them."""
        current = self.config(team_id, channel_id)
        schedule_changes = {k: v for k, v in changes.items()
                            if k in ("post_time", "timezone", "days", "reveal_after")}
        other = {k: v for k, v in changes.items() if k in ("paused", "tags")}
        updated = replace(current, schedule=replace(current.schedule, **schedule_changes),
                          **other)
        columns = {"reveal_after": "reveal_after_minutes", "timezone": "timezone",
                   "post_time": "post_time", "days": "days", "paused": "paused", "tags": "tags"}
        with self._uow() as uow:
            uow.channels.save(updated, by_user, now, {columns[k] for k in changes})
            uow.commit()
            stored = uow.channels.get(team_id, channel_id)
        return stored or updated
