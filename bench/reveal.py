"""Revealing a question with 1,000 answers: time to grade and store, and Web API calls made.

The calls must not grow with the answerers beyond one per chunk of the reveal message
(names come with the answers, so users.info is not called per person).
Run: python bench/reveal.py [--answers 1000] [--pg URL]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import CHANNEL, fresh_database  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.quiz.channels import ChannelConfig  # noqa: E402
from bot.services.answers import Answers, ReplyEvent  # noqa: E402
from bot.wiring import build  # noqa: E402
from storage.database import upgrade  # noqa: E402
from storage.repositories import OnTimeReplies  # noqa: E402
from tests.support.clock import FakeClock  # noqa: E402
from tests.support.slack_api import SlackApi  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def run(label: str, pg: str | None, count: int) -> None:
    api = SlackApi().start()
    with tempfile.TemporaryDirectory() as tmp:
        db = fresh_database(pg, tmp)
        upgrade(db)
        settings = load_settings({
            "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "s",
            "SLACK_API_URL": api.url, "DATABASE_URL": db, "QUIZ_CHANNEL": CHANNEL,
            "QUIZ_QUESTIONS": str(ROOT / "questions.json"), "QUIZ_WEEKLY_DIGEST": "false",
        })
        clock = FakeClock(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
        qm = build(settings, clock=clock, migrate=False)
        config = ChannelConfig(qm.team_id, CHANNEL, settings.schedule)
        post = qm.cycle.post_today(config, clock.now()).post
        question = qm.cycle._bank.get(post.question_id)
        assert question is not None and post.message_ts
        answers = Answers(qm.uow, OnTimeReplies(qm.engine).add)
        for n in range(count):
            # Every other answer is the reference one, so grading has work to do.
            text = question.answer if n % 2 else "I think it is about the cache layer."
            answers.record(ReplyEvent(qm.team_id, CHANNEL, post.message_ts,
                                      f"{1_800_000_000 + n}.000100", f"U{n:09d}", text,
                                      f"Person {n}"), clock.now())
        api.clear()
        clock.set(datetime(2026, 11, 18, 16, 0, tzinfo=UTC))
        started = time.perf_counter()
        qm.cycle.reveal_due(clock.now())
        elapsed = time.perf_counter() - started
        calls = Counter(c.method for c in api.calls())
        qm.close()
    api.stop()
    print(f"{label:11} {count:6} answers  reveal {elapsed:6.2f} s  "
          f"({elapsed / count * 1000:.2f} ms per answer)  Web API calls: {dict(calls)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--pg", default=os.environ.get("QUIZ_BENCH_DATABASE_URL"))
    args = parser.parse_args()
    for count in (args.answers // 10, args.answers):
        run("SQLite", None, count)
        if args.pg:
            run("PostgreSQL", args.pg, count)


if __name__ == "__main__":
    main()
