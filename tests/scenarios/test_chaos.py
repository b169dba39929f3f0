"""Short chaos run: the served bot SIGKILLed mid-cycle and restarted (bench/chaos.py is long)."""

from __future__ import annotations

from bench.chaos import run_chaos


def test_killed_and_restarted_bot_keeps_every_invariant(database_url: str) -> None:
    report = run_chaos(kills=3, db=database_url, seed=7)
    assert report.kills == 3 and report.cycles == 3
    assert report.accepted, "some answers were acknowledged"
    assert report.problems == []
