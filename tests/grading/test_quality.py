"""The grader against the labelled answers: a floor under precision and recall."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from bot.quiz.bank_file import load_bank

ROOT = Path(__file__).resolve().parents[2]
FLOOR = 0.85


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_grading", ROOT / "bench" / "grading.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_labelled_set_is_big_and_varied_enough() -> None:
    items = _bench().load_labels()
    assert len(items) >= 120
    assert len({i["question"] for i in items}) >= 20
    holdout = [i for i in items if i["split"] == "holdout"]
    assert len(holdout) >= len(items) / 6
    kinds = {i["kind"] for i in items}
    assert {"complete", "terse", "partial", "wrong", "off-topic", "idk", "keyword-stuffed",
            "question-copy", "typos", "paraphrase", "negation"} <= kinds
    bank = load_bank(ROOT / "questions.json")
    for item in items:
        question = bank.get(str(item["question"]))
        assert question is not None
        assert len(item["made"]) == len(question.key_points), json.dumps(item)[:120]


def test_grader_precision_and_recall_stay_above_the_floor() -> None:
    bench = _bench()
    tallies = bench.evaluate(load_bank(ROOT / "questions.json"), bench.load_labels())
    overall = tallies["all"]["all"]
    assert overall.precision >= FLOOR, f"precision {overall.precision:.3f}"
    assert overall.recall >= FLOOR, f"recall {overall.recall:.3f}"


def test_noise_never_earns_a_key_point() -> None:
    tallies = _bench().evaluate(load_bank(ROOT / "questions.json"), _bench().load_labels())
    for kind in ("idk", "keyword-stuffed", "question-copy"):
        assert tallies["all"][kind].fp == 0, kind
