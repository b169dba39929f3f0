"""Questions of the bank, as the rest of the domain sees them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class KeyPoint:
    text: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    number: int
    question: str
    answer: str
    key_points: tuple[KeyPoint, ...]
    tags: tuple[str, ...]
    difficulty: int
    references: tuple[str, ...]
    # Wrong claims people make about it, as phrases: a sentence stating one (not negated)
    # is no evidence for any key point.
    misconceptions: tuple[str, ...] = ()


class Bank:
    """The questions in seed order, looked up by id or number."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self._questions = tuple(sorted(questions, key=lambda q: q.number))
        self._by_id = {q.id: q for q in self._questions}

    def __len__(self) -> int:
        return len(self._questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self._questions)

    def get(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def find(self, ref: str) -> Question | None:
        """Look a question up by id or by its seed number."""
        if ref.isdigit():
            return next((q for q in self._questions if q.number == int(ref)), None)
        return self._by_id.get(ref)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self._questions)
