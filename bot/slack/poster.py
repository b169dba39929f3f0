"""The one place that calls the Slack Web API."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import Message

log = logging.getLogger(__name__)
NAME_TTL = 600.0


def slack_error(err: Exception) -> str:
    """What went wrong talking to Slack, in a word, without request details or tokens."""
    if isinstance(err, SlackApiError):
        return str(err.response.get("error"))
    return type(err).__name__


class Poster:
    """Web API calls; `post_client` retries only what cannot have been processed (429).

    A dropped connection or a 5xx may hide a message that was posted: those are left to
    the caller, who looks for the message's metadata before posting again.
    """

    def __init__(self, client: WebClient, post_client: WebClient | None = None) -> None:
        self._client = client
        self._post_client = post_client or client
        self._names: dict[str, tuple[float, dict[str, Any]]] = {}

    def post(
        self,
        channel: str,
        message: Message,
        event_type: str,
        post_id: int,
        part: int = 0,
        thread_ts: str | None = None,
    ) -> str:
        """Post a message tagged with metadata, so a retry can find it instead of reposting."""
        response = self._post_client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            unfurl_links=False,
            unfurl_media=False,
            metadata={
                "event_type": event_type,
                "event_payload": {"post_id": post_id, "part": part},
            },
            **message.as_kwargs(),
        )
        return str(response["ts"])

    def find_posted(
        self, channel: str, event_type: str, post_id: int, thread_ts: str | None = None
    ) -> dict[int, str]:
        """Parts of a tagged message already in Slack, by part number."""
        if thread_ts is None:
            response = self._client.conversations_history(
                channel=channel, limit=50, include_all_metadata=True
            )
        else:
            response = self._client.conversations_replies(
                channel=channel, ts=thread_ts, limit=200, include_all_metadata=True
            )
        found: dict[int, str] = {}
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == event_type and payload.get("post_id") == post_id:
                found[int(payload.get("part", 0))] = str(message["ts"])
        return found

    def message(self, channel: str, text: str,
                blocks: list[dict[str, Any]] | None = None) -> str:
        """A plain post (a DM when `channel` is a user ID)."""
        response = self._post_client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False,
        )
        return str(response["ts"])

    def is_member(self, channel: str) -> bool:
        try:
            info = self._client.conversations_info(channel=channel)
        except SlackApiError as err:
            if err.response.get("error") in ("channel_not_found", "not_in_channel"):
                return False
            raise
        return bool((info.get("channel") or {}).get("is_member"))

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        self._client.views_open(trigger_id=trigger_id, view=view)

    def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        self._client.views_publish(user_id=user_id, view=view)

    def update(self, channel: str, ts: str, message: Message) -> None:
        self._client.chat_update(channel=channel, ts=ts, **message.as_kwargs())

    def react(self, channel: str, ts: str, name: str) -> None:
        try:
            self._client.reactions_add(channel=channel, timestamp=ts, name=name)
        except SlackApiError as err:
            # Both mean there is nothing left to do for this reaction.
            if err.response.get("error") not in ("already_reacted", "message_not_found"):
                raise

    def ephemeral(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
        self._post_client.chat_postEphemeral(
            channel=channel, user=user, text=text, thread_ts=thread_ts
        )

    def permalink(self, channel: str, ts: str) -> str:
        return str(self._client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])

    def user(self, user_id: str) -> dict[str, Any]:
        """users.info, cached for a while: names and roles change rarely."""
        cached = self._names.get(user_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        info: dict[str, Any] = dict(self._client.users_info(user=user_id)["user"])
        self._names[user_id] = (time.monotonic() + NAME_TTL, info)
        return info

    def names(self, user_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for user_id in user_ids:
            try:
                profile = self.user(user_id).get("profile") or {}
            except SlackApiError as err:
                log.warning("users.info failed for a user: %s", err.response.get("error"))
                out[user_id] = user_id
                continue
            out[user_id] = profile.get("display_name") or profile.get("real_name") or user_id
        return out
