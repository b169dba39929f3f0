"""What a person sees on the App Home: their stats, the board, what to read next."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.quiz.periods import ALL
from bot.quiz.posts import Standing
from bot.quiz.questions import Bank, Question
from bot.quiz.schedule import Schedule
from bot.quiz.streaks import best_streak, current_streak
from bot.services import leaderboard
from bot.services.disputes import Disputes
from bot.slack.poster import Poster
from bot.slack.views import HomeStats
from storage.unit_of_work import UnitOfWorkFactory


def home_stats(
    uow_factory: UnitOfWorkFactory, poster: Poster, bank: Bank, disputes: Disputes,
    schedule: Schedule, team_id: str, channel_id: str | None, user_id: str, is_admin: bool,
    workspace_url: str, now: datetime,
) -> HomeStats:
    open_disputes: list[tuple[int, str, Question, int, str]] = []
    if is_admin:
        found = disputes.open_list(team_id)
        names = poster.names(sorted({d.user_id for d, _ in found}))
        open_disputes = [(d.id, names[d.user_id], q, d.key_point, d.note) for d, q in found]
    if channel_id is None:
        return HomeStats(None, None, 0.0, 0, [], {}, [], [], [], open_disputes)
    with uow_factory() as uow:
        totals = uow.scores.totals(team_id, channel_id, ALL, user_id)
        my_rank = uow.scores.rank_of(team_id, channel_id, ALL, totals.points) if totals else 0
        posts = uow.scores.revealed_posts(team_id, channel_id)
        answered = uow.scores.answered_posts(posts, [user_id])[user_id]
        history = uow.scores.user_history(team_id, channel_id, user_id)
        recent_posts = [uow.posts.get(p) for p in posts[:5]]
    board = leaderboard.board(uow_factory, team_id, channel_id, "month", user_id, schedule, now)
    mine = None
    if totals is not None:
        mine = Standing(my_rank, user_id, totals.points, totals.answers,
                        current_streak(posts, answered))
    share = totals.made / totals.possible if totals and totals.possible else 0.0
    weak: Counter[str] = Counter()
    missed: list[str] = []
    for question_id, result in history:
        question = bank.get(question_id)
        if question is None:
            continue
        for index, made in enumerate(result.key_points):
            if not made and index < len(question.key_points):
                weak.update(question.tags)
                if len(missed) < 5:
                    missed.append(question.key_points[index].text)
    recent = []
    for post in recent_posts:
        question = bank.get(post.question_id) if post else None
        if post and post.message_ts and question:
            link = f"{workspace_url}archives/{post.channel_id}/p{post.message_ts.replace('.', '')}"
            recent.append((question, link))
    names = poster.names([s.user_id for s in board.standings])
    return HomeStats(channel_id, mine, share, best_streak(posts, answered), board.standings,
                     names, weak.most_common(3), missed, recent, open_disputes)
