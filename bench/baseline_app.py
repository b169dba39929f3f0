"""The baseline for bench/ack.py: a Bolt app that only acknowledges, served like ours."""

from __future__ import annotations

import os
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

bolt = App(
    client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    process_before_response=True,
    token_verification_enabled=False,
)


@bolt.event("message")
def on_message(ack: Ack, event: dict[str, Any]) -> None:
    ack()


app = SlackRequestHandler(bolt)
