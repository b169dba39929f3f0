"""Grade an answer against a question's key points: deterministic and explainable.

Rules (also in the README):
1. A key point is made when one of its terms appears in one sentence of the answer: every
   word of the term, in any order and near each other, after folding case, plurals and
   verb forms (stemming), British spelling, chat shorthand, Slack markup, and typos of
   one or two letters in longer words; a hyphenated word stays one word. A lone plain
   word ("nginx") needs a second term of the point, one with another word ("proxies"
   does not back up "proxy"); a term made only of the question's words counts for
   nothing.
2. A term without a negation does not count in a sentence that negates it ("it's not X",
   "it's not true that the default is X": the reach is six words, not counting small
   ones like "the" or "that"), introduces it to deny it ("people think X"), or dismisses
   it right after ("X won't change anything", "X is a myth", "X, but that's not it").
   "Not only X" is no denial ("you can't just X" is); "instead of X" and "rather than X"
   are.
   A term that contains a negation needs one in the sentence, and is dismissed like any
   other ("update instead of save won't help"); a negation that ends a term ("pk None",
   "all or nothing") or sits inside a name ("If-None-Match") is a word.
   For a point that is itself about absence ("avoids races") only a denied remedy
   ("doesn't help with races", "X won't help") or a dismissal ("X is a myth") counts
   against it.
3. Sentences that state one of the question's misconceptions, and questions put in order
   to answer them ("Race conditions? No..."), are not evidence; in an answer that states
   a misconception, or argues against a claim ("X is a myth"), every point needs two of
   its terms.
4. Noise earns nothing, not even the point for answering: an answer under three words,
   "idk"-style replies, a bare list of keywords with no sentence around them, and an
   answer whose every sentence mostly repeats the question (such sentences are skipped
   in any answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.quiz.questions import Question
from bot.quiz.text import (
    FUNCTION_WORDS,
    NEGATIONS,
    Sentence,
    plain,
    sentences,
    stem,
    stems,
    words,
)

_IDK = re.compile(
    r"^\W*(idk|i\s+don'?t\s+know|no\s+idea|dunno|not\s+sure(?!,?\s+but\b)|no\s+clue|\?+"
    # "pass" and "skip" as a reply, not as in "pass the id to the task".
    r"|(?:pass|skip)(?=\W*$|\W+(?:on|for|this|sorry|today|tbh|lol|no|idk|i|dunno)\b|\s*:))\b",
    re.I,
)
# How far before a term's first word a negation still applies to it, in words.
_NEGATION_REACH = 6
_FUZZY_MIN_LENGTH = 4
_FUZZY_SCORE = 84.0
_COPY_SHARE = 0.75
_SPAN_PER_WORD = 7


@dataclass(frozen=True)
class PointGrade:
    text: str
    made: bool
    evidence: str | None = None


@dataclass(frozen=True)
class Grade:
    question_id: str
    points: tuple[PointGrade, ...]
    noise: str | None = None

    @property
    def made(self) -> int:
        return sum(p.made for p in self.points)

    @property
    def flags(self) -> list[bool]:
        return [p.made for p in self.points]


ANSWER_POINTS = 1


def points_for(result: Grade) -> int:
    """One point for answering in time, one per key point made; noise earns nothing."""
    return 0 if result.noise else ANSWER_POINTS + result.made


def grade(question: Question, answer: str) -> Grade:
    """Say which key points the answer makes, and why not when it is noise."""
    noise = _noise(question, answer)
    if noise:
        return Grade(question.id, tuple(PointGrade(kp.text, False) for kp in question.key_points),
                     noise)
    question_stems = _question_stems(question.question)
    counted = [s for s in sentences(answer) if _counts(s, question_stems)]
    if not counted:
        return Grade(question.id, tuple(PointGrade(kp.text, False) for kp in question.key_points),
                     "repeats the question")
    # "Race conditions? No, F() won't help there": a question put in order to answer
    # it is no statement, unless the whole answer is put as questions.
    statements = [s for s in counted if not s.is_question] or counted
    usable = [s for s in statements if not misconceived(question, s)]
    # An answer that states a known wrong claim about the question is confused about it,
    # and one that argues against a claim ("X is a myth") may be arguing against the
    # point itself: either way, one term of a point is too little to credit the point.
    confused = len(usable) < len(statements) or any(
        _argues_against(s) and not _agrees(question, s) for s in statements)
    results = []
    for kp in question.key_points:
        # A point that is itself about absence ("avoids races", "not updated") is stated
        # with negations, so they cannot be read as denial for it.
        strict = not (set(words(kp.text)) & _ABSENCE)
        found: list[str] = []
        seen: set[str] = set()
        for term in kp.terms:
            # "cascade" and "cascades" are one word: a second term must add a word.
            wanted = set(_term_parts(term)[1])
            if wanted <= seen:
                continue
            if not _echoes(term, question_stems) and any(_term_in(term, s, strict)
                                                          for s in usable):
                found.append(term)
                seen |= wanted
                if len(found) > 1 or not (confused or _plain_word(term)):
                    break
        # One everyday word ("nginx", "subquery") is as likely in a wrong answer as in
        # a right one; with nothing else of the point beside it, it is not enough.
        made = len(found) > 1 or (
            len(found) == 1 and not confused and not _plain_word(found[0]))
        results.append(PointGrade(kp.text, made, found[-1] if made else None))
    return Grade(question.id, tuple(results))


_STOP_STEMS = {stem(w) for w in FUNCTION_WORDS}
# A word that only turns up in sentences, never in a bare list of keywords: the small
# words, and the prepositions terse prose keeps ("protects forms against forgery").
_PROSE_MARKERS = FUNCTION_WORDS | {
    "against", "via", "per", "over", "under", "between", "through", "within", "across",
    "like", "out", "up", "off", "down", "around", "onto", "among", "toward", "towards",
    "inside", "outside", "along", "behind", "beyond", "during", "except", "without",
}


def _noise(question: Question, answer: str) -> str | None:
    text = plain(answer).strip()
    ws = words(text)
    if len(ws) < 3:
        return "too short"
    if _IDK.match(text) and len(ws) < 12:
        return "no answer"
    prose = [s for s in sentences(answer) if not s.is_code]
    prose_words = [w for s in prose for w in s.words]
    if len(prose_words) >= 4 and not any(w in _PROSE_MARKERS for w in prose_words):
        return "a list of keywords, not an answer"
    return None


def _counts(sentence: Sentence, question_stems: frozenset[str]) -> bool:
    """Skip keyword dumps and sentences that mostly repeat the question."""
    content = [s for s in sentence.stems if s not in _STOP_STEMS]
    if not content:
        return False
    if sentence.is_code:
        return True
    if len(sentence.words) >= 5 and not any(w in _PROSE_MARKERS for w in sentence.words):
        return False
    copied = sum(1 for s in content if s in question_stems) / len(content)
    return not (copied >= _COPY_SHARE and (len(content) >= 4 or copied == 1.0))


_ABSENCE = {"avoid", "avoids", "avoiding", "prevent", "prevents", "preventing"}


@lru_cache(maxsize=20_000)
def _term_parts(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A term's words and the stems to look for; terms repeat, so work them out once."""
    term_words = tuple(words(term))
    return term_words, tuple(stem(w) for n, w in enumerate(term_words) if _wanted(n, term_words))


