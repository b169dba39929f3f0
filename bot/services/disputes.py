"""Disputes: "I did say that". The answerer names a key point; a quizmaster decides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.quiz.questions import Bank, Question
from bot.quiz.scoring import with_point_granted
from bot.services.errors import QuizError
from bot.services.threads import thread_question
from storage.overrides import Dispute
from storage.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class DisputeForm:
    post_id: int
    question: Question
    missed: list[int]


@dataclass(frozen=True)
class Decision:
    dispute: Dispute
    question: Question
    granted: bool


class Disputes:
    def __init__(self, uow: UnitOfWorkFactory, bank: Bank) -> None:
        self._uow = uow
        self._bank = bank

    def form(self, team_id: str, channel_id: str, thread_ts: str, user_id: str) -> DisputeForm:
        """What the person may dispute on the question of this thread."""
        with self._uow() as uow:
            post, question = thread_question(uow, self._bank, team_id, channel_id, thread_ts)
            score = uow.scores.get(post.id, user_id)
        if score is None:
            raise QuizError("You didn't answer this question, so there is no grade to dispute.")
        missed = [i for i, made in enumerate(score.key_points) if not made]
        if not missed:
            raise QuizError("You already have every key point of this question. Nice!")
        return DisputeForm(post.id, question, missed)

    def open(self, post_id: int, user_id: str, key_point: int, note: str,
             now: datetime) -> Dispute:
        with self._uow() as uow:
            post = uow.posts.get(post_id)
            score = uow.scores.get(post_id, user_id)
            if post is None or score is None:
                raise QuizError("There is no grade of yours to dispute on that question.")
            if key_point >= len(score.key_points) or score.key_points[key_point]:
                raise QuizError("Pick a key point your answer did not get.")
            dispute_id = uow.overrides.open_dispute(post.team_id, post.channel_id, post_id,
                                                    user_id, key_point, note, now)
            if dispute_id is None:
                raise QuizError("You already disputed that key point; a quizmaster will decide.")
            uow.commit()
            dispute = uow.overrides.get_dispute(dispute_id)
        assert dispute is not None
        return dispute

    def decide(self, dispute_id: int, grant: bool, by_user: str, now: datetime) -> Decision:
        """Grant (the key point and its point are added) or refuse; once only."""
        with self._uow() as uow:
            dispute = uow.overrides.get_dispute(dispute_id)
            if dispute is None:
                raise QuizError("That dispute no longer exists.")
            post = uow.posts.get(dispute.post_id, lock=True)
            if not uow.overrides.decide(dispute_id, "granted" if grant else "refused",
                                        by_user, now):
                raise QuizError("Someone already decided this dispute.")
            if grant and post is not None:
                score = uow.scores.get(dispute.post_id, dispute.user_id)
                if score is not None:
                    uow.scores.replace(post, score,
                                       with_point_granted(score, dispute.key_point))
                uow.overrides.add_grant(dispute, by_user, now)
            uow.commit()
            question_id = post.question_id if post else ""
        question = self._bank.get(question_id)
        if question is None:
            raise QuizError("That question is no longer in the bank.")
        return Decision(dispute, question, grant)

    def open_list(self, team_id: str) -> list[tuple[Dispute, Question]]:
        with self._uow() as uow:
            disputes = uow.overrides.open_disputes(team_id)
            posts = {d.post_id: uow.posts.get(d.post_id) for d in disputes}
        out = []
        for d in disputes:
            post = posts[d.post_id]
            question = self._bank.get(post.question_id) if post else None
            if question is not None:
                out.append((d, question))
        return out
