"""Read and validate a questions.json file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from bot.quiz.questions import Bank, KeyPoint, Question

TAGS = frozenset(
    {
        "orm", "models", "queries", "migrations", "transactions", "database", "security",
        "auth", "testing", "deployment", "performance", "caching", "celery", "async",
        "signals", "admin", "i18n", "tooling", "architecture", "views", "files", "settings",
        "api", "release",
    }
)
DOC_HOSTS = frozenset(
    {
        "docs.djangoproject.com",
        "docs.celeryq.dev",
        "docs.gunicorn.org",
        "gunicorn.org",
        "www.postgresql.org",
        "www.psycopg.org",
        "pillow.readthedocs.io",
        "redis.io",
        "docs.python.org",
        "django-debug-toolbar.readthedocs.io",
        "uvicorn.org",
        "www.uvicorn.org",
        "channels.readthedocs.io",
        "django-rest-framework-simplejwt.readthedocs.io",
        "www.django-rest-framework.org",
        "whitenoise.readthedocs.io",
        "datatracker.ietf.org",
        "www.rfc-editor.org",
        "peps.python.org",
        "flower.readthedocs.io",
        "docs.pytest.org",
        "pytest-django.readthedocs.io",
        "docs.astral.sh",
        "black.readthedocs.io",
        "pycqa.github.io",
        "www.sphinx-doc.org",
        "django-modeltranslation.readthedocs.io",
        "django-environ.readthedocs.io",
        "docs.sentry.io",
    }
)
MAX_WORDS = 300

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class KeyPointModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Text
    terms: list[Text] = Field(min_length=1, max_length=30)


class QuestionModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
    number: int = Field(ge=1)
    question: Text
    answer: Text
    key_points: list[KeyPointModel] = Field(min_length=2, max_length=6)
    tags: list[str] = Field(min_length=1, max_length=4)
    difficulty: int = Field(ge=1, le=3)
    references: list[str] = Field(min_length=1, max_length=3)
    misconceptions: list[Text] = Field(default_factory=list, max_length=12)

    @field_validator("answer")
    @classmethod
    def _answer_length(cls, value: str) -> str:
        words = len(value.split())
        if words > MAX_WORDS:
            raise ValueError(f"has {words} words; keep it under {MAX_WORDS}")
        return value

    @field_validator("tags")
    @classmethod
    def _known_tags(cls, tags: list[str]) -> list[str]:
        unknown = [t for t in tags if t not in TAGS]
        if unknown:
            raise ValueError(f"unknown tag {unknown[0]!r}; use one of {', '.join(sorted(TAGS))}")
        return tags

    @field_validator("references")
    @classmethod
    def _official_docs(cls, urls: list[str]) -> list[str]:
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme != "https" or parts.hostname not in DOC_HOSTS:
                raise ValueError(f"{url!r} is not an https link to official documentation")
            if parts.path in ("", "/"):
                raise ValueError(f"{url!r} is a home page; link the section")
        return urls


class BankModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1]
    questions: list[QuestionModel] = Field(min_length=1)


class BankError(Exception):
    """The bank file is unreadable or invalid; the message names file, question and field."""


def load_bank(path: Path) -> Bank:
    """Read a bank file; raise BankError with one line per problem."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BankError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise BankError(f"{path}: cannot read: {err}") from None
    except json.JSONDecodeError as err:
        raise BankError(f"{path}: not valid JSON: line {err.lineno}: {err.msg}") from None
    try:
        model = BankModel.model_validate(raw)
    except ValidationError as err:
        raise BankError("\n".join(_describe(path, raw, e) for e in err.errors())) from None
    problems = _cross_checks(path, model)
    if problems:
        raise BankError("\n".join(problems))
    return Bank([_question(q) for q in model.questions])


def _describe(path: Path, raw: object, error: object) -> str:
    assert isinstance(error, dict)
    loc = list(error["loc"])
    where = f"{path}:"
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        index = loc[1]
        qid = _id_at(raw, index)
        where += f" question {qid!r}:" if qid else f" question #{index + 1}:"
        loc = loc[2:]
    field = _field_path(loc)
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "too_short" and field.endswith("terms"):
        message = "is empty"
    return f"{where} {field or 'file'} {message}" if field else f"{where} {message}"


def _id_at(raw: object, index: int) -> str | None:
    if isinstance(raw, dict):
        items = raw.get("questions")
        if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
            qid = items[index].get("id")
            return qid if isinstance(qid, str) else None
    return None


def _field_path(loc: list[object]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and not re.match(r"^[A-Za-z_]+\[", part) and "'" not in part:
            out += f".{part}" if out else part
    return out


def _cross_checks(path: Path, model: BankModel) -> list[str]:
    problems: list[str] = []
    seen_ids: set[str] = set()
    seen_numbers: set[int] = set()
    for q in model.questions:
        if q.id in seen_ids:
            problems.append(f"{path}: question {q.id!r}: id is used twice")
        if q.number in seen_numbers:
            problems.append(f"{path}: question {q.id!r}: number {q.number} is used twice")
        seen_ids.add(q.id)
        seen_numbers.add(q.number)
    return problems


def _question(q: QuestionModel) -> Question:
    return Question(
        id=q.id,
        number=q.number,
        question=q.question,
        answer=q.answer,
        key_points=tuple(KeyPoint(k.text, tuple(k.terms)) for k in q.key_points),
        tags=tuple(q.tags),
        difficulty=q.difficulty,
        references=tuple(q.references),
        misconceptions=tuple(q.misconceptions),
    )
