"""The weekly digest: after the week's last reveal, once per channel and week."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import Clock
from bot.quiz.periods import week_key
from bot.quiz.posts import Post
from bot.quiz.questions import Bank
from bot.quiz.schedule import Schedule
from bot.quiz.scoring import rank
from bot.services.outbox import Outbox
from bot.slack import blocks
from bot.slack.poster import Poster
from storage.unit_of_work import UnitOfWorkFactory

DIGEST_EVENT = "quizmaster_digest"


class Digest:
    def __init__(self, uow: UnitOfWorkFactory, outbox: Outbox, poster: Poster, bank: Bank,
                 schedule: Schedule, clock: Clock, enabled: bool = True) -> None:
        self._uow = uow
        self._outbox = outbox
        self._poster = poster
        self._bank = bank
        self._schedule = schedule
        self._clock = clock
        self._enabled = enabled

    def after_reveal(self, post: Post, now: datetime) -> None:
        """Queue the digest if no question of this channel comes later in the same week."""
        if not self._enabled:
            return
        following = self._schedule.next_post_after(post.created_at)
        while self._schedule.local_date(following) <= post.quiz_date:
            following = self._schedule.next_post_after(following)
        week = week_key(post.quiz_date)
        if week_key(self._schedule.local_date(following)) == week:
            return
        monday = post.quiz_date - timedelta(days=post.quiz_date.weekday())
        with self._uow() as uow:
            top = rank(uow.scores.board(post.team_id, post.channel_id, week, 5))
            hardest = uow.scores.hardest(post.team_id, post.channel_id, monday,
                                         monday + timedelta(days=6))
        names = self._poster.names([s.user_id for s in top])
        question = self._bank.get(hardest[0]) if hardest else None
        message = blocks.weekly_digest(top, names, question, hardest[1] if hardest else None)
        with self._uow() as uow:
            # The unique key makes the digest exactly-once across processes and restarts.
            item = uow.outbox.add(
                post.team_id, "message", f"digest:{post.team_id}:{post.channel_id}:{week}",
                {"channel": post.channel_id, "text": message.text, "blocks": message.blocks,
                 "metadata": {"event_type": DIGEST_EVENT}},
                now,
            )
            uow.commit()
        if item is not None:
            self._outbox.send([item])
