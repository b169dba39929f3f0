"""Spaced repetition for practice: Leitner boxes with doubling intervals.

A question answered fully moves up one box and comes back later; one with missed key
points drops to box 1 and comes back tomorrow. Due questions come first (the most
overdue, then the lowest box); every third pick is an unseen question while any remain,
so repeated practice walks the whole bank while drilling weak spots.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# Days until a question in box n comes back.
INTERVALS = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16}
TOP_BOX = max(INTERVALS)
FULL = 0.999


@dataclass(frozen=True)
class Card:
    question_id: str
    box: int
    due_at: datetime
    last_seen_at: datetime
    seen: int


def review(card: Card | None, question_id: str, share: float, now: datetime) -> Card:
    """Move a question between boxes after an answer that made `share` of its key points."""
    box = card.box if card else 0
    box = min(box + 1, TOP_BOX) if share >= FULL else 1
    seen = (card.seen if card else 0) + 1
    return Card(question_id, box, now + timedelta(days=INTERVALS[box]), now, seen)


def pick(
    candidates: Sequence[str], cards: Mapping[str, Card], now: datetime, salt: str,
    exclude: str | None = None,
) -> str | None:
    """Choose the next practice question among `candidates` (already filtered)."""
    pool = [q for q in candidates if q != exclude]
    if not pool:
        return None
    due = [cards[q] for q in pool if q in cards and cards[q].due_at <= now]
    unseen = sorted((q for q in pool if q not in cards), key=lambda q: _rank(salt, q))
    total_seen = sum(c.seen for c in cards.values())
    if unseen and (not due or total_seen % 3 == 2):
        return unseen[0]
    if due:
        return min(due, key=lambda c: (c.due_at, c.box, c.question_id)).question_id
    # Nothing due and nothing new: the one coming back soonest.
    seen = [cards[q] for q in pool if q in cards]
    return min(seen, key=lambda c: (c.due_at, c.box, c.question_id)).question_id


def _rank(salt: str, question_id: str) -> bytes:
    return hashlib.sha256(f"{salt}:{question_id}".encode()).digest()
