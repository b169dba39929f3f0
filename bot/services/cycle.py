"""Post the daily question and reveal it, each exactly once, whatever crashes in between."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.quiz.channels import ChannelConfig
from bot.quiz.order import next_question
from bot.quiz.posts import Post
from bot.quiz.practice import review
from bot.quiz.questions import Bank, Question
from bot.quiz.scoring import score_replies
from bot.services.errors import QuizError
from bot.slack import blocks
from bot.slack.poster import Poster, slack_error
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
# Longer than a slow Slack call with its retries (10 s timeout, rate-limit waits); a
# crashed holder's work is taken over after it, by whichever process ticks first.
LEASE = timedelta(minutes=1)
RETRY_AFTER_ERROR = timedelta(minutes=1)


@dataclass(frozen=True)
class PostOutcome:
    post: Post
    created: bool


@dataclass(frozen=True)
class Status:
    config: ChannelConfig
    configured: bool
    next_post: datetime | None
    open_question: Question | None
    reveal_at: datetime | None
    left_in_round: int
    round_size: int


class Cycle:
    def __init__(
        self, uow: UnitOfWorkFactory, poster: Poster, bank: Bank,
        on_revealed: Callable[[Post, datetime], None] | None = None,
    ) -> None:
        self._uow = uow
        self._poster = poster
        self._bank = bank
        self._on_revealed = on_revealed

    def run_due(self, now: datetime, plans: list[ChannelConfig]) -> None:
        """Do whatever is due at `now`: reveals first, then posts, then unfinished work."""
        # Reveal times are capped at the next post when a post is made, so revealing
        # first is enough for "the reveal happens before the next post".
        self.reveal_due(now)
        for plan in plans:
            self._post_if_due(plan, now)
        self._resume_unposted(now)

    # --- posting -------------------------------------------------------------------

    def post_today(
        self, plan: ChannelConfig, now: datetime, slot: datetime | None = None
    ) -> PostOutcome:
        """Create the day's post for the channel (or find it) and deliver it.

        `slot` is the scheduled instant being served; a command posts for `now`.
        """
        slot = slot or now
        quiz_date = plan.schedule.local_date(slot)
        reveal_due = plan.schedule.reveal_due(slot)
        candidates = self._candidates(plan)
        with self._uow() as uow:
            round_number, asked = uow.posts.latest_round(plan.team_id, plan.channel_id)
            shares = uow.posts.question_shares(plan.team_id, plan.channel_id)
            pick = next_question(
                candidates or list(self._bank.ids), asked, round_number,
                f"{plan.team_id}:{plan.channel_id}", shares,
            )
            post_id = uow.posts.create(
                plan.team_id, plan.channel_id, quiz_date, pick.question_id, pick.round,
                reveal_due, now,
            )
            uow.commit()
        created = post_id is not None
        if post_id is None:
            with self._uow() as uow:
                existing = uow.posts.for_day(plan.team_id, plan.channel_id, quiz_date)
            assert existing is not None, "the unique constraint said the day's post exists"
            post_id = existing.id
        self.deliver(post_id, now)
        with self._uow() as uow:
            post = uow.posts.get(post_id)
        assert post is not None
        return PostOutcome(post, created)

    def deliver(self, post_id: int, now: datetime) -> None:
        """Send a claimed post to Slack; a retry first looks for an earlier attempt's message."""
        with self._uow() as uow:
            if not uow.posts.claim_post(post_id, now, LEASE):
                return
            uow.commit()
            post = uow.posts.get(post_id)
        assert post is not None
        question = self._question(post)
        try:
            ts = None
            if post.post_attempts > 1:
                ts = self._poster.find_posted(
                    post.channel_id, blocks.QUESTION_EVENT, post.id
                ).get(0)
            if ts is None:
                message = blocks.question_message(question, _when(post.reveal_due_at, now))
                ts = self._poster.post(post.channel_id, message, blocks.QUESTION_EVENT, post.id)
        except Exception as err:
            error = slack_error(err)
            log.error("posting question failed in %s: %s; will retry", post.channel_id, error)
            with self._uow() as uow:
                uow.posts.release_post(post_id, now + RETRY_AFTER_ERROR, error)
                uow.commit()
            return
        with self._uow() as uow:
            uow.posts.mark_posted(post_id, ts, now)
            uow.commit()
        log.info("posted question %s to %s", question.id, post.channel_id)

    def _post_if_due(self, plan: ChannelConfig, now: datetime) -> None:
        slot = plan.schedule.last_post_at_or_before(now)
        # A post missed by more than the reveal window is skipped, not made late.
        if now - slot >= plan.schedule.reveal_after:
            return
        with self._uow() as uow:
            if uow.posts.for_day(plan.team_id, plan.channel_id, plan.schedule.local_date(slot)):
                return
        self.post_today(plan, now, slot)

    def _resume_unposted(self, now: datetime) -> None:
        with self._uow() as uow:
            pending = uow.posts.unposted(now)
        for post_id in pending:
            self.deliver(post_id, now)

    # --- revealing ----------------------------------------------------------------

    def reveal_due(self, now: datetime) -> None:
        with self._uow() as uow:
            due = uow.posts.due_for_reveal(now)
        for post_id in due:
            self.reveal(post_id, now)

    def reveal_open(self, team_id: str, channel_id: str, now: datetime) -> Post:
        """Reveal the channel's open question now, for /quiz reveal."""
        with self._uow() as uow:
            post = uow.posts.open_in_channel(team_id, channel_id)
            if post is None or post.message_ts is None:
                raise QuizError("There is no open question in this channel to reveal.")
            uow.posts.move_reveal(post.id, now)
            uow.commit()
        self.reveal(post.id, now)
        return post

    def reveal(self, post_id: int, now: datetime) -> None:
        """Close, score (one transaction), then tell Slack; every step is safe to repeat."""
        with self._uow() as uow:
            post = uow.posts.get(post_id, lock=True)
            if post is None or post.message_ts is None:
                return
            if uow.posts.close(post_id, now):
                # Scores are written in the same transaction that closes the question,
                # so a crash leaves either both or neither.
                bonuses = uow.overrides.applied_bonuses(post_id)
                results = score_replies(
                    self._question(post), uow.answers.on_time(post_id),
                    lambda user: bonuses.get(user, 0),
                )
                uow.scores.add_all(post, results, now)
                # The daily quiz feeds each answerer's spaced repetition too.
                cards = uow.practice.cards_for(post.team_id, post.question_id,
                                               [r.user_id for r in results])
                uow.practice.save_many(post.team_id, {
                    r.user_id: review(cards.get(r.user_id), post.question_id,
                                      r.made / len(r.key_points) if r.key_points else 0.0, now)
                    for r in results
                })
            uow.commit()
        with self._uow() as uow:
            if not uow.posts.claim_reveal(post_id, now, LEASE):
                return
            uow.commit()
            post = uow.posts.get(post_id)
            results = uow.scores.for_post(post_id)
            known = uow.answers.names(post_id)
        assert post is not None and post.message_ts is not None
        question = self._question(post)
        try:
            # Names came with the answers; ask users.info (cached) only for the rest.
            names = known | self._poster.names([r.user_id for r in results
                                                 if r.user_id not in known])
            messages = blocks.reveal_messages(question, results, names)
            done: dict[int, str] = {}
            if post.reveal_attempts > 1:
                done = self._poster.find_posted(
                    post.channel_id, blocks.REVEAL_EVENT, post.id, thread_ts=post.message_ts
                )
            for part, message in enumerate(messages):
                if part not in done:
                    self._poster.post(
                        post.channel_id, message, blocks.REVEAL_EVENT, post.id, part,
                        thread_ts=post.message_ts,
                    )
            self._poster.update(
                post.channel_id, post.message_ts, blocks.closed_question_message(question)
            )
        except Exception as err:
            error = slack_error(err)
            log.error("revealing failed in %s: %s; will retry", post.channel_id, error)
            with self._uow() as uow:
                uow.posts.release_reveal(post_id, now + RETRY_AFTER_ERROR, error)
                uow.commit()
            return
        with self._uow() as uow:
            uow.posts.mark_revealed(post_id, now)
            uow.commit()
        log.info("revealed question %s in %s", question.id, post.channel_id)
        if self._on_revealed is not None:
            try:
                self._on_revealed(post, now)
            except Exception:
                # The digest is queued with a unique key; a later reveal or restart can't
                # repeat it, and a failure here must not undo the reveal.
                log.exception("after-reveal work failed in %s", post.channel_id)

    def open_question(self, team_id: str, channel_id: str) -> str | None:
        with self._uow() as uow:
            post = uow.posts.open_in_channel(team_id, channel_id)
        return post.question_id if post and post.closed_at is None else None

    def status(self, plan: ChannelConfig, now: datetime, configured: bool) -> Status:
        """What /quiz status shows: next post and reveal, the open question, the round."""
        candidates = set(self._candidates(plan))
        with self._uow() as uow:
            post = uow.posts.open_in_channel(plan.team_id, plan.channel_id)
            _, asked = uow.posts.latest_round(plan.team_id, plan.channel_id)
        open_question = None
        reveal_at = None
        if post is not None and post.closed_at is None:
            open_question = self._bank.get(post.question_id)
            reveal_at = post.reveal_due_at
        next_post = None
        if configured and not plan.paused:
            next_post = plan.schedule.next_post_after(now)
        left = len(candidates - asked) or len(candidates)
        return Status(plan, configured, next_post, open_question, reveal_at, left,
                      len(candidates))

    def skip(self, plan: ChannelConfig, now: datetime,
             along: Callable[[UnitOfWork], None] = lambda uow: None) -> Question:
        """Set today's open question aside, unscored, and post the next one in its place.

        `along` writes in the same transaction: a slash command notes itself done there,
        so a skip run again after a crash cannot also set aside the replacement. It goes
        first, so that a second run overlapping the first waits on the command, not on
        the question, and learns it already ran rather than that nothing is open.
        """
        with self._uow() as uow:
            along(uow)
            post = uow.posts.open_in_channel(plan.team_id, plan.channel_id)
            if post is None or post.closed_at is not None or not uow.posts.skip(post.id, now):
                raise QuizError("There is no open question in this channel to skip.")
            uow.commit()
        if post.message_ts is not None:
            question = self._question(post)
            try:
                self._poster.update(post.channel_id, post.message_ts,
                                    blocks.skipped_question_message(question))
            except Exception as err:
                log.warning("could not mark the skipped question: %s", slack_error(err))
        outcome = self.post_today(plan, now)
        return self._question(outcome.post)

    def _candidates(self, plan: ChannelConfig) -> list[str]:
        """The bank's questions the channel's tag filter lets through (all without one)."""
        wanted = set(plan.tags)
        return [q.id for q in self._bank if not wanted or wanted & set(q.tags)]

    def _question(self, post: Post) -> Question:
        question = self._bank.get(post.question_id)
        if question is None:
            raise QuizError(f"question {post.question_id!r} is no longer in the bank")
        return question


def _when(due: datetime, now: datetime) -> str:
    # Slack renders <!date^...> in each reader's own time zone.
    fallback = due.strftime("%H:%M UTC")
    return f"<!date^{int(due.timestamp())}^at {{time}} {{date_short_pretty}}|at {fallback}>"
