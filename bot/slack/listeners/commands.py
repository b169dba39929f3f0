"""/quiz and its subcommands."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.quiz import periods
from bot.quiz.schedule import Schedule
from bot.services import leaderboard
from bot.services.cycle import ChannelPlan, Cycle
from bot.services.errors import QuizError
from bot.slack import blocks
from bot.slack.admins import AdminCheck
from bot.slack.poster import Poster
from storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)
PUBLIC = {"help", "leaderboard", "status"}
ADMIN = {"post", "reveal"}


def register(
    app: App,
    *,
    cycle: Cycle,
    uow: UnitOfWorkFactory,
    poster: Poster,
    admins: AdminCheck,
    schedule: Schedule,
    clock: Clock,
    background: Executor,
) -> None:
    def run(
        word: str, args: list[str], team: str, channel: str, user: str, respond: Respond
    ) -> None:
        now = clock.now()
        try:
            if word in ADMIN and not admins.is_admin(user):
                respond(
                    f"Only quiz admins can use `/quiz {word}`. Ask a workspace admin, "
                    "or someone listed in QUIZ_ADMINS."
                )
                return
            if word == "help":
                respond(**blocks.help_message(admins.is_admin(user)).as_kwargs())
            elif word == "leaderboard":
                period, public = _leaderboard_args(args)
                result = leaderboard.board(uow, team, channel, period, user, schedule, now)
                people = [s.user_id for s in result.standings]
                names = poster.names(people + ([user] if result.caller else []))
                message = blocks.leaderboard(
                    result.standings, names, periods.label(period), result.caller
                )
                respond(response_type="in_channel" if public else "ephemeral",
                        **message.as_kwargs())
            elif word == "status":
                health = leaderboard.grading_health(uow, team, now)
                respond(blocks.status_text(health.graded, health.overridden, health.rate))
            elif word == "post":
                respond(_post(cycle, poster, ChannelPlan(team, channel, schedule), now))
            elif word == "reveal":
                cycle.reveal_open(team, channel, now)
                respond("Revealed: the answer and the results are in the question's thread.")
        except QuizError as err:
            respond(str(err))
        except SlackApiError as err:
            log.error("/quiz %s failed: %s", word, err.response.get("error"))
            respond("Slack refused that just now; please try again in a minute.")

    @app.command("/quiz")
    def on_quiz(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        words = str(command.get("text") or "").split()
        word = words[0].lower() if words else "help"
        if word not in PUBLIC | ADMIN:
            ack(text=blocks.unknown_subcommand(word), response_type="ephemeral")
            return
        try:
            if word == "leaderboard":
                _leaderboard_args(words[1:])
        except QuizError as err:
            ack(text=str(err), response_type="ephemeral")
            return
        ack()
        background.submit(
            run, word, words[1:], str(command["team_id"]), str(command["channel_id"]),
            str(command["user_id"]), respond,
        )


def _leaderboard_args(args: list[str]) -> tuple[str, bool]:
    period, public = "month", False
    for arg in (a.lower() for a in args):
        if arg in periods.PERIODS:
            period = arg
        elif arg == "public":
            public = True
        else:
            raise QuizError(
                f"`/quiz leaderboard` takes week, month or all, and optionally public; "
                f"I don't know {arg!r}. Example: `/quiz leaderboard week public`"
            )
    return period, public


def _post(cycle: Cycle, poster: Poster, plan: ChannelPlan, now: datetime) -> str:
    outcome = cycle.post_today(plan, now)
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
