"""A Slack Web API stand-in over real HTTP on 127.0.0.1: records calls, fails on cue."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

TEAM = "T0TEAM001"
BOT_USER = "U0BOT0001"


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class Fault:
    status: int
    retry_after: int | None = None
    drop: bool = False
    # Process the call, then drop the connection: the caller cannot tell it worked.
    after_recording: bool = False


@dataclass
class SlackState:
    calls: list[Call] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    outside: set[str] = field(default_factory=set)
    reactions: dict[tuple[str, str, str], int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class SlackApi:
    """Start with .start(); the app's SLACK_API_URL is .url."""

    def __init__(self) -> None:
        self.state = SlackState()
        # Where apps.connections.open sends a Socket Mode client.
        self.socket_url: str | None = None
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    @property
    def response_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/respond/"

    def start(self) -> SlackApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- cues and assertions -------------------------------------------------------

    def add_user(self, user_id: str, name: str, admin: bool = False) -> None:
        self.state.users[user_id] = {
            "id": user_id, "name": name.lower(), "is_admin": admin, "is_owner": False,
            "profile": {"display_name": name, "real_name": name},
        }

    def fail_next(self, method: str, fault: Fault, times: int = 1) -> None:
        with self.state.lock:
            self.state.faults.setdefault(method, []).extend([fault] * times)

    def error_next(self, method: str, error: str, times: int = 1) -> None:
        with self.state.lock:
            self.state.errors.setdefault(method, []).extend([error] * times)

    def calls(self, method: str | None = None) -> list[Call]:
        with self.state.lock:
            return [c for c in self.state.calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0,
                 where: Callable[[Call], bool] = lambda c: True) -> list[Call]:
        """Poll until `count` matching calls arrived; fail with what did arrive."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls(method) if where(c)]
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, (
                    f"expected {count} {method} calls, got {len(found)}: "
                    f"{[c.method for c in self.calls()]}"
                )
                return found
            time.sleep(0.02)

    def clear(self) -> None:
        with self.state.lock:
            self.state.calls.clear()

    # --- the server ----------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw).items()}
                if self.path.startswith("/respond/"):
                    method = "response_url"
                else:
                    method = self.path.removeprefix("/api/")
                status, body, headers = api._answer(method, params)
                if status == 0:
                    # Drop the connection without a response.
                    self.close_connection = True
                    self.connection.close()
                    return
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        for key in ("metadata", "blocks"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        with self.state.lock:
            self.state.calls.append(Call(method, params))
            faults = self.state.faults.get(method)
            if faults:
                fault = faults.pop(0)
                if fault.drop:
                    if fault.after_recording:
                        self._ok(method, params)
                    return 0, None, {}
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
                return fault.status, {"ok": False, "error": "ratelimited"}, headers
            errors = self.state.errors.get(method)
            if errors:
                return 200, {"ok": False, "error": errors.pop(0)}, {}
            return 200, self._ok(method, params), {}

    def _ok(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0BOT0001",
                    "team": "Test", "user": "quizmaster", "url": "https://test.slack.com/"}
        if method == "chat.postMessage":
            ts = f"{1_700_000_000 + next(self._ts)}.000100"
            message = {"ts": ts, "channel": params.get("channel"), "text": params.get("text"),
                       "thread_ts": params.get("thread_ts"), "metadata": params.get("metadata"),
                       "blocks": params.get("blocks")}
            self.state.messages.append(message)
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": message}
        if method in ("conversations.history", "conversations.replies"):
            channel, thread = params.get("channel"), params.get("ts")
            found = [
                m for m in self.state.messages
                if m["channel"] == channel
                and (m["thread_ts"] == thread if thread else m["thread_ts"] is None)
            ]
            return {"ok": True, "messages": list(reversed(found))}
        if method == "reactions.add":
            key = (str(params.get("channel")), str(params.get("timestamp")),
                   str(params.get("name")))
            if key in self.state.reactions:
                return {"ok": False, "error": "already_reacted"}
            self.state.reactions[key] = 1
            return {"ok": True}
        if method == "conversations.info":
            channel = str(params.get("channel"))
            return {"ok": True, "channel": {"id": channel,
                                            "is_member": channel not in self.state.outside}}
        if method == "users.info":
            user = self.state.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "apps.connections.open":
            if self.socket_url is None:
                return {"ok": False, "error": "not_allowed_token_type"}
            return {"ok": True, "url": self.socket_url}
        if method == "chat.getPermalink":
            ts = str(params.get("message_ts", "")).replace(".", "")
            return {"ok": True, "permalink": f"https://test.slack.com/archives/"
                                             f"{params.get('channel')}/p{ts}"}
        return {"ok": True}