def _wanted(index: int, term_words: tuple[str, ...]) -> bool:
    """A negation is looked for as a negation, not as a word, unless it ends the term:
    "pk is None", "all or nothing" negate nothing."""
    return term_words[index] not in NEGATIONS or index == len(term_words) - 1


@lru_cache(maxsize=20_000)
def _joined(term: str) -> tuple[int, ...]:
    """Indexes (into the stems to look for) of words hyphen-joined to the word before:
    "post-commit" is one word, and "post_save ... commit" does not say it."""
    term_words, _ = _term_parts(term)
    marked = words(_HYPHEN.sub(f" {_JOIN} ", term))
    out: list[int] = []
    index = -1
    count = 0
    after_hyphen = False
    for word in marked:
        if word == _JOIN:
            after_hyphen = True
            continue
        if _wanted(count, term_words):
            index += 1
            if after_hyphen and index > 0:
                out.append(index)
        after_hyphen = False
        count += 1
    return tuple(out)


_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_JOIN = "hyphenjoin"


def _plain_word(term: str) -> bool:
    """A single dictionary-looking word, as opposed to a phrase or a code name."""
    return re.fullmatch(r"[A-Za-z]+", term) is not None


def states(text: str, term: str) -> bool:
    """One sentence of the text states the term (as a term of a point not about absence)."""
    return any(_term_in(term, s) for s in sentences(text))


