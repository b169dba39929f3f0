"""Settings, read once from the environment and validated."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.quiz.schedule import Schedule
from bot.quiz.schedule_text import parse_days, parse_reveal_after, parse_time, parse_zone

DEFAULT_API_URL = "https://slack.com/api/"
_CHANNEL = re.compile(r"^[CG][A-Z0-9]{6,}$")
_USER = re.compile(r"^[UW][A-Z0-9]{6,}$")
T = TypeVar("T")


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it and shows a good value."""


@dataclass(frozen=True)
class Settings:
    bot_token: str
    signing_secret: str | None
    app_token: str | None
    api_url: str
    database_url: str
    channel: str | None
    schedule: Schedule
    questions_path: Path
    admins: frozenset[str]
    port: int
    award_emoji: str = "star"
    award_points: int = 2
    weekly_digest: bool = True

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None


def load_settings(env: Mapping[str, str]) -> Settings:
    """Build frozen Settings; raise ConfigError naming the bad variable."""

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    bot_token = get("SLACK_BOT_TOKEN")
    if bot_token is None:
        raise ConfigError("SLACK_BOT_TOKEN: missing; set the bot token, e.g. xoxb-123-456-abc")
    if not bot_token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN: expected a bot token starting with xoxb-")
    app_token = get("SLACK_APP_TOKEN")
    if app_token is not None and not app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN: expected an app-level token starting with xapp-")
    signing_secret = get("SLACK_SIGNING_SECRET")
    if app_token is None and signing_secret is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET: missing; HTTP mode needs the app's signing secret "
            "(or set SLACK_APP_TOKEN for Socket Mode)"
        )
    return Settings(
        bot_token=bot_token,
        signing_secret=signing_secret,
        app_token=app_token,
        api_url=_api_url(get("SLACK_API_URL")),
        database_url=database_url(get("DATABASE_URL")),
        channel=_channel(get("QUIZ_CHANNEL")),
        schedule=Schedule(
            post_time=_parsed("QUIZ_TIME", parse_time, get("QUIZ_TIME") or "10:00"),
            timezone=_parsed("QUIZ_TIMEZONE", parse_zone, get("QUIZ_TIMEZONE") or "UTC"),
            days=_parsed("QUIZ_DAYS", parse_days, get("QUIZ_DAYS") or "mon-fri"),
            reveal_after=_parsed("QUIZ_REVEAL_AFTER", parse_reveal_after,
                                 get("QUIZ_REVEAL_AFTER") or "6h"),
        ),
        questions_path=Path(get("QUIZ_QUESTIONS") or "questions.json"),
        admins=_admins(get("QUIZ_ADMINS") or ""),
        port=_port(get("PORT") or "3000"),
        award_emoji=_emoji(get("QUIZ_AWARD_EMOJI") or "star"),
        award_points=_award_points(get("QUIZ_AWARD_POINTS") or "2"),
        weekly_digest=_flag("QUIZ_WEEKLY_DIGEST", get("QUIZ_WEEKLY_DIGEST") or "true"),
    )


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def log_level(raw: str | None) -> str:
    """LOG_LEVEL, read before the other settings so that start-up itself can log."""
    level = (raw or "").strip().upper() or "INFO"
    if level not in _LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL: expected one of {', '.join(_LOG_LEVELS)}, e.g. INFO")
    return level


def database_url(raw: str | None) -> str:
    """Default to a SQLite file; accept Heroku's postgres:// form."""
    if raw is None:
        return "sqlite:///quizmaster.db"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    if not re.match(r"^(sqlite|postgresql\+psycopg)://", raw):
        raise ConfigError(
            "DATABASE_URL: expected a postgres:// or sqlite:/// URL, "
            "e.g. postgres://user:pass@host:5432/quizmaster"
        )
    return raw


def _api_url(raw: str | None) -> str:
    url = raw or DEFAULT_API_URL
    if not re.match(r"^https?://[^/\s]+", url):
        raise ConfigError("SLACK_API_URL: expected an http(s) URL, e.g. https://slack.com/api/")
    # slack_sdk joins method names onto the base URL, which must end in a slash.
    return url if url.endswith("/") else url + "/"


def _channel(raw: str | None) -> str | None:
    if raw is not None and not _CHANNEL.match(raw):
        raise ConfigError("QUIZ_CHANNEL: expected a channel ID (not a name), e.g. C0123456789")
    return raw


def _parsed(name: str, parse: Callable[[str], T], raw: str) -> T:
    """Run a schedule parser; its ValueError becomes one line naming the setting."""
    try:
        return parse(raw)
    except ValueError as err:
        raise ConfigError(f"{name}: {err}") from None


def _admins(raw: str) -> frozenset[str]:
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    for user_id in ids:
        if not _USER.match(user_id):
            raise ConfigError(
                f"QUIZ_ADMINS: {user_id!r} is not a user ID; expected e.g. U0123456,U0789ABC"
            )
    return frozenset(ids)


def _port(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"PORT: expected a TCP port number, e.g. 3000 (got {raw!r})")
    return int(raw)


def _emoji(raw: str) -> str:
    name = raw.strip(":")
    if not re.match(r"^[a-z0-9_+\-']{1,64}$", name):
        raise ConfigError(f"QUIZ_AWARD_EMOJI: expected an emoji name, e.g. star (got {raw!r})")
    return name


def _award_points(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise ConfigError(f"QUIZ_AWARD_POINTS: expected a whole number 1-100, e.g. 2 (got {raw!r})")
    return int(raw)


def _flag(name: str, raw: str) -> bool:
    value = raw.lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: expected true or false (got {raw!r})")
