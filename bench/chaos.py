"""Crash at any moment: SIGKILL the served bot at random points of daily cycles, restart it,
and check the invariants afterwards.

Each cycle uses its own channel: an admin's /quiz post, a burst of answers, /quiz reveal.
The bot is killed at a random moment of that, restarted, and the cycle is driven again as
Slack would (commands asked again, unacknowledged events resent). Invariants at the end:
one question per channel and day, one reveal per question, every acknowledged answer
stored, no score counted twice (standings equal the sum of scores).
Run: python bench/chaos.py [--kills 30] [--pg URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.harness import (  # noqa: E402
    ADMIN,
    bot_env,
    free_port,
    fresh_database,
    reply_event,
    signed_headers,
    wait_ready,
)
from storage.database import make_engine, upgrade  # noqa: E402
from storage.models import AnswerRow, PostRow, ScoreRow, StandingRow  # noqa: E402
from tests.support.slack_api import TEAM, SlackApi  # noqa: E402

ANSWERS_PER_CYCLE = 40


@dataclass
class Report:
    kills: int = 0
    cycles: int = 0
    accepted: set[tuple[str, str]] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


class Bot:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "bot"], env=self.env,
                                        cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        wait_ready(self.port, "/healthz", self.process)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def send(port: int, body: bytes, content_type: str) -> int:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("POST", "/slack/events", body, signed_headers(body, content_type))
        status = conn.getresponse().status
        conn.close()
        return status
    except (OSError, http.client.HTTPException):
        return 0


def command(port: int, api: SlackApi, channel: str, text: str) -> int:
    form = urlencode({"team_id": TEAM, "channel_id": channel, "user_id": ADMIN,
                      "command": "/quiz", "text": text, "trigger_id": str(time.time_ns()),
                      "response_url": api.response_url + "chaos"}).encode()
    return send(port, form, "application/x-www-form-urlencoded")


def thread_of(api: SlackApi, channel: str, timeout: float = 10) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for m in list(api.state.messages):
            meta = m.get("metadata") or {}
            if m["channel"] == channel and meta.get("event_type") == "quizmaster_question":
                return str(m["ts"])
        time.sleep(0.05)
    return None


def cycle(bot: Bot, api: SlackApi, channel: str, index: int, report: Report,
          kill_after: float | None) -> None:
    """Drive one cycle; if kill_after is set, SIGKILL the bot that many seconds in."""
    killer = None
    if kill_after is not None:
        killer = threading.Timer(kill_after, bot.kill)
        killer.start()
    try:
        command(bot.port, api, channel, "post")
        ts = thread_of(api, channel, timeout=3)
        if ts:
            for n in range(ANSWERS_PER_CYCLE):
                body = reply_event(ts, index * 1000 + n)
                event = json.loads(body)["event"]
                event["channel"] = channel
                body = json.dumps({**json.loads(body), "event": event}).encode()
                if send(bot.port, body, "application/json") == 200:
                    report.accepted.add((channel, event["ts"]))
            command(bot.port, api, channel, "reveal")
    finally:
        if killer:
            killer.join()


def finish(bot: Bot, api: SlackApi, channel: str, index: int, report: Report) -> None:
    """After a restart: what Slack would do, resend what was not acknowledged; reveal."""
    command(bot.port, api, channel, "post")
    # A post cut off mid-call is taken over when its lease ends, on a later tick.
    ts = thread_of(api, channel, timeout=100)
    if ts is None:
        report.problems.append(f"{channel}: question never posted")
        return
    for n in range(ANSWERS_PER_CYCLE):
        body = reply_event(ts, index * 1000 + n)
        payload = json.loads(body)
        payload["event"]["channel"] = channel
        key = (channel, payload["event"]["ts"])
        if key not in report.accepted and send(bot.port, json.dumps(payload).encode(),
                                               "application/json") == 200:
            report.accepted.add(key)
    # An acknowledged command survives the kill and runs after the restart; one the kill
    # cut off before its ack got no "ok", so the admin, seeing no confirmation, asks again.
    deadline = time.monotonic() + 100
    while not revealed(api, ts) and time.monotonic() < deadline:
        command(bot.port, api, channel, "reveal")
        wait_until = time.monotonic() + 10
        while not revealed(api, ts) and time.monotonic() < wait_until:
            time.sleep(0.2)


def revealed(api: SlackApi, thread_ts: str) -> bool:
    return any(m["thread_ts"] == thread_ts and (m.get("metadata") or {}).get("event_type")
               == "quizmaster_reveal" for m in list(api.state.messages))


def settle(db: str, timeout: float = 100) -> None:
    """Wait until every question is revealed: a reveal cut off mid-call is taken over
    when its lease ends, on a later tick."""
    engine = make_engine(db)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            left = conn.scalar(select(func.count()).select_from(PostRow)
                               .where(PostRow.revealed_at.is_(None)))
        if not left:
            break
        time.sleep(1)
    engine.dispose()
    time.sleep(1)


def check(db: str, api: SlackApi, report: Report, channels: list[str]) -> None:
    settle(db)
    kinds: Counter[str] = Counter()
    reveal_parts: Counter[tuple[Any, Any]] = Counter()
    for m in api.state.messages:
        meta = m.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        if meta.get("event_type") == "quizmaster_question":
            kinds[m["channel"]] += 1
        if meta.get("event_type") == "quizmaster_reveal":
            reveal_parts[(payload.get("post_id"), payload.get("part"))] += 1
    for channel in channels:
        if kinds[channel] != 1:
            report.problems.append(f"{channel}: {kinds[channel]} questions posted")
    for key, n in reveal_parts.items():
        if n != 1:
            report.problems.append(f"reveal part {key} posted {n} times")
    engine = make_engine(db)
    with engine.connect() as conn:
        stored = {(c, t) for c, t in conn.execute(select(AnswerRow.channel_id,
                                                          AnswerRow.message_ts))}
        revealed = conn.scalar(select(func.count()).select_from(PostRow)
                               .where(PostRow.revealed_at.is_not(None))) or 0
        posts = conn.scalar(select(func.count()).select_from(PostRow)) or 0
        by_scores = dict(conn.execute(select(ScoreRow.user_id, func.sum(ScoreRow.points))
                                      .group_by(ScoreRow.user_id)).all())
        by_board = dict(conn.execute(
            select(StandingRow.user_id, func.sum(StandingRow.points))
            .where(StandingRow.period == "all").group_by(StandingRow.user_id)).all())
    engine.dispose()
    lost = report.accepted - stored
    if lost:
        report.problems.append(f"{len(lost)} acknowledged answers lost: {sorted(lost)[:5]}")
    if revealed != posts:
        report.problems.append(f"{posts - revealed} questions never revealed")
    if by_scores != by_board:
        report.problems.append("standings differ from the sum of scores")
    if len(reveal_parts) < len(channels):
        report.problems.append("a reveal is missing")


def run_chaos(kills: int, db: str, seed: int = 1) -> Report:
    rng = random.Random(seed)
    api = SlackApi().start()
    api.add_user(ADMIN, "Ada", admin=True)
    port = free_port()
    env = bot_env(api, db, port)
    env["QUIZ_CHANNEL"] = ""
    upgrade(db)
    bot = Bot(env, port)
    report = Report()
    channels: list[str] = []
    try:
        bot.start()
        for index in range(kills):
            channel = f"C0CHAOS{index:03d}"
            channels.append(channel)
            cycle(bot, api, channel, index, report, kill_after=rng.uniform(0.0, 1.5))
            report.kills += 1
            bot.kill()
            bot.start()
            finish(bot, api, channel, index, report)
            report.cycles += 1
        bot.stop()
        bot.start()  # one more restart: everything owed is done at start-up
        time.sleep(1.5)
        check(db, api, report, channels)
    finally:
        bot.stop()
        api.stop()
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--pg", default=os.environ.get("QUIZ_BENCH_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for label, pg in (("SQLite", None), ("PostgreSQL", args.pg)):
            if label == "PostgreSQL" and not pg:
                continue
            started = time.perf_counter()
            report = run_chaos(args.kills, fresh_database(pg, tmp))
            verdict = "all invariants hold" if not report.problems else "; ".join(
                report.problems)
            print(f"{label:11} {report.kills} SIGKILLs over {report.cycles} cycles, "
                  f"{len(report.accepted)} answers acknowledged, "
                  f"{time.perf_counter() - started:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
