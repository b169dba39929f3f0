"""The manifest, Procfile and .env.example stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.config import load_settings, log_level

ROOT = Path(__file__).resolve().parents[2]


def test_manifest_subscribes_to_every_event_the_app_listens_to() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"message.channels", "message.groups", "reaction_added", "reaction_removed",
            "app_home_opened", "member_joined_channel"} <= events
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "commands", "reactions:read", "reactions:write", "users:read",
            "channels:history", "groups:history"} <= scopes
    assert manifest["features"]["slash_commands"][0]["command"] == "/quiz"
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_env_example_names_every_setting_and_its_values_are_valid() -> None:
    text = (ROOT / ".env.example").read_text()
    names = set(re.findall(r"^([A-Z_]+)=", text, re.M))
    source = (ROOT / "bot" / "config.py").read_text()
    read = set(re.findall(r'get\("([A-Z_]+)"\)', source))
    # Start-up reads a few settings before the rest, such as LOG_LEVEL.
    start_up = (ROOT / "bot" / "__main__.py").read_text()
    read |= set(re.findall(r'environ\.get\("([A-Z_]+)"', start_up))
    assert read <= names, f"missing from .env.example: {read - names}"
    values = dict(re.findall(r"^([A-Z_]+)=(.*)$", text, re.M))
    values["SLACK_BOT_TOKEN"] = "xoxb-1"
    values["SLACK_SIGNING_SECRET"] = "s"
    load_settings(values)
    log_level(values["LOG_LEVEL"])


def test_procfile_runs_the_web_process_and_migrates_on_release() -> None:
    lines = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines())
    assert lines["web"] == "python -m bot"
    assert lines["release"] == "python -m bot migrate"
