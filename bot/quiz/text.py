"""Words and sentences of free text as people type it in Slack."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_CODE_BLOCK = re.compile(r"```(.*?)```", re.S)
_SLACK_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_EMOJI = re.compile(r":[a-z0-9_+\-']+:")
# "doesn't", and "doesnt" as people type it in a hurry.
_NOT = re.compile(r"\b(ca|wo|sha|do|does|did|is|are|was|were|has|have|had|could|would|should|"
                  r"must|need|might|ai)n['’]?t\b")
_NOT_STEM = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
# A full stop after "..." or "e.g." ends no sentence.
_SENTENCE = re.compile(r"(?<=[.!?;])(?<!\.\.\.)(?<!…)(?<!\b[eE]\.g\.)(?<!\b[iI]\.e\.)\s+"
                       r"|\n+|\s+(?=•)|(?<=:)\s+(?=[A-Z`])")
# "5.2" is a version, one word; "obj.save" a dotted name.
_VERSION = re.compile(r"\d+(?:\.\d+)+")
_WORD = re.compile(rf"{_VERSION.pattern}|[a-z0-9_]+(?:\.[a-z_]+)*")
_stemmer = snowballstemmer.stemmer("english")
_DUNDER = re.compile(r"^__[a-z0-9]+(?:_[a-z0-9]+)*__$")
_ONCE_EACH = re.compile(r"\bonce\s+(?=per\b|for\s+each\b|for\s+every\b|every\b)")
_WITHOUT = re.compile(r"\bw/o\b")
# "Y instead of X" and "Y rather than X" say "not X".
_INSTEAD_OF = re.compile(r"\binstead\s+of\b|\brather\s+than\b")
# "If-None-Match" is a name: a negation inside a hyphenated word negates nothing.
_NAMED_NEGATION = re.compile(r"(?<=[a-z0-9])-(no|none|not|never)-(?=[a-z0-9])")
_NUMBERS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five"}

# British spellings folded to American before stemming, so both read the same.
_BRITISH = [
    (re.compile(r"(?<=[a-z])is(e|es|ed|ing|ation|ations|er|ers)\b"), r"iz\1"),
    (re.compile(r"(?<=[a-z])yse(s|d)?\b"), r"yze\1"),
    (re.compile(r"our\b"), "or"),
    (re.compile(r"ours\b"), "ors"),
]
# Words where the rules above would be wrong.
_KEEP = {
    "otherwise", "precise", "promise", "promises", "promised", "exercise", "raise", "raises",
    "raised", "raising", "wise", "likewise", "advise", "advised", "concise", "premise",
    "premises", "expertise", "enterprise", "surprise", "surprised", "noise", "rise",
    "arise", "arises", "revise", "revised", "supervise", "compromise", "devise", "franchise",
    "merchandise", "televise", "paradise", "praise", "disguise", "cruise", "poise", "treatise",
    "four", "your", "our", "hour", "hours", "pour", "tour", "yours", "ours", "flour",
    "sour", "detour", "contour", "devour", "amateur", "licensed", "phase", "phases",
    "base", "cause", "because", "else", "close", "closes", "closed", "choose", "house",
    "false", "response", "case", "use", "uses", "used", "release", "increase", "decrease",
    "these", "those", "purpose", "expose", "exposes", "exposed", "suppose", "propose",
    "impose", "compose", "dispose", "loose", "lease", "please", "database",
    "databases", "course", "collapse", "chaise", "reverse", "sense", "dense",
    "license", "tense", "immense", "intense", "expense", "defense", "offense", "pause",
    "clause", "horse", "nurse", "purse", "verse", "worse", "universe", "browse",
    "rose", "nose", "hose", "pose", "whose",
}

FUNCTION_WORDS = frozenset(
    {
        "a", "an", "the", "is", "are", "was", "were", "be", "been", "being", "it", "its",
        "it's", "this", "that", "these", "those", "to", "of", "in", "on", "for", "with",
        "by", "from", "as", "at", "so", "because", "if", "when", "then", "than", "and",
        "or", "but", "not", "no", "you", "your", "we", "they", "he", "she", "i", "me", "my",
        "which", "who", "whom", "can", "will", "would", "should", "could", "does", "do",
        "did", "has", "have", "had", "there", "their", "also", "only", "just", "into",
        "about", "what", "how", "why", "where", "while", "since", "until", "unless",
        "though", "although", "after", "before", "once", "each", "every", "any", "all",
        "some", "more", "most", "such", "both", "either", "neither", "nor", "may", "might",
        "must", "shall", "our", "us", "them", "itself", "whether", "instead", "rather",
    }
)
NEGATIONS = frozenset({"not", "no", "never", "without", "nothing", "neither", "nor", "none"})


@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]
    stems: tuple[str, ...]
    # The clause each stem stands in: a negation reaches only within its clause.
    clauses: tuple[int, ...]
    is_code: bool
    is_question: bool = False


def plain(text: str) -> str:
    """Strip Slack markup: mentions, links (keeping their label), emoji codes, entities."""

    def label(match: re.Match[str]) -> str:
        target, shown = match.group(1), match.group(2)
        if shown:
            return shown
        return " " if target[:1] in "@#!" else target

    text = _SLACK_MARKUP.sub(label, text)
    text = _EMOJI.sub(" ", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def american(word: str) -> str:
    if word in _KEEP or len(word) < 5:
        return word
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    return word


# Words people use interchangeably when they talk about Django, and the shorthand they
# type in chat, read as one word (on both sides: terms and answers).
_SAME = [
    ("row", "record", "entry"),
    ("same", "identical"),
    ("database", "db"),
    ("production", "prod"),
    ("development", "dev"),
    ("function", "func", "fn"),
    ("argument", "arg", "parameter", "param"),
    ("connection", "conn"),
    ("transaction", "txn"),
    ("object", "obj", "instance"),
    ("application", "app"),
    ("environment", "env"),
    ("configuration", "config", "conf"),
    ("authentication", "auth"),
    ("performance", "perf"),
    ("maximum", "max"),
    ("minimum", "min"),
    ("asynchronous", "async"),
    ("synchronous", "sync"),
    ("variable", "var"),
    ("dictionary", "dict"),
    ("stale", "outdated"),
    ("large", "huge", "big"),
    ("fast", "quick"),
    ("operation", "ops"),
]
_CANONICAL: dict[str, str] = {}


# "FKs", "PKs", "CDNs": the stemmer keeps the s of a word with no vowel.
_ACRONYM_PLURAL = re.compile(r"[b-df-hj-np-tv-xz]{2,}(?<!s)s")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    if _ACRONYM_PLURAL.fullmatch(word):
        word = word[:-1]
    stemmed = str(_stemmer.stemWord(american(word)))
    return _CANONICAL.get(stemmed, stemmed)


for _group in _SAME:
    _first = stem(_group[0])
    _CANONICAL.update({stem(w): _first for w in _group})
stem.cache_clear()


def words(text: str) -> list[str]:
    """Lower-case words; "doesn't" reads as "does not"; snake_case stays one word."""
    text = _NOT.sub(lambda m: f"{_NOT_STEM.get(m.group(1), m.group(1))} not",
                    text.lower().replace("`", " "))
    if not text.isascii():
        # "Diátaxis", "naïve": fold accents so the word stays one word.
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    # The checks before each rewrite keep this hot path cheap: most text has none.
    if "cannot" in text:
        text = re.sub(r"\bcannot\b", "can not", text)
    if "once" in text:
        # "called once per row" says the opposite of "called once".
        text = _ONCE_EACH.sub("", text)
    if "w/o" in text:
        text = _WITHOUT.sub("without", text)
    if "-n" in text:
        text = _NAMED_NEGATION.sub(r"-\1name-", text)
    if "instead" in text or "rather" in text:
        text = _INSTEAD_OF.sub("not", text)
    # A dunder name (`__and__`) is an identifier, not the word inside it.
    found = [w if _DUNDER.match(w) else w.strip("._") for w in _WORD.findall(text)]
    found = [w for w in found if w]
    return [_NUMBERS.get(w, w) for w in found]


def stems(text: str) -> list[str]:
    """Stems of the words, plus the parts of snake_case and dotted names.

    A dotted name also stands for each of its tails, so `apps.get_model` is found in
    `django.apps.apps.get_model`.
    """
    out: list[str] = []
    for word in words(text):
        out.append(stem(word))
        if _VERSION.fullmatch(word):
            continue
        dotted = word.split(".")
        out.extend(stem(".".join(dotted[i:])) for i in range(1, len(dotted)))
        # ...and for each name in it: `user.profile_set.first()` names profile_set.
        out.extend(stem(d) for d in dotted[1:-1] if "_" in d)
        parts = [p for p in re.split(r"[_.]", word) if p]
        if len(parts) > 1:
            # `no_key=True` names an argument; its "no" negates nothing.
            out.extend(stem(p) for p in parts if p not in NEGATIONS)
    return out


@lru_cache(maxsize=1_024)
def sentences(text: str) -> tuple[Sentence, ...]:
    """Prose sentences and code blocks of a text, as words and stems."""
    text = plain(text)
    out: list[Sentence] = []
    for code in _CODE_BLOCK.findall(text):
        out.append(_sentence(code, is_code=True))
    prose = _CODE_BLOCK.sub("\n", text)
    for piece in _SENTENCE.split(prose):
        if piece.strip():
            out.append(_sentence(piece, is_code=False, is_question=piece.rstrip().endswith("?")))
    return tuple(s for s in out if s.words)


# Where a negation stops reaching: punctuation, contrast, and the words that open a
# subordinate clause ("it doesn't know the value until you reload it"). The empty
# parentheses of a call, as in get_model(), are not a parenthesis.
_CLAUSE = re.compile(
    r"(,\s|:\s|\s[-–—]\s|\((?!\))|(?<!\()\)|\binstead\b(?!\s+of\b)|\bb/c\b"
    r"|\b(?:but|however|whereas|until|unless|because|bc|cuz|since|otherwise|when)\b)"
)


def _sentence(text: str, is_code: bool, is_question: bool = False) -> Sentence:
    all_stems: list[str] = []
    clauses: list[int] = []
    # The word that opens a clause stays in it: "delayed until commit" is a term too.
    parts = [text] if is_code else _CLAUSE.split(text)
    pieces = [parts[0]] + [parts[i] + parts[i + 1] for i in range(1, len(parts) - 1, 2)]
    for index, piece in enumerate(pieces):
        piece_stems = stems(piece)
        all_stems.extend(piece_stems)
        clauses.extend([index] * len(piece_stems))
    return Sentence(tuple(words(text)), tuple(all_stems), tuple(clauses), is_code, is_question)
