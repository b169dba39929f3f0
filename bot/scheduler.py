"""APScheduler jobs; each is one call, and the database decides what is due."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.quiz.schedule import Schedule

log = logging.getLogger(__name__)
TICK_SECONDS = 20


def start_scheduler(tick: Callable[[], None], schedule: Schedule) -> BackgroundScheduler:
    """Tick on the post time (to be punctual) and every few seconds (to catch up and retry)."""
    scheduler = BackgroundScheduler(timezone=schedule.timezone)

    def safe_tick() -> None:
        try:
            tick()
        except Exception:
            # The next tick tries again; the database holds what is left to do.
            log.exception("scheduled tick failed")

    options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 60}
    scheduler.add_job(safe_tick, schedule.trigger(), id="post-time", **options)
    # The first tick runs at once: a restart catches up on overdue reveals and missed posts.
    scheduler.add_job(safe_tick, IntervalTrigger(seconds=TICK_SECONDS), id="tick",
                      next_run_time=datetime.now(schedule.timezone), **options)
    scheduler.start()
    return scheduler
