"""Send the Web API calls queued in the database, each once, retrying on failure."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.slack.blocks import Message
from bot.slack.poster import Poster, slack_error
from storage.repositories import OutboxItem
from storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=1)
ANSWER_REACTION = "white_check_mark"
BATCH = 20
MAX_ATTEMPTS = 8
# Errors that another try cannot fix.
_FINAL = {"channel_not_found", "user_not_in_channel", "not_in_channel", "is_archived",
          "invalid_name", "too_many_reactions", "bad_timestamp"}


class Pace:
    """A token bucket: Slack allows reactions.add about 50 times a minute per workspace,
    so a burst of answers gets its reactions over the next minutes instead of 429s, and
    the acknowledgements keep the CPU meanwhile."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self._rate = per_minute / 60
        self._burst = float(burst)
        self._tokens = float(burst)
        self._at = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
                self._at = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                delay = (1 - self._tokens) / self._rate
            time.sleep(delay)


class Outbox:
    def __init__(self, uow: UnitOfWorkFactory, poster: Poster, clock: Clock,
                 reactions_per_minute: float = 50, burst: int = 20) -> None:
        self._uow = uow
        self._poster = poster
        self._clock = clock
        self._pace = Pace(reactions_per_minute, burst)
        self._wake = threading.Event()
        self._drainer: threading.Thread | None = None
        self._start = threading.Lock()
        self._sending = threading.Lock()
        self._handlers: dict[str, Callable[[OutboxItem], None]] = {}

    def handle(self, kind: str, run: Callable[[OutboxItem], None]) -> None:
        """Run items of a kind of work the outbox does not know itself, such as a slash
        command; `run` raising means "try again later"."""
        self._handlers[kind] = run

    def kick(self) -> None:
        """Have the drainer send what is pending; many kicks in a burst cost one pass."""
        with self._start:
            if self._drainer is None:
                self._drainer = threading.Thread(target=self._drain, name="outbox",
                                                 daemon=True)
                self._drainer.start()
        self._wake.set()

    def _drain(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            try:
                while True:
                    if self.send_pending(self._clock.now()):
                        continue
                    if not self._sending.locked():
                        break
                    time.sleep(0.05)  # a tick is sending; carry on after it
            except Exception:
                # What is left stays pending in the database; the next kick or tick sends it.
                log.exception("sending the outbox failed")

    def send(self, item_ids: Iterable[int]) -> None:
        """Claim the items in one transaction, send them, and close them in another."""
        with self._uow() as uow:
            items = uow.outbox.claim_many(list(item_ids), self._clock.now(), LEASE)
            uow.commit()
        done = [item.id for item in items if self._send_one(item)]
        with self._uow() as uow:
            uow.outbox.finish_many(done, self._clock.now())
            uow.commit()

    def send_pending(self, now: datetime) -> int:
        """Send one batch of what is due; return how many calls went through.

        One sender per process at a time (the drainer or a tick), so a reaction is not
        sent twice from here; another process may race it, which Slack answers with
        already_reacted.
        """
        if not self._sending.acquire(blocking=False):
            return 0
        try:
            return self._send_batch(now)
        finally:
            self._sending.release()

    def _send_batch(self, now: datetime) -> int:
        with self._uow() as uow:
            # A batch small enough to send at Slack's pace well within the claim's lease.
            pending = uow.outbox.pending(now, limit=BATCH)
            unreacted = uow.answers.unreacted(BATCH)
        self.send(pending)
        return len(pending) + self._react(unreacted)

    def _react(self, answers: list[tuple[int, str, str]]) -> int:
        """Mark counted answers with the reaction; the answers table is the queue."""
        done: list[int] = []
        for answer_id, channel, ts in answers:
            self._pace.wait()
            try:
                self._poster.react(channel, ts, ANSWER_REACTION)
            except Exception as err:
                error = slack_error(err)
                if error not in _FINAL:
                    log.warning("reaction on an answer failed: %s; will retry", error)
                    continue
            done.append(answer_id)
        with self._uow() as uow:
            uow.answers.mark_reacted(done, self._clock.now())
            uow.commit()
        return len(done)

    def _message(self, item: OutboxItem) -> None:
        p = item.payload
        event = (p.get("metadata") or {}).get("event_type")
        if event is None:
            self._poster.message(p["channel"], p["text"], p.get("blocks"))
            return
        # Tagged with the item's id: an earlier attempt may have posted before it
        # crashed, so look before posting again.
        if item.attempts > 1 and self._poster.find_posted(p["channel"], event, item.id):
            return
        self._poster.post(p["channel"], Message(p["text"], p.get("blocks") or []), event,
                          item.id)

    def _send_one(self, item: OutboxItem) -> bool:
        """Make the call; True when the item is finished (sent, or can never be)."""
        p = item.payload
        try:
            if item.kind == "reaction":
                self._pace.wait()
                self._poster.react(p["channel"], p["ts"], p["name"])
            elif item.kind == "ephemeral":
                self._poster.ephemeral(p["channel"], p["user"], p["text"], p.get("thread_ts"))
            elif item.kind == "message":
                self._message(item)
            elif item.kind in self._handlers:
                self._handlers[item.kind](item)
            else:
                log.error("unknown outbox kind %r; dropping item %s", item.kind, item.id)
        except Exception as err:
            error = slack_error(err)
            if error in _FINAL:
                log.warning("outbox %s %s gave up: %s", item.kind, item.id, error)
                return True
            log.warning("outbox %s %s failed: %s; will retry", item.kind, item.id, error)
            with self._uow() as uow:
                uow.outbox.retry_later(item.id, self._clock.now() + timedelta(seconds=30),
                                       error)
                uow.commit()
            return False
        return True
