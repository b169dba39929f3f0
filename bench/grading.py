"""Precision and recall of the grader against the labelled answers in tests/grading/.

Run: python bench/grading.py   (prints figures per split and per kind of answer)
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.quiz.bank_file import load_bank  # noqa: E402
from bot.quiz.grading import grade  # noqa: E402
from bot.quiz.questions import Bank  # noqa: E402

LABELS = ROOT / "tests" / "grading"
# Answers that try to answer, and answers that deny or get the point wrong in its own words.
GROUPS = {
    "good faith": ("complete", "partial", "terse", "typos", "paraphrase"),
    "adversarial": ("negation", "wrong"),
}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    answers: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, predicted: list[bool], expected: list[bool]) -> None:
        self.answers += 1
        for p, e in zip(predicted, expected, strict=True):
            self.tp += p and e
            self.fp += p and not e
            self.fn += e and not p
            self.tn += not p and not e

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_labels() -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for path in sorted(LABELS.glob("labelled_*.json")):
        items.extend(json.loads(path.read_text()))
    return items


def _graded(bank: Bank, item: dict[str, object]) -> tuple[list[bool], list[bool]]:
    """What the grader says of a labelled answer, and what the label says."""
    question = bank.get(str(item["question"]))
    assert question is not None, item["question"]
    return grade(question, str(item["text"])).flags, [bool(x) for x in item["made"]]  # type: ignore[attr-defined]


def evaluate(bank: Bank, items: list[dict[str, object]]) -> dict[str, dict[str, Tally]]:
    """Tallies by split ("tune", "holdout", "all") and kind ("all" too)."""
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for item in items:
        predicted, expected = _graded(bank, item)
        for split in (str(item["split"]), "all"):
            for kind in (str(item["kind"]), "all"):
                tallies[split][kind].add(predicted, expected)
                if predicted != expected and kind == "all" and split == "all":
                    tallies[split][kind].misses.append(
                        f"{item['question']} [{item['kind']}] got {predicted} want {expected}: "
                        f"{str(item['text'])[:90]!r}"
                    )
    return tallies


def interval(flags: list[tuple[list[bool], list[bool]]], draws: int = 2000,
             seed: int = 6) -> tuple[tuple[float, float], tuple[float, float]]:
    """95 % bootstrap intervals of precision and recall, resampling whole answers: how far
    the figures could move with another set of answers like these."""
    rng = random.Random(seed)
    precisions, recalls = [], []
    for _ in range(draws):
        tally = Tally()
        for predicted, expected in rng.choices(flags, k=len(flags)):
            tally.add(predicted, expected)
        precisions.append(tally.precision)
        recalls.append(tally.recall)

    def bounds(values: list[float]) -> tuple[float, float]:
        values.sort()
        return values[int(0.025 * draws)], values[int(0.975 * draws) - 1]

    return bounds(precisions), bounds(recalls)


def main() -> None:
    bank = load_bank(ROOT / "questions.json")
    items = load_labels()
    tallies = evaluate(bank, items)
    questions = len({item["question"] for item in items})
    print(f"labelled answers: {len(items)} over {questions} questions")
    print(f"{'split':8} {'kind':16} {'answers':>7} {'precision':>9} {'recall':>7} "
          f"{'TP':>4} {'FP':>4} {'FN':>4}")
    for split in ("tune", "holdout", "all"):
        for kind, t in sorted(tallies[split].items(), key=lambda kv: (kv[0] != "all", kv[0])):
            print(f"{split:8} {kind:16} {t.answers:7} {t.precision:9.3f} {t.recall:7.3f} "
                  f"{t.tp:4} {t.fp:4} {t.fn:4}")
    print("\ngood faith (complete, partial, terse, typos, paraphrase) and adversarial "
          "(negation, wrong) answers:")
    for split in ("tune", "holdout", "all"):
        for group, kinds in GROUPS.items():
            t = Tally()
            for kind in kinds:
                k = tallies[split].get(kind) or Tally()
                t.tp, t.fp, t.fn, t.answers = (t.tp + k.tp, t.fp + k.fp, t.fn + k.fn,
                                               t.answers + k.answers)
            print(f"{split:8} {group:12} {t.answers:4} answers  precision "
                  f"{t.precision:.3f}  recall {t.recall:.3f}")
    print("\nby file (each file was written before the grader was tuned to it):")
    for path in sorted(LABELS.glob("labelled_*.json")):
        by_split = evaluate(bank, json.loads(path.read_text()))
        for split in ("tune", "holdout"):
            if split in by_split:
                t = by_split[split]["all"]
                print(f"{path.name:18} {split:8} {t.answers:4} answers  precision "
                      f"{t.precision:.3f}  recall {t.recall:.3f}")
    print("\n95 % bootstrap intervals (answers resampled):")
    for split in ("tune", "holdout", "all"):
        chosen = [i for i in items if split == "all" or i["split"] == split]
        (p_low, p_high), (r_low, r_high) = interval([_graded(bank, i) for i in chosen])
        print(f"{split:8} precision {p_low:.3f}-{p_high:.3f}  recall {r_low:.3f}-{r_high:.3f}")
    if "-v" in sys.argv:
        for miss in tallies["all"]["all"].misses:
            print("  miss:", miss)


if __name__ == "__main__":
    main()