def misconceived(question: Question, sentence: Sentence) -> bool:
    """The sentence states one of the wrong claims people make about the question."""
    return not sentence.is_code and any(_term_in(m, sentence) for m in question.misconceptions)


def _echoes(term: str, question_stems: frozenset[str]) -> bool:
    """A term made only of the question's own words shows nothing the question did not."""
    term_words, wanted = _term_parts(term)
    content = [w for w in wanted if w not in _STOP_STEMS]
    if not content or any(w in NEGATIONS for w in term_words):
        return False  # "all or nothing", "without unique": the small words are the point
    return all(w in question_stems for w in content)


@lru_cache(maxsize=1_000)
def _question_stems(text: str) -> frozenset[str]:
    return frozenset(stems(plain(text))) - _STOP_STEMS


def _term_in(term: str, sentence: Sentence, strict: bool = True) -> bool:
    term_words, wanted = _term_parts(term)
    if not wanted:
        return False
    where: list[tuple[int, ...]] = []
    for w in wanted:
        places = _find_all(w, sentence.stems)
        if not places:
            return False
        where.append(places)
    # A word can occur twice ("`default=uuid4` ... the default is called once"): try each
    # place of the term's first word, and of its last ("the updated_at timestamp is not
    # updated"), with the nearest place of each other word.
    joined = _joined(term)
    for anchor in _anchors(where):
        positions = [min(places, key=lambda p: abs(p - anchor)) for places in where]
        for index in joined:
            # "one-to-one": a word hyphen-joined to the one before stands right after it.
            if index < len(positions) and positions[index - 1] + 1 in where[index]:
                positions[index] = positions[index - 1] + 1
        if any(positions[i] != positions[i - 1] + 1 for i in joined if i < len(positions)):
            continue
        if _stated_at(term_words, wanted, positions, sentence, strict):
            return True
    return False


def _anchors(where: list[tuple[int, ...]]) -> list[int]:
    if len(where) == 1:
        return list(where[0])
    return list(dict.fromkeys(where[0] + where[-1]))


def _stated_at(term_words: tuple[str, ...], wanted: tuple[str, ...], positions: list[int],
               sentence: Sentence, strict: bool) -> bool:
    # Words of one term must stand near each other, not merely somewhere in a long
    # run-on sentence (people often type without full stops).
    if max(positions) - min(positions) > _SPAN_PER_WORD * len(positions):
        return False
    if any(w in NEGATIONS for w in term_words[:-1]):
        # The term says "X not Y": the answer must negate Y (the term's last word that is
        # not a small one like "until"), in Y's own clause; "not X, ... Y" does not say
        # the same thing.
        last = next((p for p, w in zip(reversed(positions), reversed(wanted), strict=True)
                     if w not in _STOP_STEMS), positions[-1])
        # "it's not a serialization thing" denies a topic, it does not say "not serializable".
        if sentence.stems[last + 1 : last + 2] and sentence.stems[last + 1] in _TOPIC_WORDS:
            return False
        # "update instead of save won't help" dismisses the whole term.
        return (_negated_before(sentence, last, reach=_NEGATION_REACH + 2)
                and not _dismissed_after(sentence, max(positions)))
    if sentence.is_code:
        return True
    # A term that itself dismisses ("atomic redundant") is what the answer must say.
    dismissive = _dismissive(term_words)
    if not strict:
        # Such a point is stated with negations, so only a denied remedy ("doesn't help
        # with races", "X won't help") or a dismissal ("X is a myth") speaks against it.
        return not any(_remedy_denied(sentence, p)
                       or (not dismissive and _dismissed_after(sentence, p, about_absence=True))
                       for p in positions)
    if not dismissive and any(_dismissed_after(sentence, p) for p in positions):
        return False
    return not any(_negated_before(sentence, p) for p in positions)


@lru_cache(maxsize=20_000)
def _find_all(wanted: str, stems: tuple[str, ...]) -> tuple[int, ...]:
    """Where a term word stands in a sentence; terms share words, so remember answers."""
    exact = tuple(index for index, candidate in enumerate(stems) if candidate == wanted)
    # A digit is a version, not a typo: psycopg3 is not psycopg2.
    if exact or len(wanted) < _FUZZY_MIN_LENGTH or any(c.isdigit() for c in wanted):
        return exact
    # Typos rarely hit the first letter; requiring it keeps uwsgi from reading as wsgi.
    # A word with a digit names a version, so it is no typo of the bare name either.
    candidates = [s if s[:1] == wanted[:1] and len(s) >= _FUZZY_MIN_LENGTH
                  and not any(c.isdigit() for c in s) else "" for s in stems]
    near = process.extractOne(wanted, candidates, scorer=fuzz.ratio, score_cutoff=_FUZZY_SCORE)
    return () if near is None else (int(near[2]),)


