"""Corrections: a quizmaster takes back a key point the grader credited by mistake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.quiz.questions import Bank, Question
from bot.quiz.scoring import with_point_revoked
from bot.services.errors import QuizError
from bot.services.threads import thread_question
from bot.slack.views import revoke_notice
from storage.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class Correction:
    question: Question
    key_point: int
    user_id: str
    notice: int | None  # the outbox item that tells the answerer


class Corrections:
    def __init__(self, uow: UnitOfWorkFactory, bank: Bank) -> None:
        self._uow = uow
        self._bank = bank

    def question_of(self, team_id: str, channel_id: str, thread_ts: str) -> tuple[int, Question]:
        """The revealed question of this thread, whose grades may be corrected."""
        with self._uow() as uow:
            post, question = thread_question(uow, self._bank, team_id, channel_id, thread_ts)
        return post.id, question

    def revoke(self, post_id: int, user_id: str, key_point: int, by_user: str, note: str,
               now: datetime) -> Correction:
        """Take the key point and its point back, once (a second try finds it gone), and
        queue the answerer's notice in the same transaction."""
        with self._uow() as uow:
            post = uow.posts.get(post_id, lock=True)
            score = uow.scores.get(post_id, user_id) if post else None
            if post is None or score is None:
                raise QuizError("That person has no graded answer on this question.")
            question = self._bank.get(post.question_id)
            if question is None:
                raise QuizError("That question is no longer in the bank.")
            if key_point >= len(score.key_points) or not score.key_points[key_point]:
                raise QuizError(f"Their answer did not get key point {key_point + 1}, "
                                "so there is nothing to take back.")
            uow.scores.replace(post, score, with_point_revoked(score, key_point))
            correction_id = uow.overrides.add_revoke(post, user_id, key_point, by_user, now)
            notice = uow.outbox.add(post.team_id, "message", f"revoke:{correction_id}", {
                "channel": user_id, "text": revoke_notice(question, key_point, note),
                "blocks": None,
            }, now)
            uow.commit()
        return Correction(question, key_point, user_id, notice)
