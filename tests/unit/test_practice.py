"""Spaced repetition over a simulated month, with an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.quiz.order import next_question
from bot.quiz.practice import Card, pick, review

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BANK = [f"q{i:02d}" for i in range(30)]


def simulate(days: int, known: set[str], per_day: int = 3) -> tuple[dict[str, Card], list[str]]:
    """A person practising a few questions a day; they always know `known` fully."""
    cards: dict[str, Card] = {}
    history: list[str] = []
    for day in range(days):
        now = START + timedelta(days=day)
        for _ in range(per_day):
            chosen = pick(BANK, cards, now, "T:U")
            assert chosen is not None
            history.append(chosen)
            cards[chosen] = review(cards.get(chosen), chosen, 1.0 if chosen in known else 0.25,
                                   now)
    return cards, history


def test_missed_questions_come_back_sooner_than_known_ones() -> None:
    known = set(BANK[::2])
    cards, history = simulate(30, known)
    missed_seen = [history.count(q) for q in BANK if q not in known and q in cards]
    known_seen = [history.count(q) for q in BANK if q in known and q in cards]
    assert sum(missed_seen) / len(missed_seen) > 1.5 * sum(known_seen) / len(known_seen)
    assert all(cards[q].box == 1 for q in cards if q not in known)
    assert max(cards[q].box for q in cards if q in known) >= 3


def test_a_month_of_practice_walks_the_whole_bank() -> None:
    cards, _ = simulate(30, set(BANK))
    assert set(cards) == set(BANK)


def test_due_question_beats_an_unseen_one_but_new_ones_are_mixed_in() -> None:
    now = START
    cards = {"q00": Card("q00", 1, now - timedelta(hours=1), now - timedelta(days=1), 1)}
    assert pick(["q00", "q01"], cards, now, "s") == "q00"
    cards = {"q00": Card("q00", 1, now - timedelta(hours=1), now - timedelta(days=1), 2)}
    assert pick(["q00", "q01"], cards, now, "s") == "q01", "every third pick is new"


def test_boxes_double_the_interval_and_a_miss_resets_it() -> None:
    card = review(None, "q", 1.0, START)
    assert card.box == 1 and card.due_at == START + timedelta(days=1)
    card = review(card, "q", 1.0, START)
    assert card.box == 2 and card.due_at == START + timedelta(days=2)
    card = review(card, "q", 0.5, START)
    assert card.box == 1 and card.due_at == START + timedelta(days=1)


def test_exclude_keeps_the_channels_open_question_out() -> None:
    assert pick(["q00"], {}, START, "s", exclude="q00") is None
    assert pick(["q00", "q01"], {}, START, "s", exclude="q00") == "q01"


def test_new_round_starts_with_the_worst_answered_questions() -> None:
    ids = ["a", "b", "c", "d"]
    shares = {"a": 0.9, "b": 0.1, "c": 0.5, "d": 1.0}
    first = next_question(ids, set(ids), 1, "T:C", shares)
    assert first.round == 2 and first.question_id == "b"
    assert next_question(ids, {"b"}, 2, "T:C", shares).question_id == "c"
