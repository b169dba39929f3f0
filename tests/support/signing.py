"""Requests signed the way Slack signs them, sent to the app's real HTTP endpoint."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.support.slack_api import TEAM

SECRET = "test-signing-secret"
_event_ids = itertools.count(1)


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def sign(body: bytes, timestamp: int, secret: str = SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackClient:
    """Sends events and commands to the app like Slack does."""

    def __init__(self, base_url: str, response_url: str) -> None:
        self.base_url = base_url
        self.response_url = response_url

    def send(self, body: bytes, content_type: str, timestamp: int | None = None,
             signature: str | None = None, headers: dict[str, str] | None = None) -> Response:
        timestamp = int(time.time()) if timestamp is None else timestamp
        request = urllib.request.Request(
            self.base_url + "/slack/events", data=body, method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": str(timestamp),
                "X-Slack-Signature": signature or sign(body, timestamp),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Response(response.status, response.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, err.read())

    def event(self, event: dict[str, Any], event_id: str | None = None,
              retry: int | None = None, **kwargs: Any) -> Response:
        envelope = {
            "token": "unused", "team_id": TEAM, "api_app_id": "A0APP0001",
            "type": "event_callback", "event": event,
            "event_id": event_id or f"Ev{next(_event_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "U0BOT0001", "is_bot": True}],
        }
        headers = {}
        if retry is not None:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.send(json.dumps(envelope).encode(), "application/json",
                         headers=headers, **kwargs)

    def command(self, text: str, user: str, channel: str, **kwargs: Any) -> Response:
        form = {
            "token": "unused", "team_id": TEAM, "team_domain": "test", "channel_id": channel,
            "channel_name": "quiz", "user_id": user, "user_name": "someone",
            "command": "/quiz", "text": text, "api_app_id": "A0APP0001",
            "response_url": self.response_url + "cmd",
            # Unique like Slack's, so two identical commands are not taken for a replay.
            "trigger_id": f"{next(_event_ids)}.{time.time_ns()}",
        }
        return self.send(urlencode(form).encode(), "application/x-www-form-urlencoded", **kwargs)

    def reply(self, channel: str, thread_ts: str, ts: str, user: str, text: str,
              **extra: Any) -> Response:
        event = {"type": "message", "channel": channel, "user": user, "text": text,
                 "ts": ts, "thread_ts": thread_ts, "team": TEAM, **extra}
        return self.event(event)

    def edit(self, channel: str, thread_ts: str, ts: str, user: str, text: str) -> Response:
        return self.event({
            "type": "message", "subtype": "message_changed", "channel": channel,
            "hidden": True, "ts": f"{ts}9",
            "message": {"type": "message", "user": user, "text": text, "ts": ts,
                        "thread_ts": thread_ts, "edited": {"user": user, "ts": f"{ts}9"}},
            "previous_message": {"type": "message", "user": user, "text": "old", "ts": ts,
                                 "thread_ts": thread_ts},
        })

    def delete(self, channel: str, thread_ts: str, ts: str, user: str) -> Response:
        return self.event({
            "type": "message", "subtype": "message_deleted", "channel": channel,
            "hidden": True, "ts": f"{ts}8", "deleted_ts": ts,
            "previous_message": {"type": "message", "user": user, "text": "x", "ts": ts,
                                 "thread_ts": thread_ts},
        })

    def interaction(self, payload: dict[str, Any]) -> Response:
        """block_actions and view_submission arrive as a form field named payload."""
        payload = {"team": {"id": TEAM}, "api_app_id": "A0APP0001",
                   "trigger_id": f"{next(_event_ids)}.{time.time_ns()}", **payload}
        form = urlencode({"payload": json.dumps(payload)}).encode()
        return self.send(form, "application/x-www-form-urlencoded")

    def click(self, action_id: str, value: str, user: str, channel: str,
              message: dict[str, Any]) -> Response:
        return self.interaction({
            "type": "block_actions", "user": {"id": user},
            "container": {"type": "message", "channel_id": channel,
                          "message_ts": message.get("ts"), "is_ephemeral": False},
            "channel": {"id": channel}, "message": message,
            "response_url": self.response_url + "action",
            "actions": [{"action_id": action_id, "block_id": "b", "value": value,
                         "type": "button", "action_ts": "1"}],
        })

    def submit_view(self, view: dict[str, Any], user: str,
                    values: dict[str, Any]) -> Response:
        submitted = {**view, "id": "V1", "state": {"values": values}}
        return self.interaction({"type": "view_submission", "user": {"id": user},
                                 "view": submitted})

    def reaction(self, added: bool, user: str, channel: str, ts: str, name: str) -> Response:
        return self.event({
            "type": "reaction_added" if added else "reaction_removed", "user": user,
            "reaction": name, "item_user": "U0SOMEONE",
            "item": {"type": "message", "channel": channel, "ts": ts},
            "event_ts": "1.1",
        })
