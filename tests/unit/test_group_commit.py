"""Group commit: every item stored once, each caller gets its own result or the error."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.services.group_commit import MAX_BATCH, GroupCommit


def test_concurrent_items_share_transactions_and_get_their_own_results() -> None:
    batches: list[list[int]] = []

    def write(items: Sequence[int]) -> list[int]:
        time.sleep(0.01)  # long enough for others to queue behind this batch
        batches.append(list(items))
        return [i * 10 for i in items]

    group: GroupCommit[int, int] = GroupCommit(write)
    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(group.run, range(200)))
    assert results == [i * 10 for i in range(200)]
    written = sorted(i for batch in batches for i in batch)
    assert written == list(range(200))
    assert len(batches) < 200 and max(len(b) for b in batches) <= MAX_BATCH


def test_a_failed_transaction_fails_every_caller_in_it_and_no_other() -> None:
    entered = threading.Event()
    release = threading.Event()

    def write(items: Sequence[str]) -> list[str]:
        if "first" in items:
            entered.set()
            release.wait(5)
            return ["ok"]
        if "bad" in items:
            raise RuntimeError("database went away")
        return ["ok"] * len(items)

    group: GroupCommit[str, str] = GroupCommit(write)
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(group.run, "first")
        assert entered.wait(5)
        queued = [pool.submit(group.run, name) for name in ("bad", "also-in-that-batch")]
        time.sleep(0.05)
        release.set()
        assert first.result(5) == "ok"
        for future in queued:
            with pytest.raises(RuntimeError, match="database went away"):
                future.result(5)
        assert group.run("later") == "ok"  # the next caller leads a fresh batch
