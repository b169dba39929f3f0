"""The /quiz subcommands as people see them in help: usage, example, who may use them."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import process

from bot.slack.blocks import Message, escape, section


@dataclass(frozen=True)
class Subcommand:
    name: str
    admin: bool
    usage: str
    example: str
    summary: str


SUBCOMMANDS = (
    Subcommand("random", False, "/quiz random [tag|difficulty]", "/quiz random orm",
               "a practice question just for you (also plain `/quiz`)"),
    Subcommand("tags", False, "/quiz tags", "/quiz tags", "the tags and how many questions each"),
    Subcommand("leaderboard", False, "/quiz leaderboard [week|month|all] [public]",
               "/quiz leaderboard week", "standings in this channel"),
    Subcommand("status", False, "/quiz status", "/quiz status",
               "this channel's schedule, open question, and grading health"),
    Subcommand("help", False, "/quiz help", "/quiz help", "this list"),
    Subcommand("schedule", True, "/quiz schedule HH:MM [Zone/Name] [days]",
               "/quiz schedule 09:30 Europe/Berlin mon-fri",
               "start or change this channel's daily question"),
    Subcommand("reveal-after", True, "/quiz reveal-after DURATION", "/quiz reveal-after 4h",
               "how long answers are collected before the reveal"),
    Subcommand("pause", True, "/quiz pause", "/quiz pause", "stop the daily question here"),
    Subcommand("resume", True, "/quiz resume", "/quiz resume", "start it again"),
    Subcommand("skip", True, "/quiz skip", "/quiz skip",
               "replace today's open question with the next one, unscored"),
    Subcommand("tags-only", True, "/quiz tags-only TAG,TAG|all", "/quiz tags-only orm,migrations",
               "ask only questions with these tags (all: every question)"),
    Subcommand("post", True, "/quiz post", "/quiz post", "post today's question here now"),
    Subcommand("reveal", True, "/quiz reveal", "/quiz reveal", "reveal the open question now"),
)
BY_NAME = {s.name: s for s in SUBCOMMANDS}


def help_message(is_admin: bool) -> Message:
    lines = ["*Quizmaster*: one Django question a day; answer in its thread."]
    for s in SUBCOMMANDS:
        if s.admin and not is_admin:
            continue
        mark = " _(admin)_" if s.admin else ""
        lines.append(f"• `{s.usage}`{mark}: {s.summary}. e.g. `{s.example}`")
    if not is_admin:
        lines.append("Quiz admins can also schedule, pause, skip, post and reveal.")
    text = "\n".join(lines)
    return Message(text, [section(text)])


def unknown(word: str, is_admin: bool = False) -> str:
    match = process.extractOne(word, list(BY_NAME))
    hint = f" Did you mean `/quiz {match[0]}`?" if match and match[1] >= 60 else ""
    return f"I don't know `/quiz {escape(word)}`.{hint}\n\n" + help_message(is_admin).text


def usage_error(name: str, problem: str) -> str:
    s = BY_NAME[name]
    return f"{problem} Usage: `{s.usage}`, e.g. `{s.example}`"
