"""Resident memory of the served bot after start-up and after each 10,000 answers.

Target: under 150 MB, and no growth between the second and third 10,000.
Run: python bench/memory.py [--batch 10000] [--pg URL]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    bot_env,
    burst,
    free_port,
    fresh_database,
    post_question,
    reply_event,
    rss_kb,
    serve,
    worker_rss_kb,
)
from tests.support.slack_api import SlackApi  # noqa: E402


def run(label: str, pg: str | None, batch: int) -> None:
    api = SlackApi().start()
    api.add_user("U0ADMIN001", "Ada", admin=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = fresh_database(pg, tmp)
        port = free_port()
        with serve([sys.executable, "-m", "bot"], bot_env(api, db, port), port, db) as served:
            pid = served.process.pid
            figures = [("after start-up", rss_kb(pid), worker_rss_kb(pid))]
            thread_ts = post_question(served, api)
            for round_number in range(3):
                bodies = [reply_event(thread_ts, round_number * batch + n, users=5000)
                          for n in range(batch)]
                result = burst(served.port, bodies, 50)
                bad = sum(n for status, n in result.statuses.items() if status != 200)
                figures.append((f"after {(round_number + 1) * batch:,} events"
                                f"{f' ({bad} non-200)' if bad else ''}", rss_kb(pid),
                                worker_rss_kb(pid)))
    api.stop()
    print(f"-- {label}: gunicorn master + worker (PSS, shared pages once) and worker RSS")
    for name, pss, rss in figures:
        print(f"{name:28} {pss / 1024:7.1f} MB   worker RSS {rss / 1024:7.1f} MB")
    growth = (figures[3][1] - figures[2][1]) / 1024
    print(f"growth between the 2nd and 3rd batch: {growth:+.1f} MB "
          f"(peak {max(f[1] for f in figures) / 1024:.1f} MB; target < 150 MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--pg", default=os.environ.get("QUIZ_BENCH_DATABASE_URL"))
    args = parser.parse_args()
    run("SQLite", None, args.batch)
    if args.pg:
        run("PostgreSQL", args.pg, args.batch)


if __name__ == "__main__":
    main()
