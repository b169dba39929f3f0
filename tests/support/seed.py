"""The seed list of questions the bank is built from, parsed from its Markdown."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = Path(os.environ.get("QUIZ_SEED_FILE", ROOT.parent / "shared/seed/django-questions.md"))


def seed_questions(path: Path = SEED) -> dict[int, str]:
    """Number -> question text, wrapped lines joined and code blocks dedented."""
    body = path.read_text(encoding="utf-8").split("---", 1)[1]
    out: dict[int, str] = {}
    for item in re.split(r"\n(?=\d+\. )", "\n" + body.strip()):
        match = re.match(r"(\d+)\. ", item.strip("\n"))
        if not match:
            continue
        parts: list[str] = []
        prose: list[str] = []
        code: list[str] | None = None
        for line in item.strip("\n")[match.end():].split("\n"):
            if line.strip().startswith("```"):
                if code is None:
                    if prose:
                        parts.append(" ".join(p.strip() for p in prose if p.strip()))
                        prose = []
                    code = []
                else:
                    parts.append("```\n" + textwrap.dedent("\n".join(code)).strip("\n") + "\n```")
                    code = None
            elif code is not None:
                code.append(line)
            else:
                prose.append(line)
        if prose:
            parts.append(" ".join(p.strip() for p in prose if p.strip()))
        out[int(match.group(1))] = "\n".join(parts)
    return out
