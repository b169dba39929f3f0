"""When a channel's question is posted and revealed, in its own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

# The longest gap between two posts of any valid day list is a week.
_LOOKBACK = timedelta(days=8)


@dataclass(frozen=True)
class Schedule:
    post_time: time
    timezone: ZoneInfo
    days: str
    reveal_after: timedelta

    def trigger(self) -> CronTrigger:
        return CronTrigger(
            day_of_week=self.days,
            hour=self.post_time.hour,
            minute=self.post_time.minute,
            timezone=self.timezone,
        )

    def next_post_after(self, instant: datetime) -> datetime:
        """Return the first scheduled post strictly after `instant`."""
        fire = self.trigger().get_next_fire_time(None, instant + timedelta(microseconds=1))
        assert fire is not None, "a cron day list always fires again"
        return fire  # type: ignore[no-any-return]

    def last_post_at_or_before(self, instant: datetime) -> datetime:
        """Return the latest scheduled post at or before `instant`."""
        trigger = self.trigger()
        last: datetime | None = None
        fire = trigger.get_next_fire_time(None, instant - _LOOKBACK)
        while fire is not None and fire <= instant:
            last = fire
            fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        assert last is not None, "a cron day list fires at least weekly"
        return last

    def reveal_due(self, posted_for: datetime) -> datetime:
        """Reveal after the window, but never after the next day's post.

        A question posted early by hand stands in for its day's scheduled post, so only a
        post on a later day can cut its window short.
        """
        following = self.next_post_after(posted_for)
        while self.local_date(following) == self.local_date(posted_for):
            following = self.next_post_after(following)
        return min(posted_for + self.reveal_after, following)

    def local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.timezone).date()

    def describe(self) -> str:
        return f"{self.post_time:%H:%M} {self.timezone.key} {self.days}"


def validate_days(days: str) -> str:
    """Return the cron day list normalised, or raise ValueError."""
    cleaned = days.strip().lower().replace(" ", "")
    if not cleaned:
        raise ValueError("empty day list")
    CronTrigger(day_of_week=cleaned)
    return cleaned
