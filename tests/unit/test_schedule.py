"""Post and reveal instants, across weekends and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.quiz.durations import format_duration, parse_duration
from bot.quiz.schedule import Schedule

BERLIN = ZoneInfo("Europe/Berlin")


def schedule(zone: str = "Europe/Berlin", days: str = "mon-fri", hours: int = 6) -> Schedule:
    return Schedule(time(10, 0), ZoneInfo(zone), days, timedelta(hours=hours))


def test_post_stays_at_ten_local_across_spring_forward() -> None:
    s = schedule()
    friday = s.next_post_after(datetime(2026, 3, 27, 0, 0, tzinfo=UTC))
    monday = s.next_post_after(friday)
    assert friday == datetime(2026, 3, 27, 9, 0, tzinfo=UTC)  # CET, UTC+1
    assert monday == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # CEST, UTC+2
    assert monday.astimezone(BERLIN).hour == 10


def test_post_stays_at_ten_local_across_fall_back() -> None:
    s = schedule("America/New_York")
    friday = s.next_post_after(datetime(2026, 10, 30, 0, 0, tzinfo=UTC))
    monday = s.next_post_after(friday)
    assert friday == datetime(2026, 10, 30, 14, 0, tzinfo=UTC)  # EDT
    assert monday == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # EST


def test_a_post_at_a_time_skipped_by_dst_still_happens_that_day() -> None:
    s = Schedule(time(2, 30), BERLIN, "sun", timedelta(hours=1))
    fire = s.next_post_after(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    assert fire.astimezone(BERLIN).date().isoformat() == "2026-03-29"


def test_weekend_is_skipped_and_last_post_found() -> None:
    s = schedule("UTC")
    saturday_noon = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    assert s.last_post_at_or_before(saturday_noon) == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert s.next_post_after(saturday_noon) == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_last_post_at_or_before_includes_the_instant_itself() -> None:
    s = schedule("UTC")
    ten = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    assert s.last_post_at_or_before(ten) == ten


def test_reveal_comes_before_the_next_post_when_the_window_is_longer() -> None:
    s = schedule("UTC", days="mon-fri", hours=30)
    post = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    assert s.reveal_due(post) == datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


def test_early_manual_post_keeps_its_full_window() -> None:
    s = schedule("UTC")
    early = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
    assert s.reveal_due(early) == early + timedelta(hours=6)


@pytest.mark.parametrize(("text", "delta"), [
    ("90m", timedelta(minutes=90)), ("6h", timedelta(hours=6)), ("1d", timedelta(days=1)),
    (" 4H ", timedelta(hours=4)),
])
def test_durations_parse_and_print_back(text: str, delta: timedelta) -> None:
    assert parse_duration(text) == delta
    assert parse_duration(format_duration(delta)) == delta


@pytest.mark.parametrize("text", ["", "6", "h", "1w", "-1h", "1.5h", "0m"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)
