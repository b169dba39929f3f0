"""Group commit: requests that arrive together share one database transaction.

On SQLite writers take turns, so under a burst of answers each request would wait for
the writer lock and then pay for its own BEGIN and COMMIT. Here the first request to come
leads: it writes what is queued by then, its own item included, in one transaction and
hands each waiting request its result. A follower whose item missed that batch leads the
next one. Nobody returns before the transaction holding its item has committed, so
"acknowledged means stored" holds as before; if the transaction fails, every request in
it gets the error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Bounds a transaction's size, and so the wait of the request that leads it.
MAX_BATCH = 32


@dataclass
class _Entry(Generic[Item, Result]):
    item: Item
    done: threading.Event = field(default_factory=threading.Event)
    result: Result | None = None
    error: BaseException | None = None
    lead: bool = False


class GroupCommit(Generic[Item, Result]):
    def __init__(self, write: Callable[[Sequence[Item]], Sequence[Result]]) -> None:
        """`write` stores the items in one transaction and returns one result each."""
        self._write = write
        self._lock = threading.Lock()
        self._queue: list[_Entry[Item, Result]] = []
        self._leading = False

    def run(self, item: Item) -> Result:
        entry: _Entry[Item, Result] = _Entry(item)
        with self._lock:
            self._queue.append(entry)
            entry.lead = not self._leading
            self._leading = True
        if not entry.lead:
            entry.done.wait()
        if entry.lead:
            self._lead()
        if entry.error is not None:
            raise entry.error
        return entry.result  # type: ignore[return-value]

    def _lead(self) -> None:
        with self._lock:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
        try:
            results = self._write([e.item for e in batch])
            for entry, result in zip(batch, results, strict=True):
                entry.result = result
        except BaseException as err:
            for entry in batch:
                entry.error = err
        with self._lock:
            if self._queue:
                # Whoever waits longest leads the next batch.
                self._queue[0].lead = True
                self._queue[0].done.set()
            else:
                self._leading = False
        for entry in batch:
            entry.lead = False
            entry.done.set()
