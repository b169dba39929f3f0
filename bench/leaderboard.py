"""Leaderboard and App Home query times at 1 % and 100 % of a big team's year.

Full size: 10,000 people, a year of weekday questions (260), each person answering half
the days: about 1.3 million scores. Run: python bench/leaderboard.py [--pg URL]
(defaults to SQLite only; QUIZ_BENCH_DATABASE_URL or --pg adds PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bench.board_data import CHANNEL, TEAM, build  # noqa: E402
from bot.config import database_url  # noqa: E402
from bot.quiz.schedule import Schedule  # noqa: E402
from bot.services.leaderboard import board  # noqa: E402
from storage.database import make_engine, upgrade  # noqa: E402
from storage.unit_of_work import unit_of_work_factory  # noqa: E402

PEOPLE = 10_000
DAYS = 260
NOW = datetime(2026, 10, 28, 12, 0, tzinfo=UTC)
SCHEDULE = Schedule(datetime.min.time().replace(hour=10), ZoneInfo("UTC"), "mon-fri",
                    timedelta(hours=6))


def timed(fn: Callable[[], object], runs: int = 15) -> float:
    fn()  # warm the cache, as a running bot would have it
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def fresh(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)


def measure(url: str, people: int) -> dict[str, float]:
    fresh(url)
    engine = make_engine(url)
    started = time.perf_counter()
    scores = build(engine, people, DAYS)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    built = time.perf_counter() - started
    uow = unit_of_work_factory(engine)
    caller = "U000000042"
    out = {"scores": float(scores), "build_s": built}
    for period in ("all", "month", "week"):
        out[period] = timed(partial(board, uow, TEAM, CHANNEL, period, caller, SCHEDULE, NOW))
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("QUIZ_BENCH_DATABASE_URL"))
    parser.add_argument("--people", type=int, default=PEOPLE)
    args = parser.parse_args()
    targets: list[tuple[str, Callable[[], str]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", lambda: f"sqlite:///{tmp}/bench.db"))
        if args.pg:
            targets.append(("PostgreSQL", lambda: database_url(args.pg)))
        print(f"leaderboard query time (median ms), {DAYS} weekday questions, half answered")
        print(f"{'database':11} {'people':>7} {'scores':>9} {'all':>8} {'month':>8} {'week':>8}")
        for name, url in targets:
            results = {}
            for people in (args.people // 100, args.people):
                results[people] = r = measure(url(), people)
                print(f"{name:11} {people:7} {int(r['scores']):9} {r['all']:8.2f} "
                      f"{r['month']:8.2f} {r['week']:8.2f}   (built in {r['build_s']:.0f} s)")
            small, big = results[args.people // 100], results[args.people]
            ratios = "  ".join(f"{p} {big[p] / small[p]:.1f}x" for p in ("all", "month", "week"))
            print(f"{name:11} growth for 100x the data: {ratios}")


if __name__ == "__main__":
    main()
