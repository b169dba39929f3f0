"""Acknowledgement under load: 2,000 signed thread answers from 50 senders, beside a baseline.

The bot is served as in production (the Procfile's `python -m bot`); the baseline is a Bolt
app that only acknowledges, served by gunicorn with the same worker settings. Afterwards
the database must hold every answer exactly once.

Run: python bench/ack.py [--events 2000] [--pg URL]   (QUIZ_BENCH_DATABASE_URL works too)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.harness import (  # noqa: E402
    ROOT,
    Burst,
    bot_env,
    burst,
    free_port,
    fresh_database,
    post_question,
    reply_event,
    serve,
)
from storage.database import make_engine  # noqa: E402
from storage.models import AnswerRow  # noqa: E402
from tests.support.slack_api import SlackApi  # noqa: E402

TARGET_P99_MS = 300


def line(name: str, b: Burst) -> str:
    errors = sum(n for status, n in b.statuses.items() if status != 200)
    return (f"{name:28} {b.throughput:8.0f}/s  p50 {b.p50:6.1f}  p95 {b.percentile(95):6.1f}  "
            f"p99 {b.percentile(99):6.1f} ms  non-200: {errors}")


def run(label: str, pg: str | None, events: int, senders: int) -> None:
    api = SlackApi().start()
    api.add_user("U0ADMIN001", "Ada", admin=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = fresh_database(pg, tmp)
        port = free_port()
        env = bot_env(api, db, port)
        with serve([sys.executable, "-m", "bot"], env, port, db) as served:
            thread_ts = post_question(served, api)
            bodies = [reply_event(thread_ts, n) for n in range(events)]
            ours = burst(served.port, bodies, senders)
            time.sleep(1)
        engine = make_engine(db)
        with engine.connect() as conn:
            stored = conn.scalar(select(func.count()).select_from(AnswerRow))
            distinct = conn.scalar(select(func.count(func.distinct(AnswerRow.message_ts))))
        engine.dispose()
        base_port = free_port()
        base_env = {**env, "PORT": str(base_port)}
        command = [sys.executable, "-m", "gunicorn", "-k", "gthread", "--threads", "8",
                   "-w", os.environ.get("WEB_CONCURRENCY", "1"), "-b",
                   f"127.0.0.1:{base_port}", "--chdir", str(ROOT), "bench.baseline_app:app"]
        with serve(command, base_env, base_port, db, health="/") as baseline_served:
            base = burst(baseline_served.port, bodies, senders)
    api.stop()
    print(f"-- {label}: {events} events, {senders} senders, start-up to ready "
          f"{served.started_in:.2f} s")
    print(line("quizmaster", ours))
    print(line("baseline (ack only)", base))
    ratio = ours.throughput / base.throughput
    print(f"throughput ratio {ratio:.2f} (target >= 0.5); p99 {ours.percentile(99):.1f} ms "
          f"(target < {TARGET_P99_MS}); stored {stored}/{events}, distinct {distinct}"
          f" -> {'exactly once' if stored == distinct == events else 'MISMATCH'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--pg", default=os.environ.get("QUIZ_BENCH_DATABASE_URL"))
    parser.add_argument("--pg-only", action="store_true", help="skip the SQLite run")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if not args.pg_only:
        run("SQLite", None, args.events, args.senders)
    if args.pg:
        run("PostgreSQL", args.pg, args.events, args.senders)


if __name__ == "__main__":
    main()
