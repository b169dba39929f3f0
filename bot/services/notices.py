"""Direct messages about disputes, queued in the outbox so a crash cannot drop them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.clock import Clock
from bot.quiz.questions import Bank
from bot.services.disputes import Decision
from bot.services.outbox import Outbox
from bot.slack import views
from bot.slack.poster import Poster
from storage.overrides import Dispute
from storage.unit_of_work import UnitOfWorkFactory


class Notices:
    def __init__(self, uow: UnitOfWorkFactory, outbox: Outbox, poster: Poster, bank: Bank,
                 admins: Callable[[], frozenset[str]], clock: Clock) -> None:
        self._uow = uow
        self._outbox = outbox
        self._poster = poster
        self._bank = bank
        self._admins = admins
        self._clock = clock

    def dispute_opened(self, dispute: Dispute) -> None:
        """Tell each listed quizmaster; every admin also sees it on their App Home."""
        with self._uow() as uow:
            post = uow.posts.get(dispute.post_id)
        question = self._bank.get(post.question_id) if post else None
        if question is None:
            return
        name = self._poster.names([dispute.user_id])[dispute.user_id]
        message = views.dispute_for_admins(dispute.id, name, question, dispute.key_point,
                                           dispute.note)
        now = self._clock.now()
        items = [
            self._queue(dispute.team_id, admin, f"dispute:{dispute.id}:{admin}",
                        message.text, message.blocks, now)
            for admin in sorted(self._admins())
        ]
        self._outbox.send([i for i in items if i is not None])

    def dispute_decided(self, decision: Decision) -> None:
        d = decision.dispute
        text = views.dispute_outcome(decision.question, d.key_point, decision.granted)
        item = self._queue(d.team_id, d.user_id, f"outcome:{d.id}", text, None,
                           self._clock.now())
        if item is not None:
            self._outbox.send([item])

    def _queue(self, team_id: str, channel: str, key: str, text: str,
               blocks: list[dict[str, object]] | None, now: datetime) -> int | None:
        with self._uow() as uow:
            item = uow.outbox.add(team_id, "message", key,
                                  {"channel": channel, "text": text, "blocks": blocks}, now)
            uow.commit()
        return item
