"""python -m bot [run|check|migrate]: run the bot, validate the setup, or upgrade the schema."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from dotenv import load_dotenv

from bot.config import ConfigError, Settings, load_settings
from bot.quiz.bank_file import BankError, load_bank
from bot.quiz.durations import format_duration


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="quizmaster", description=__doc__)
    parser.add_argument("command", nargs="?", default="run", choices=["run", "check", "migrate"])
    args = parser.parse_args(argv)
    load_dotenv(".env", override=False)
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "check":
        return check()
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
    return run(settings)


def check() -> int:
    """Validate configuration and the question bank; print every problem found."""
    problems: list[str] = []
    path = Path(os.environ.get("QUIZ_QUESTIONS") or "questions.json")
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


def run(settings: Settings) -> int:
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        from bot.scheduler import start_scheduler
        from bot.wiring import build

        quizmaster = build(settings, migrate=False)
        start_scheduler(quizmaster.tick, settings.schedule)
        # Bolt's Socket Mode handler is untyped; start() blocks until shutdown.
        SocketModeHandler(quizmaster.app, settings.app_token).start()  # type: ignore[no-untyped-call]
        return 0
    from bot.server import serve

    serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
