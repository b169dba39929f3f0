"""Words and sentences of free text, for matching answers against key points."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_SLACK_MARKUP = re.compile(r"<([@#!][^>|]*)(?:\|([^>]*))?>|<([^>|]+)\|([^>]+)>|<([^>]+)>")
_EMOJI = re.compile(r":[a-z0-9_+\-]+:")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_WORD = re.compile(r"[a-z0-9_]+")
_stemmer = snowballstemmer.stemmer("english")


def plain(text: str) -> str:
    """Strip Slack markup: mentions, links (keeping their label), emoji codes, entities."""

    def label(match: re.Match[str]) -> str:
        return match.group(2) or match.group(4) or match.group(5) or " "

    text = _SLACK_MARKUP.sub(label, text)
    text = _EMOJI.sub(" ", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(plain(text)) if s.strip()]


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def stems(text: str) -> list[str]:
    """Lower-case word stems; snake_case names count as one word and as their parts."""
    out: list[str] = []
    for word in _WORD.findall(text.lower().replace("`", " ")):
        out.append(stem(word))
        if "_" in word:
            out.extend(stem(part) for part in word.split("_") if part)
    return out
