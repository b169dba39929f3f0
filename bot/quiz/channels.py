"""A channel's quiz: its schedule, whether it is paused, which tags it asks."""

from __future__ import annotations

from dataclasses import dataclass

from bot.quiz.schedule import Schedule


@dataclass(frozen=True)
class ChannelConfig:
    team_id: str
    channel_id: str
    schedule: Schedule
    paused: bool = False
    tags: tuple[str, ...] = ()
