"""Award reactions from quizmasters: stored on arrival, checked and applied after the ack."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.quiz.scoring import with_bonus
from storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)


class Awards:
    def __init__(self, uow: UnitOfWorkFactory, is_admin: Callable[[str], bool],
                 emoji: str, points: int) -> None:
        self._uow = uow
        self._is_admin = is_admin
        self.emoji = emoji
        self._points = points

    def reacted(self, team_id: str, channel_id: str, message_ts: str, by_user: str,
                now: datetime) -> int | None:
        """Record the reaction before the ack; the admin check needs a Web API call."""
        with self._uow() as uow:
            award_id = uow.overrides.add_award(team_id, channel_id, message_ts, by_user,
                                               self._points, now)
            uow.commit()
        return award_id

    def apply(self, award_id: int, now: datetime) -> None:
        """Check who reacted and on what; add the bonus to the answer's score if it counts."""
        with self._uow() as uow:
            award = uow.overrides.get_award(award_id)
        if award is None or award.state != "pending":
            return
        admin = self._is_admin(award.by_user)
        with self._uow() as uow:
            award = uow.overrides.get_award(award_id)
            if award is None or award.state != "pending":
                return
            target = uow.answers.answer_author(award.team_id, award.channel_id, award.message_ts)
            if not admin or target is None or target[1] == award.by_user:
                uow.overrides.set_state(award.id, "rejected", now)
                uow.commit()
                return
            post_id, author = target
            post = uow.posts.get(post_id, lock=True)
            uow.overrides.set_state(award.id, "applied", now, post_id, author)
            score = uow.scores.get(post_id, author)
            if post is not None and score is not None:
                uow.scores.replace(post, score, with_bonus(score, award.points))
            uow.commit()
        log.info("award applied to an answer in %s", award.channel_id)

    def apply_pending(self, now: datetime) -> None:
        with self._uow() as uow:
            pending = uow.overrides.pending_awards()
        for award_id in pending:
            self.apply(award_id, now)

    def unreacted(self, team_id: str, channel_id: str, message_ts: str, by_user: str,
                  now: datetime) -> None:
        """Removing the reaction takes the bonus back."""
        with self._uow() as uow:
            award = uow.overrides.find_award(team_id, channel_id, message_ts, by_user)
            if award is None or award.state in ("removed", "rejected"):
                return
            if award.state == "applied" and award.post_id is not None and award.user_id:
                post = uow.posts.get(award.post_id, lock=True)
                score = uow.scores.get(award.post_id, award.user_id)
                if post is not None and score is not None:
                    uow.scores.replace(post, score, with_bonus(score, -award.points))
            uow.overrides.set_state(award.id, "removed", now)
            uow.commit()
