"""python -m bot as a user runs it: start-up errors, and HTTP mode serving for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from tests.conftest import ADMIN, CHANNEL, settings_env
from tests.support.signing import sign
from tests.support.slack_api import SlackApi

ROOT = Path(__file__).resolve().parents[2]


def run_bot(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env={"PATH": os.environ["PATH"], **env},
        capture_output=True, text=True, timeout=60,
    )


def test_missing_token_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = run_bot({"PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "SLACK_BOT_TOKEN: missing; set the bot token, e.g. xoxb-123-456-abc"
    ]


def test_check_reports_a_bad_setting_and_passes_a_good_setup(
    tmp_path: Path, slack_api: SlackApi
) -> None:
    env = {"PYTHONPATH": str(ROOT), **settings_env(slack_api, "sqlite:///x.db")}
    bad = run_bot({**env, "QUIZ_TIMEZONE": "Nowhere/City"}, "check", cwd=tmp_path)
    assert bad.returncode == 1 and "QUIZ_TIMEZONE" in bad.stdout
    good = run_bot(env, "check", cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "81 questions" in good.stdout


def test_http_mode_serves_health_and_a_signed_command(
    tmp_path: Path, slack_api: SlackApi, database_url: str
) -> None:
    env = {"PYTHONPATH": str(ROOT), **settings_env(slack_api, database_url), "PORT": "0"}
    port = _free_port()
    env["PORT"] = str(port)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env={"PATH": os.environ["PATH"], **env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base + "/healthz", process)
        form = urlencode({"team_id": "T0TEAM001", "channel_id": CHANNEL, "user_id": ADMIN,
                          "command": "/quiz", "text": "post",
                          "response_url": slack_api.response_url + "x"}).encode()
        now = int(time.time())
        request = urllib.request.Request(base + "/slack/events", data=form, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(now), "X-Slack-Signature": sign(form, now)})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        reply = slack_api.wait_for("response_url", timeout=15)[0]
        assert "Posted today's question" in json.dumps(reply.params)
    finally:
        process.terminate()
        log = process.communicate(timeout=30)[0]
    # A healthy start-up says nothing alarming, and the 20-second tick does not flood the log.
    assert " WARNING " not in log and " ERROR " not in log, log
    assert "Running job" not in log and "setup plugin" not in log, log


def test_a_bad_log_level_stops_start_up_and_check_names_it(
    tmp_path: Path, slack_api: SlackApi
) -> None:
    env = {"PYTHONPATH": str(ROOT), **settings_env(slack_api, "sqlite:///x.db"),
           "LOG_LEVEL": "verbose"}
    run = run_bot(env, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, e.g. INFO"
    ]
    check = run_bot(env, "check", cwd=tmp_path)
    assert check.returncode == 1 and "LOG_LEVEL" in check.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the bot never became healthy")