_NEGATION_STEMS = {stem(w) for w in NEGATIONS}
# "not only X but also Y" and "not just X" affirm X, and so does "don't forget to X".
_NOT_A_DENIAL = {stem(w) for w in ("only", "just", "merely", "forget")}
# "you can't just swap the binaries" denies; "it's not just the cache" does not.
_MODALS = {stem(w) for w in ("can", "could", "should", "must", "will", "would", "shall")}
_REMEDY_STEMS = {stem(w) for w in (
    "help", "prevent", "avoid", "fix", "solve", "stop", "protect", "guard", "eliminate",
    "remove", "address", "handle", "cure",
)}
# Openings that introduce a belief in order to deny it: "people think X", "forget about X".
_DENIAL_OPENERS = {
    tuple(stem(w) for w in pair)
    for pair in (("people", "think"), ("people", "believe"), ("people", "assume"),
                 ("many", "think"), ("many", "believe"), ("everyone", "thinks"),
                 ("people", "say"), ("people", "claim"), ("some", "say"),
                 ("who", "claim"), ("who", "think"), ("who", "say"),
                 ("forget", "about"), ("myth", "that"), ("misconception", "that"))
}
_USED_TO_BE = tuple(stem(w) for w in ("used", "to", "be"))
# "if something goes wrong" says nothing of the term before it.
_GOES = {stem(w) for w in ("go", "goes", "went", "going", "gone")}

# Words after a term that dismiss it, with or without a negation before them.
_DISMISSALS = {stem(w) for w in (
    "myth", "misconception", "unnecessary", "irrelevant", "pointless", "useless",
    "overkill", "overrated", "incorrect", "wrong", "redundant", "obsolete",
    "marketing", "nonsense", "deprecated", "overengineering", "overengineered", "legacy",
)}
# "X without changing Y" says how X is done; "X won't change anything" dismisses X.
_WITHOUT_STEM = stem("without")
_TOPIC_WORDS = {stem(w) for w in ("thing", "issue", "problem", "question", "matter")}
_DISMISSED_WHEN_NEGATED = {stem(w) for w in (
    "necessary", "needed", "required", "change", "matter", "matters", "help", "helps",
    "true", "relevant", "fix", "work", "works", "affect", "make", "problem", "issue",
    "cause", "reason", "culprit", "fault", "point", "longer", "anymore", "concern",
    "care", "worry", "stop", "prevent", "protect", "solve", "avoid", "worth",
)}


def _dismissal_at(stems: tuple[str, ...], at: int) -> bool:
    """"myth", "redundant", "used to be": a word that dismisses what came before it."""
    if stems[at : at + 3] == _USED_TO_BE:
        return True
    return stems[at] in _DISMISSALS and not (at > 0 and stems[at - 1] in _GOES)


@lru_cache(maxsize=20_000)
def _dismissive(term_words: tuple[str, ...]) -> bool:
    return any(stem(w) in _DISMISSALS for w in term_words)


def _negated_before(sentence: Sentence, position: int, reach: int = _NEGATION_REACH) -> bool:
    return _negation_before(sentence, position, reach) is not None


def _negation_before(sentence: Sentence, position: int, reach: int) -> int | None:
    """Where a negation stands in the clause before `position`, within `reach` content
    words (small words such as "the" or "that" do not use up the reach)."""
    clause = sentence.clauses[position]
    stems = sentence.stems
    content = 0
    for i in range(position - 1, -1, -1):
        if sentence.clauses[i] != clause:
            return None
        if stems[i] in _NEGATION_STEMS:
            if (i + 1 < len(stems) and stems[i + 1] in _NOT_A_DENIAL
                    and not (i > 0 and stems[i - 1] in _MODALS)):
                continue
            return i
        if _opens_denial(stems, i):
            return i
        if stems[i] not in _STOP_STEMS:
            content += 1
            if content >= reach:
                return None
    return None


# Words that say a thing is old, not that a claim is false: "psycopg2 is deprecated".
_DATED = {stem(w) for w in ("deprecated", "legacy", "obsolete")}


