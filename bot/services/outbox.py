"""Send the Web API calls queued in the database, each once, retrying on failure."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.slack.poster import Poster
from storage.repositories import OutboxItem
from storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=1)
MAX_ATTEMPTS = 8
# Errors that another try cannot fix.
_FINAL = {"channel_not_found", "user_not_in_channel", "not_in_channel", "is_archived",
          "invalid_name", "too_many_reactions", "bad_timestamp"}


class Outbox:
    def __init__(self, uow: UnitOfWorkFactory, poster: Poster, clock: Clock) -> None:
        self._uow = uow
        self._poster = poster
        self._clock = clock

    def send(self, item_ids: Iterable[int]) -> None:
        for item_id in item_ids:
            now = self._clock.now()
            with self._uow() as uow:
                item = uow.outbox.claim(item_id, now, LEASE)
                uow.commit()
            if item is not None:
                self._send_one(item)

    def send_pending(self, now: datetime) -> None:
        with self._uow() as uow:
            pending = uow.outbox.pending(now)
        self.send(pending)

    def _message(self, item: OutboxItem) -> None:
        p = item.payload
        metadata = p.get("metadata")
        if metadata and item.attempts > 1:
            # An earlier attempt may have posted before it crashed: look before posting again.
            event = metadata["event_type"]
            if self._poster.find_posted(p["channel"], event, item.id):
                return
        if metadata:
            metadata = {"event_type": metadata["event_type"],
                        "event_payload": {"post_id": item.id, "part": 0}}
        self._poster.message(p["channel"], p["text"], p.get("blocks"), metadata)

    def _send_one(self, item: OutboxItem) -> None:
        p = item.payload
        try:
            if item.kind == "reaction":
                self._poster.react(p["channel"], p["ts"], p["name"])
            elif item.kind == "ephemeral":
                self._poster.ephemeral(p["channel"], p["user"], p["text"], p.get("thread_ts"))
            elif item.kind == "message":
                self._message(item)
            else:
                log.error("unknown outbox kind %r; dropping item %s", item.kind, item.id)
        except Exception as err:
            error = str(err.response.get("error")) if isinstance(err, SlackApiError) else (
                type(err).__name__
            )
            now = self._clock.now()
            with self._uow() as uow:
                if error in _FINAL:
                    log.warning("outbox %s %s gave up: %s", item.kind, item.id, error)
                    uow.outbox.finish(item.id, now)
                else:
                    log.warning("outbox %s %s failed: %s; will retry", item.kind, item.id, error)
                    uow.outbox.retry_later(item.id, now + timedelta(seconds=30), error)
                uow.commit()
            return
        with self._uow() as uow:
            uow.outbox.finish(item.id, self._clock.now())
            uow.commit()
