"""Does a text state a key point? A term counts when all its words share one sentence."""

from __future__ import annotations

from bot.quiz.questions import KeyPoint
from bot.quiz.text import sentences, stems


def term_in(term: str, sentence_stems: list[set[str]]) -> bool:
    wanted = set(stems(term))
    return bool(wanted) and any(wanted <= words for words in sentence_stems)


def points_made(text: str, key_points: tuple[KeyPoint, ...]) -> list[bool]:
    """Say for each key point whether the text states one of its terms, word for word."""
    sentence_stems = [set(s.stems) for s in sentences(text)]
    return [any(term_in(t, sentence_stems) for t in kp.terms) for kp in key_points]
