"""Practice on demand: a private question picked by spaced repetition, never scored."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from bot.quiz.grading import Grade, grade
from bot.quiz.practice import pick, review
from bot.quiz.questions import Bank, Question
from bot.services.errors import QuizError
from storage.unit_of_work import UnitOfWorkFactory

LEVELS = {"1": 1, "2": 2, "3": 3, "easy": 1, "medium": 2, "hard": 3}


@dataclass(frozen=True)
class Filter:
    """Empty for the whole bank, else a tag or a difficulty (kept as typed, for buttons)."""

    text: str = ""


class Practice:
    def __init__(self, uow: UnitOfWorkFactory, bank: Bank) -> None:
        self._uow = uow
        self._bank = bank
        # The bank never changes while the bot runs; parse_filter runs before the ack.
        self._tags = dict(sorted(Counter(tag for q in bank for tag in q.tags).items()))

    def tag_counts(self) -> list[tuple[str, int]]:
        return list(self._tags.items())

    def parse_filter(self, raw: str) -> Filter:
        text = raw.strip().lower()
        if not text or text in LEVELS or text in self._tags:
            return Filter(text)
        tags = ", ".join(f"{tag} ({n})" for tag, n in self._tags.items())
        raise QuizError(
            f"I don't know the tag or difficulty {raw!r}. Tags: {tags}. Difficulty: 1 "
            "(recall), 2 (reasoning), 3 (design). Example: `/quiz random orm`"
        )

    def candidates(self, flt: Filter) -> list[str]:
        if not flt.text:
            return list(self._bank.ids)
        if flt.text in LEVELS:
            return [q.id for q in self._bank if q.difficulty == LEVELS[flt.text]]
        return [q.id for q in self._bank if flt.text in q.tags]

    def next(self, team_id: str, user_id: str, flt: Filter, now: datetime,
             exclude: set[str]) -> Question:
        """The person's next practice question under the filter, skipping `exclude`."""
        pool = [q for q in self.candidates(flt) if q not in exclude]
        with self._uow() as uow:
            cards = uow.practice.cards(team_id, user_id)
        chosen = pick(pool, cards, now, f"{team_id}:{user_id}")
        if chosen is None:
            raise QuizError("No other question matches that filter. Try `/quiz random`.")
        question = self._bank.get(chosen)
        assert question is not None
        return question

    def question(self, question_id: str) -> Question:
        question = self._bank.get(question_id)
        if question is None:
            raise QuizError("That question is no longer in the bank. Try `/quiz random`.")
        return question

    def revealed(self, team_id: str, user_id: str, question_id: str, now: datetime) -> None:
        """Looking at the answer without answering counts as not knowing it yet."""
        self._review(team_id, user_id, question_id, 0.0, now)

    def answer(self, team_id: str, user_id: str, question_id: str, text: str,
               now: datetime) -> Grade:
        """Grade a practice answer privately and move the question between boxes."""
        question = self.question(question_id)
        result = grade(question, text)
        share = result.made / len(question.key_points) if question.key_points else 0.0
        self._review(team_id, user_id, question_id, share, now)
        return result

    def _review(self, team_id: str, user_id: str, question_id: str, share: float,
                now: datetime) -> None:
        with self._uow() as uow:
            card = uow.practice.card(team_id, user_id, question_id)
            uow.practice.save_many(team_id, {user_id: review(card, question_id, share, now)})
            uow.commit()
