"""python -m bot [run|check|migrate|grade QUESTION]: run, validate, upgrade, or try the grader."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from dotenv import load_dotenv

from bot.config import ConfigError, Settings, load_settings, log_level
from bot.quiz.bank_file import BankError, load_bank
from bot.quiz.durations import format_duration
from bot.quiz.questions import Bank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="quizmaster", description=__doc__)
    parser.add_argument(
        "command", nargs="?", default="run", choices=["run", "check", "migrate", "grade"]
    )
    parser.add_argument("question", nargs="?", help="for grade: the seed number or the id")
    args = parser.parse_args(argv)
    load_dotenv(".env", override=False)
    try:
        level = log_level(os.environ.get("LOG_LEVEL"))
    except ConfigError as err:
        if args.command != "check":
            print(err, file=sys.stderr)
            return 2
        level = "INFO"  # check reports it with the other problems
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level != "DEBUG":
        # The scheduler ticks every 20 seconds; a line per run would bury everything else.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        # Alembic lists every plugin it loads on each start; only upgrades are news.
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    if args.command == "check":
        return check()
    if args.command == "grade":
        return grade_stdin(args.question)
    try:
        settings = load_settings(os.environ)
        bank = load_bank(settings.questions_path)
    except (ConfigError, BankError) as err:
        print(err, file=sys.stderr)
        return 2
    from storage.database import upgrade

    upgrade(settings.database_url)
    if args.command == "migrate":
        print("database schema is up to date")
        return 0
    print(f"Quizmaster: {len(bank)} questions loaded", file=sys.stderr)
    return run(settings, bank)


def _bank_path() -> Path:
    # Read on its own so check and grade work even when other settings are broken.
    return Path(os.environ.get("QUIZ_QUESTIONS") or "questions.json")


def check() -> int:
    """Validate configuration and the question bank; print every problem found."""
    problems: list[str] = []
    path = _bank_path()
    try:
        log_level(os.environ.get("LOG_LEVEL"))
    except ConfigError as err:
        problems.append(str(err))
    try:
        settings: Settings | None = load_settings(os.environ)
    except ConfigError as err:
        problems.append(str(err))
        settings = None
    try:
        bank = load_bank(path)
    except BankError as err:
        problems.extend(str(err).splitlines())
        bank = None
    for problem in problems:
        print(problem)
    if problems:
        return 1
    assert settings is not None and bank is not None
    mode = "Socket Mode" if settings.socket_mode else f"HTTP mode on port {settings.port}"
    channel = settings.channel or "no channel (set QUIZ_CHANNEL)"
    print(f"ok: {path}: {len(bank)} questions; {mode}; daily question in {channel} at "
          f"{settings.schedule.describe()}, revealed after "
          f"{format_duration(settings.schedule.reveal_after)}")
    return 0


def grade_stdin(ref: str | None) -> int:
    """Grade the answer on stdin against one question; print the result as JSON."""
    from bot.quiz.grading import grade, points_for

    path = _bank_path()
    try:
        bank = load_bank(path)
    except BankError as err:
        print(err, file=sys.stderr)
        return 2
    question = bank.find(ref or "")
    if question is None:
        print(f"grade: no question {ref!r} in {path}; give a seed number (1-{len(bank)}) "
              "or an id, e.g. python -m bot grade 1 < answer.txt", file=sys.stderr)
        return 2
    result = grade(question, sys.stdin.read())
    print(json.dumps({
        "question": question.id,
        "points": points_for(result),
        "key_points": [{"text": p.text, "made": p.made} for p in result.points],
        **({"noise": result.noise} if result.noise else {}),
    }, indent=2))
    return 0


def run(settings: Settings, bank: Bank) -> int:
    """Serve with the bank validated above; the web worker inherits it, unparsed again."""
    if settings.socket_mode:
        from bot.scheduler import start_scheduler
        from bot.wiring import build, socket_mode_handler

        quizmaster = build(settings, bank=bank, migrate=False)
        start_scheduler(quizmaster.tick, settings.schedule)
        # start() blocks until shutdown.
        socket_mode_handler(quizmaster).start()  # type: ignore[no-untyped-call]
        return 0
    from bot.server import serve

    serve(settings, bank)
    return 0


if __name__ == "__main__":
    sys.exit(main())