def _argues_against(sentence: Sentence) -> bool:
    """"X is a myth", "people think X", "X, but that's not it": the sentence takes a
    claim up in order to deny it."""
    stems = sentence.stems
    for i in range(len(stems)):
        if _dismissal_at(stems, i) and stems[i] not in _DATED:
            return True
        if _opens_denial(stems, i):
            return True
        if i > 0 and sentence.clauses[i] != sentence.clauses[i - 1] and _next_clause_dismisses(
                sentence, i):
            return True
    return False


def _agrees(question: Question, sentence: Sentence) -> bool:
    """The sentence dismisses what a point itself dismisses ("atomic is redundant")."""
    return any(_dismissive(_term_parts(term)[0]) and _term_in(term, sentence)
               for kp in question.key_points for term in kp.terms)


def _opens_denial(stems: tuple[str, ...], at: int) -> bool:
    """"people think", "forget about", but not "don't forget about"."""
    return stems[at : at + 2] in _DENIAL_OPENERS and not (
        at > 0 and stems[at - 1] in _NEGATION_STEMS)


def _remedy_denied(sentence: Sentence, position: int) -> bool:
    """"doesn't help with races", "won't prevent lost updates": a negated remedy."""
    at = _negation_before(sentence, position, _NEGATION_REACH)
    return at is not None and any(
        s in _REMEDY_STEMS for s in sentence.stems[at + 1 : at + 3]
    )


# "doesn't really matter": a hedge between the negation and what it negates.
_HEDGES = {stem(w) for w in ("really", "actually", "even", "necessarily")}


def _after_negation(stems: tuple[str, ...], at: int) -> range:
    """Where the two words after a negation stand, not counting hedges: "doesn't really
    matter"."""
    i = at + 1
    while i < len(stems) and stems[i] in _HEDGES:
        i += 1
    return range(i, min(i + 2, len(stems)))


def _dismissed_after(sentence: Sentence, position: int, about_absence: bool = False) -> bool:
    """"X won't change anything", "X isn't necessary", "X is a myth": the clause that
    names the term goes on to dismiss it."""
    clause = sentence.clauses[position]
    stems = sentence.stems
    content = 0
    for i in range(position + 1, len(stems)):
        if sentence.clauses[i] != clause:
            return _next_clause_dismisses(sentence, i)
        if _dismissal_at(stems, i):
            return True
        if stems[i] in _NEGATION_STEMS and stems[i] != _WITHOUT_STEM and any(
            s in (_REMEDY_STEMS if about_absence else _DISMISSED_WHEN_NEGATED)
            for s in (stems[j] for j in _after_negation(stems, i))
        ):
            return True
        if stems[i] not in _STOP_STEMS:
            content += 1
            if content > _NEGATION_REACH:
                return False
    return False


_VERDICT_STEMS = {stem(w) for w in ("true", "case", "right", "correct", "it", "so")}
_JOINERS = {stem(w) for w in ("but", "and", "though", "however", "yet")}
_BACK_REFERENCES = {stem(w) for w in ("that", "this", "which", "it")}
# "X, but that's outdated" judges a claim; "the etag is outdated" states a fact, so the
# word dismisses only as a verdict on the clause before.
_OUTDATED = stem("outdated")
# The "s" of "it's" and "that's", split off as a word of its own.
_CONTRACTED_IS = "s"


def _next_clause_dismisses(sentence: Sentence, start: int) -> bool:
    """"X, but that's a myth", "X is the usual advice but it's unnecessary", "everyone
    says X but that's not it": a clause that opens by judging what came before. A clause
    of its own ("when nothing changed") judges nothing."""
    clause = sentence.clauses[start]
    stems = sentence.stems
    at = start
    while at < len(stems) and sentence.clauses[at] == clause and stems[at] in _JOINERS:
        at += 1
    if at >= len(stems) or sentence.clauses[at] != clause or stems[at] not in _BACK_REFERENCES:
        return False
    for i in range(at + 1, len(stems)):
        if sentence.clauses[i] != clause:
            return False
        if _dismissal_at(stems, i) or stems[i] == _OUTDATED:
            return True
        if stems[i] in _NEGATION_STEMS:
            after = [stems[j] for j in _after_negation(stems, i) if sentence.clauses[j] == clause]
            return not after or after[0] in _VERDICT_STEMS or after[0] in _DISMISSED_WHEN_NEGATED
        if stems[i] not in _STOP_STEMS and stems[i] != _CONTRACTED_IS:
            return False
    return False
