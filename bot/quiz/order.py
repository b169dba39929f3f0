"""Which question a channel gets next: no repeats until the bank is used up."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Pick:
    question_id: str
    round: int


def next_question(
    bank_ids: Sequence[str], asked_in_round: Collection[str], round_number: int, seed: str
) -> Pick:
    """Pick the first unasked question of the round's shuffled order, or open a new round.

    The order is a hash of the seed and round, so every process agrees on it without state.
    """
    if not bank_ids:
        raise ValueError("the question bank is empty")
    remaining = [qid for qid in bank_ids if qid not in asked_in_round]
    if not remaining:
        round_number += 1
        remaining = list(bank_ids)
    remaining.sort(key=lambda qid: _rank(seed, round_number, qid))
    return Pick(remaining[0], round_number)


def _rank(seed: str, round_number: int, question_id: str) -> bytes:
    return hashlib.sha256(f"{seed}:{round_number}:{question_id}".encode()).digest()
