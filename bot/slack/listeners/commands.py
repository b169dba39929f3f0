"""/quiz and its subcommands: check the words, store the command, ack, then do the work
(from the store, so a crash after the ack delays it instead of losing it)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.quiz import periods
from bot.quiz.channels import ChannelConfig
from bot.quiz.schedule_text import parse_days, parse_reveal_after, parse_time, parse_zone
from bot.services import leaderboard
from bot.services.channels import Channels
from bot.services.commands import AlreadyRun, Command, CommandQueue
from bot.services.cycle import Cycle
from bot.services.errors import QuizError
from bot.services.practice import Practice
from bot.slack import blocks, help, practice_views
from bot.slack.admins import AdminCheck
from bot.slack.poster import Poster
from storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)
NO_ARGS = {"tags", "status", "help", "pause", "resume", "skip", "post", "reveal"}


@dataclass(frozen=True)
class Request:
    name: str
    args: dict[str, Any]
    team: str
    channel: str
    user: str


def parse(words: list[str], tags: set[str], practice: Practice) -> tuple[str, dict[str, Any]]:
    """Check a command's words; raise QuizError with usage and an example if they're wrong."""
    name = words[0].lower() if words else "random"
    rest = words[1:]
    if name not in help.BY_NAME:
        raise QuizError(help.unknown(name))
    try:
        if name in NO_ARGS and rest:
            raise ValueError(f"`/quiz {name}` takes no arguments.")
        if name == "random":
            if len(rest) > 1:
                raise ValueError("Give at most one tag or difficulty.")
            return name, {"filter": practice.parse_filter(rest[0] if rest else "").text}
        if name == "leaderboard":
            return name, _leaderboard_args(rest)
        if name == "schedule":
            if not 1 <= len(rest) <= 3:
                raise ValueError("Give a time, and optionally a time zone and days.")
            args: dict[str, Any] = {"post_time": parse_time(rest[0])}
            if len(rest) > 1:
                args["timezone"] = parse_zone(rest[1])
            if len(rest) > 2:
                args["days"] = parse_days(rest[2])
            return name, args
        if name == "reveal-after":
            if len(rest) != 1:
                raise ValueError("Give one duration.")
            return name, {"reveal_after": parse_reveal_after(rest[0])}
        if name == "tags-only":
            if len(rest) != 1:
                raise ValueError("Give the tags, comma-separated, or all.")
            return name, {"tags": _tags(rest[0], tags)}
    except ValueError as err:
        problem = str(err).rstrip(".")
        raise QuizError(help.usage_error(name, problem[:1].upper() + problem[1:] + ".")) from None
    return name, {}


def _leaderboard_args(args: list[str]) -> dict[str, Any]:
    period, public = "month", False
    for arg in (a.lower() for a in args):
        if arg in periods.PERIODS:
            period = arg
        elif arg == "public":
            public = True
        else:
            raise ValueError(f"It takes week, month or all, and optionally public, not {arg!r}")
    return {"period": period, "public": public}


def _tags(raw: str, known: set[str]) -> tuple[str, ...]:
    if raw.lower() == "all":
        return ()
    wanted = tuple(sorted({t.strip().lower() for t in raw.split(",") if t.strip()}))
    unknown = [t for t in wanted if t not in known]
    if unknown or not wanted:
        raise ValueError(f"Unknown tag {unknown[0] if unknown else raw!r}; tags are "
                         f"{', '.join(sorted(known))}")
    return wanted


def register(
    app: App, *, cycle: Cycle, channels: Channels, practice: Practice, queue: CommandQueue,
    uow: UnitOfWorkFactory, poster: Poster, admins: AdminCheck, clock: Clock,
    background: Executor, on_change: Callable[[], None],
) -> None:
    known_tags = {tag for tag, _ in practice.tag_counts()}

    @app.command("/quiz")
    def on_quiz(ack: Ack, command: dict[str, Any]) -> None:
        text = str(command.get("text") or "")
        try:
            parse(text.split(), known_tags, practice)
        except QuizError as err:
            ack(text=str(err), response_type="ephemeral")
            return
        # Stored before the ack: once Slack hears "ok", a crash only delays the work.
        item = queue.accept(
            Command(text, str(command["team_id"]), str(command["channel_id"]),
                    str(command["user_id"]), str(command.get("response_url") or ""),
                    clock.now()),
            str(command.get("trigger_id") or uuid.uuid4().hex),
        )
        ack()
        if item is not None:
            background.submit(queue.run, item)

    def run(command: Command) -> None:
        reply_to = Respond(response_url=command.response_url)

        def respond(*args: Any, **kwargs: Any) -> None:
            # The work is done by now; a lost reply must not make the queue run it again.
            try:
                reply_to(*args, **kwargs)
            except Exception as err:
                log.warning("could not answer /quiz %s: %s", command.text, err)

        try:
            name, args = parse(command.text.split(), known_tags, practice)
            r = Request(name, args, command.team, command.channel, command.user)
            if help.BY_NAME[r.name].admin and not admins.is_admin(r.user):
                respond(f"Only quiz admins can use `/quiz {r.name}`. Ask a workspace admin, "
                        "or someone listed in QUIZ_ADMINS.")
                return
            handle(r, respond, clock.now(), command)
        except QuizError as err:
            respond(str(err))
        except AlreadyRun:
            # The run that made the change answers the person; a second reply would
            # only confuse.
            log.info("/quiz %s from %s had already run", command.text, command.user)
        except SlackApiError as err:
            log.error("/quiz %s failed: %s", command.text, err.response.get("error"))
            respond("Slack refused that just now; please try again in a minute.")

    queue.serve(run)

    def handle(r: Request, respond: Callable[..., None], now: datetime,
               command: Command) -> None:
        if r.name == "random":
            open_post = cycle.open_question(r.team, r.channel)
            question = practice.next(r.team, r.user, practice.parse_filter(r.args["filter"]),
                                     now, {open_post} if open_post else set())
            respond(**practice_views.practice_question(question, r.args["filter"]).as_kwargs())
        elif r.name == "tags":
            respond(practice_views.tag_list(practice.tag_counts()))
        elif r.name == "help":
            respond(**help.help_message(admins.is_admin(r.user)).as_kwargs())
        elif r.name == "leaderboard":
            config = channels.config(r.team, r.channel)
            result = leaderboard.board(uow, r.team, r.channel, r.args["period"], r.user,
                                       config.schedule, now)
            people = [s.user_id for s in result.standings]
            names = poster.names(people + ([r.user] if result.caller else []))
            message = blocks.leaderboard(result.standings, names,
                                         periods.label(r.args["period"]), result.caller)
            respond(response_type="in_channel" if r.args["public"] else "ephemeral",
                    **message.as_kwargs())
        elif r.name == "status":
            health = leaderboard.grading_health(uow, r.team, now)
            config, configured = channels.lookup(r.team, r.channel)
            status = cycle.status(config, now, configured)
            respond(blocks.status_message(status, health.graded, health.overridden,
                                          health.rate))
        elif r.name == "post":
            respond(_post(cycle, poster, channels.config(r.team, r.channel), now))
        elif r.name == "reveal":
            cycle.reveal_open(r.team, r.channel, now)
            respond("Revealed: the answer and the results are in the question's thread.")
        elif r.name == "skip":
            # Not safe to repeat: noted done in the skip's own transaction.
            question = cycle.skip(channels.config(r.team, r.channel), now,
                                  lambda uow: queue.note_done(uow, command))
            respond(f"Skipped, unscored. Question {question.number} is today's question now.")
        else:
            configure(r, respond, now)

    def configure(r: Request, respond: Callable[..., None], now: datetime) -> None:
        if not poster.is_member(r.channel):
            raise QuizError("I'm not in this channel yet: `/invite @Quizmaster` first, then "
                            "try again, e.g. `/quiz schedule 09:30 Europe/Berlin mon-fri`.")
        changes: dict[str, Any] = dict(r.args)
        if r.name == "pause":
            changes = {"paused": True}
        elif r.name == "resume":
            changes = {"paused": False}
        elif r.name == "schedule":
            changes["paused"] = False
        updated = channels.update(r.team, r.channel, r.user, now, **changes)
        # This process acts at once (a schedule for earlier today posts now), then
        # confirms; the other processes read the change on their next tick.
        on_change()
        respond(blocks.config_message(updated, now))


def _post(cycle: Cycle, poster: Poster, config: ChannelConfig, now: datetime) -> str:
    outcome = cycle.post_today(config, now)
    post = outcome.post
    if post.message_ts is None:
        raise QuizError(
            "I couldn't post the question yet; I'll keep trying every minute. "
            "If this channel is private, invite me first: `/invite @Quizmaster`."
        )
    link = poster.permalink(post.channel_id, post.message_ts)
    if not outcome.created:
        return f"Today's question is already out: <{link}|see it here>."
    return f"Posted today's question: <{link}|see it here>."
