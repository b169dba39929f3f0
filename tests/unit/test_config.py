"""Settings: defaults, and one clear line for each bad value."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.config import ConfigError, load_settings

GOOD = {"SLACK_BOT_TOKEN": "xoxb-1-2-3", "SLACK_SIGNING_SECRET": "secret"}


def test_defaults_give_a_weekday_ten_oclock_utc_quiz() -> None:
    settings = load_settings(GOOD)
    assert settings.schedule.post_time == time(10, 0)
    assert settings.schedule.timezone.key == "UTC"
    assert settings.schedule.days == "mon-fri"
    assert settings.schedule.reveal_after == timedelta(hours=6)
    assert settings.database_url == "sqlite:///quizmaster.db"
    assert settings.api_url == "https://slack.com/api/"
    assert settings.port == 3000 and not settings.socket_mode


def test_heroku_postgres_url_is_accepted() -> None:
    settings = load_settings({**GOOD, "DATABASE_URL": "postgres://u:p@h:5432/db"})
    assert settings.database_url == "postgresql+psycopg://u:p@h:5432/db"


def test_api_url_gets_its_trailing_slash() -> None:
    assert load_settings({**GOOD, "SLACK_API_URL": "http://127.0.0.1:9/api"}).api_url == (
        "http://127.0.0.1:9/api/"
    )


def test_socket_mode_needs_no_signing_secret() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.socket_mode


@pytest.mark.parametrize(
    ("env", "starts"),
    [
        ({}, "SLACK_BOT_TOKEN: missing"),
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN: expected"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET: missing"),
        ({**GOOD, "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN:"),
        ({**GOOD, "QUIZ_TIME": "25:00"}, "QUIZ_TIME: expected HH:MM, e.g. 09:30"),
        ({**GOOD, "QUIZ_TIME": "9.30"}, "QUIZ_TIME:"),
        ({**GOOD, "QUIZ_TIMEZONE": "Mars/Olympus"}, "QUIZ_TIMEZONE: unknown time zone"),
        ({**GOOD, "QUIZ_DAYS": "someday"}, "QUIZ_DAYS: expected a cron day list"),
        ({**GOOD, "QUIZ_REVEAL_AFTER": "6 hours"}, "QUIZ_REVEAL_AFTER: expected"),
        ({**GOOD, "QUIZ_REVEAL_AFTER": "0h"}, "QUIZ_REVEAL_AFTER:"),
        ({**GOOD, "QUIZ_REVEAL_AFTER": "9d"}, "QUIZ_REVEAL_AFTER: at most 7d"),
        ({**GOOD, "QUIZ_CHANNEL": "#general"}, "QUIZ_CHANNEL: expected a channel ID"),
        ({**GOOD, "QUIZ_ADMINS": "U0123456,alice"}, "QUIZ_ADMINS: 'alice'"),
        ({**GOOD, "DATABASE_URL": "mysql://x"}, "DATABASE_URL:"),
        ({**GOOD, "SLACK_API_URL": "slack.com"}, "SLACK_API_URL:"),
        ({**GOOD, "PORT": "eighty"}, "PORT:"),
    ],
)
def test_bad_setting_names_itself_in_one_line(env: dict[str, str], starts: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(env)
    assert str(err.value).startswith(starts)
    assert "\n" not in str(err.value)
