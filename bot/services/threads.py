"""The question a button in a quiz thread belongs to."""

from __future__ import annotations

from bot.quiz.posts import Post
from bot.quiz.questions import Bank, Question
from bot.services.errors import QuizError
from storage.unit_of_work import UnitOfWork


def thread_question(uow: UnitOfWork, bank: Bank, team_id: str, channel_id: str,
                    thread_ts: str) -> tuple[Post, Question]:
    post = uow.posts.by_thread(team_id, channel_id, thread_ts)
    if post is None:
        raise QuizError("I can't find the question this button belongs to.")
    question = bank.get(post.question_id)
    if question is None:
        raise QuizError("That question is no longer in the bank.")
    return post, question
