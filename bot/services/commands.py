"""Slash commands are stored before Slack hears "ok" and run from the database, so a crash
between the acknowledgement and the work delays the work instead of losing it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.services.outbox import Outbox
from storage.repositories import OutboxItem
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
KIND = "command"
# Slack takes replies on a command's response_url for 30 minutes; later, nobody would
# see the answer, and running a command that old would surprise whoever sent it.
STALE_AFTER = timedelta(minutes=25)
MAX_ATTEMPTS = 3


class AlreadyRun(Exception):
    """Another run of the same command already made its change."""


@dataclass(frozen=True)
class Command:
    text: str
    team: str
    channel: str
    user: str
    response_url: str
    received_at: datetime
    # The queue's id for it, once stored.
    item_id: int = 0


class CommandQueue:
    def __init__(self, uow: UnitOfWorkFactory, outbox: Outbox, clock: Clock) -> None:
        self._uow = uow
        self._outbox = outbox
        self._clock = clock
        self._fresh: set[int] = set()
        self._lock = threading.Lock()

    def serve(self, run: Callable[[Command], None]) -> None:
        """Give the queue what runs a command; it is called at most once per attempt."""

        def run_item(item: OutboxItem) -> None:
            command = _command(item)
            # Only a command picked up from the store later, not one run right after
            # its ack, can have waited too long.
            with self._lock:
                fresh = item.id in self._fresh
            if not fresh and self._clock.now() - command.received_at > STALE_AFTER:
                log.warning("dropped /quiz %s from %s: too old to answer", command.text,
                            command.user)
                return
            if item.attempts > MAX_ATTEMPTS:
                log.error("gave up on /quiz %s from %s after %d attempts", command.text,
                          command.user, MAX_ATTEMPTS)
                return
            run(command)

        self._outbox.handle(KIND, run_item)

    def accept(self, command: Command, trigger_id: str) -> int | None:
        """Store the command; None if this very request was stored before."""
        with self._uow() as uow:
            item_id = uow.outbox.add(command.team, KIND, f"{KIND}:{trigger_id}", {
                "text": command.text, "team": command.team, "channel": command.channel,
                "user": command.user, "response_url": command.response_url,
                "received_at": command.received_at.isoformat(),
            }, command.received_at)
            uow.commit()
        return item_id

    def note_done(self, uow: UnitOfWork, command: Command) -> None:
        """Close the command inside the transaction of what it changed: run again after a
        crash, a command must not repeat a change it already made. A second run of the
        same command (its lease ran out while the first was still working) finds it
        closed and raises AlreadyRun, which rolls its change back."""
        if not uow.outbox.finish_once(command.item_id, self._clock.now()):
            raise AlreadyRun(command.text)

    def run(self, item_id: int) -> None:
        """Run a stored command now; the scheduler's tick picks it up if this process
        dies first."""
        with self._lock:
            self._fresh.add(item_id)
        try:
            self._outbox.send([item_id])
        finally:
            with self._lock:
                self._fresh.discard(item_id)


def _command(item: OutboxItem) -> Command:
    p = item.payload
    return Command(str(p["text"]), str(p["team"]), str(p["channel"]), str(p["user"]),
                   str(p["response_url"]), datetime.fromisoformat(str(p["received_at"])),
                   item.id)
