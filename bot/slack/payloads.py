"""Reading the parts of Slack's interaction payloads the listeners need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Click:
    """Who pressed a button, and on which thread's message."""

    team_id: str
    channel_id: str
    thread_ts: str
    user_id: str
    trigger_id: str


def click(body: dict[str, Any]) -> Click:
    container = body.get("container") or {}
    message = body.get("message") or {}
    return Click(
        team_id=str((body.get("team") or {}).get("id")),
        channel_id=str(container.get("channel_id")),
        thread_ts=str(message.get("thread_ts") or ""),
        user_id=str((body.get("user") or {}).get("id")),
        trigger_id=str(body.get("trigger_id")),
    )


def form_field(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    """One input's state in a submitted modal: {} when it was left empty."""
    values = (view.get("state") or {}).get("values") or {}
    return dict((values.get(block_id) or {}).get(action_id) or {})
