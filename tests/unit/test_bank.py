"""The shipped question bank: complete, faithful to the seed, self-consistent, renderable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.quiz.bank_file import DOC_HOSTS, TAGS, BankError, load_bank
from bot.quiz.grading import grade, misconceived, states
from bot.quiz.questions import Bank
from bot.quiz.text import FUNCTION_WORDS, sentences, stem, stems
from bot.slack import blocks
from tests.support.seed import SEED, seed_questions

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "questions.json"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(BANK)


def test_bank_holds_every_seed_question_once(bank: Bank) -> None:
    assert sorted(q.number for q in bank) == list(range(1, 82))
    assert len(set(bank.ids)) == len(bank)


@pytest.mark.skipif(not SEED.exists(), reason=f"seed list not found at {SEED}")
def test_question_text_is_exactly_the_seed_text(bank: Bank) -> None:
    seed = seed_questions()
    for question in bank:
        assert question.question == seed[question.number], question.id


def test_every_reference_answer_earns_all_its_own_key_points(bank: Bank) -> None:
    for question in bank:
        result = grade(question, question.answer)
        missed = [p.text for p in result.points if not p.made]
        assert not missed, f"{question.id}: answer does not state {missed}"


def test_no_misconception_reads_into_the_reference_answer_or_a_key_point(bank: Bank) -> None:
    for question in bank:
        for text in (question.answer, *(kp.text for kp in question.key_points)):
            stated = [s for s in sentences(text) if misconceived(question, s)]
            assert not stated, f"{question.id}: a misconception matches {stated[0].words}"


def test_every_term_and_misconception_can_be_found_at_all(bank: Bank) -> None:
    # A term the matcher reads as something else ("X redundant" as a dismissal of X,
    # "until" as the start of a clause) would silently never count.
    for question in bank:
        phrases = [*question.misconceptions, *(t for kp in question.key_points for t in kp.terms)]
        dead = [p for p in phrases if not states(p, p)]
        assert not dead, f"{question.id}: never found: {dead}"


def test_every_term_holds_a_word_that_means_something(bank: Bank) -> None:
    small = {stem(w) for w in FUNCTION_WORDS}
    for question in bank:
        for kp in question.key_points:
            for term in kp.terms:
                assert set(stems(term)) - small, f"{question.id}: {term!r} matches any answer"


def test_answers_are_concise(bank: Bank) -> None:
    for question in bank:
        words = len(question.answer.split())
        assert 60 <= words <= 260, f"{question.id}: {words} words"


def test_references_are_deep_links_to_official_documentation(bank: Bank) -> None:
    for question in bank:
        for url in question.references:
            assert re.match(r"^https://[a-z0-9.-]+/\S+$", url), url
            assert url.split("/")[2] in DOC_HOSTS


def test_tags_come_from_the_closed_vocabulary_and_difficulty_is_in_range(bank: Bank) -> None:
    for question in bank:
        assert set(question.tags) <= TAGS
        assert question.difficulty in (1, 2, 3)
        assert 2 <= len(question.key_points) <= 6
        assert all(kp.terms for kp in question.key_points)


def _outside_code(text: str) -> str:
    return re.sub(r"`[^`\n]*`", "code", re.sub(r"```.*?```", "", text, flags=re.S))


def test_markup_is_slack_mrkdwn_not_markdown(bank: Bank) -> None:
    for question in bank:
        for text in (question.question, question.answer):
            assert text.count("```") % 2 == 0, f"{question.id}: unbalanced code block"
            prose = _outside_code(text)
            assert "**" not in prose, f"{question.id}: Markdown bold"
            assert not re.search(r"\[[^\]]+\]\([^)]+\)", prose), f"{question.id}: Markdown link"
            assert not re.search(r"^#+ ", prose, re.M), f"{question.id}: Markdown heading"
            assert "<" not in prose.replace("&lt;", ""), f"{question.id}: raw < would be markup"


def test_every_question_renders_within_slack_block_limits(bank: Bank) -> None:
    for question in bank:
        messages = [blocks.question_message(question, "at 16:00"),
                    *blocks.reveal_messages(question, [], {})]
        for message in messages:
            assert len(message.blocks) <= 50
            for block in message.blocks:
                text = block.get("text", {}).get("text", "")
                assert len(text) <= 3000, question.id
            assert message.text


def write_bank(tmp_path: Path, mutate: object) -> Path:
    data = json.loads(BANK.read_text())
    mutate(data)  # type: ignore[operator]
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(data))
    return path


def test_empty_terms_are_named_by_file_question_and_field(tmp_path: Path) -> None:
    def empty_terms(data: dict[str, list[dict[str, object]]]) -> None:
        question = data["questions"][0]
        question["id"] = "csrf"
        question["key_points"][1]["terms"] = []  # type: ignore[index]

    path = write_bank(tmp_path, empty_terms)
    with pytest.raises(BankError) as err:
        load_bank(path)
    assert str(err.value) == f"{path}: question 'csrf': key_points[1].terms is empty"


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("tags", ["orm", "cooking"], "unknown tag 'cooking'"),
    ("difficulty", 4, "difficulty"),
    ("references", ["https://example.com/blog/post"], "not an https link to official"),
    ("references", ["https://docs.djangoproject.com/"], "home page"),
    ("id", "Not A Slug", "id"),
])
def test_invalid_fields_are_refused_with_a_named_field(
    tmp_path: Path, field: str, value: object, expected: str
) -> None:
    def set_field(data: dict[str, list[dict[str, object]]]) -> None:
        data["questions"][0][field] = value

    with pytest.raises(BankError) as err:
        load_bank(write_bank(tmp_path, set_field))
    assert expected in str(err.value)
    assert "question" in str(err.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    def duplicate(data: dict[str, list[dict[str, object]]]) -> None:
        data["questions"][1]["id"] = data["questions"][0]["id"]

    with pytest.raises(BankError, match="id is used twice"):
        load_bank(write_bank(tmp_path, duplicate))


def test_missing_and_broken_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="file not found"):
        load_bank(tmp_path / "nope.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(BankError, match="not valid JSON"):
        load_bank(broken)
