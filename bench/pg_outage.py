"""PostgreSQL stopped and started again during the reveal window (needs root, as in CI).

The bot is served with a 1-minute answer window; PostgreSQL is stopped just before the
reveal is due and started again 80 seconds later. Meanwhile answers keep arriving: each
one the bot cannot store gets a 503, and is sent again as Slack would, after a delay.
Afterwards: the reveal happened exactly once, after the database came back, and every
acknowledged answer is stored.
Run: sudo python bench/pg_outage.py --pg URL   (QUIZ_BENCH_DATABASE_URL works too)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.chaos import send  # noqa: E402
from bench.harness import (  # noqa: E402
    CHANNEL,
    bot_env,
    free_port,
    fresh_database,
    post_question,
    reply_event,
    serve,
)
from storage.database import make_engine  # noqa: E402
from storage.models import AnswerRow, PostRow  # noqa: E402
from tests.support.slack_api import SlackApi  # noqa: E402


def cluster(action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", action],
                   check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("QUIZ_BENCH_DATABASE_URL"))
    parser.add_argument("--down", type=float, default=80)
    args = parser.parse_args()
    if not args.pg:
        sys.exit("give --pg URL (a PostgreSQL database this script may empty)")
    api = SlackApi().start()
    api.add_user("U0ADMIN001", "Ada", admin=True)
    statuses: Counter[int] = Counter()
    accepted: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        db = fresh_database(args.pg, tmp)
        port = free_port()
        env = {**bot_env(api, db, port), "QUIZ_REVEAL_AFTER": "1m"}
        with serve([sys.executable, "-m", "bot"], env, port, db) as served:
            thread_ts = post_question(served, api)
            posted_at = time.monotonic()
            pending = [reply_event(thread_ts, n) for n in range(300)]

            def deliver(batch: list[bytes]) -> list[bytes]:
                again = []
                for body in batch:
                    status = send(port, body, "application/json")
                    statuses[status] += 1
                    if status == 200:
                        accepted.add(json.loads(body)["event"]["ts"])
                    else:
                        again.append(body)
                return again

            pending = deliver(pending[:100]) + pending[100:]
            time.sleep(max(0.0, 50 - (time.monotonic() - posted_at)))
            cluster("stop")
            stopped = time.monotonic()
            pending = deliver(pending[:100]) + pending[100:]
            health_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            health_conn.request("GET", "/healthz")
            health = health_conn.getresponse().status
            health_conn.close()
            while time.monotonic() - stopped < args.down:
                time.sleep(1)
            cluster("start")
            time.sleep(2)
            # What Slack does with the events that got no 2xx: it sends them again.
            for _ in range(3):
                pending = deliver(pending)
                if not pending:
                    break
                time.sleep(5)
            deadline = time.monotonic() + 60
            reveals = []
            while time.monotonic() < deadline:
                reveals = [m for m in api.state.messages if m["thread_ts"] == thread_ts]
                if reveals:
                    break
                time.sleep(1)
            time.sleep(25)  # one more tick: nothing more may be posted
            reveals = [m for m in api.state.messages if m["thread_ts"] == thread_ts]
        engine = make_engine(db)
        with engine.connect() as conn:
            stored = {t for (t,) in conn.execute(select(AnswerRow.message_ts)
                                                 .where(AnswerRow.channel_id == CHANNEL))}
            revealed = conn.scalar(select(func.count()).select_from(PostRow)
                                   .where(PostRow.revealed_at.is_not(None)))
        engine.dispose()
    api.stop()
    print(f"PostgreSQL down for {args.down:.0f} s across the reveal time")
    print(f"responses: {dict(statuses)} (503 = 'send it again'); /healthz during the "
          f"outage: {health}")
    parts = {(m.get("metadata") or {}).get("event_payload", {}).get("part") for m in reveals}
    print(f"reveal: {len(reveals)} messages, parts {sorted(parts)} (each once: "
          f"{len(parts) == len(reveals)}); questions revealed in the database: {revealed}")
    lost = accepted - stored
    print(f"acknowledged answers: {len(accepted)}, stored: {len(stored & accepted)}, "
          f"lost: {len(lost)}; still unacknowledged after Slack's retries: {len(pending)}")


if __name__ == "__main__":
    main()
