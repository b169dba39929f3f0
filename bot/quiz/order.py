"""Which question a channel gets next: no repeats until the bank is used up."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Pick:
    question_id: str
    round: int


def next_question(
    bank_ids: Sequence[str], asked_in_round: Collection[str], round_number: int, seed: str,
    shares: Mapping[str, float] | None = None,
) -> Pick:
    """Pick the next unasked question of the round, or open a new round.

    From the second round on, the questions the channel answered worst (lowest share of
    key points) come first; ties and the first round follow a hash of the seed and round,
    so every process agrees on the order without state.
    """
    if not bank_ids:
        raise ValueError("the question bank is empty")
    remaining = [qid for qid in bank_ids if qid not in asked_in_round]
    if not remaining:
        round_number += 1
        remaining = list(bank_ids)
    known = shares if round_number > 1 and shares else {}
    remaining.sort(key=lambda qid: (known.get(qid, 1.0), _rank(seed, round_number, qid)))
    return Pick(remaining[0], round_number)


def _rank(seed: str, round_number: int, question_id: str) -> bytes:
    return hashlib.sha256(f"{seed}:{round_number}:{question_id}".encode()).digest()
