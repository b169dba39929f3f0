"""Shared pieces of the benchmarks: the Slack stand-in, a served bot, signed bursts."""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bot.config import database_url  # noqa: E402
from storage.database import make_engine  # noqa: E402
from tests.support.signing import SECRET, sign  # noqa: E402
from tests.support.slack_api import TEAM, SlackApi  # noqa: E402

CHANNEL = "C0BENCH001"
ADMIN = "U0ADMIN001"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_database(url: str | None, directory: str) -> str:
    if not url:
        return f"sqlite:///{directory}/bench.db"
    url = database_url(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    started_in: float
    database: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def bot_env(api: SlackApi, db: str, port: int) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING",
        "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api.url, "DATABASE_URL": db, "QUIZ_CHANNEL": CHANNEL,
        "QUIZ_ADMINS": ADMIN, "PORT": str(port), "QUIZ_QUESTIONS": str(ROOT / "questions.json"),
    }


@contextmanager
def serve(command: list[str], env: dict[str, str], port: int, db: str,
          health: str = "/healthz") -> Iterator[Served]:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=tempfile.gettempdir(), env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_ready(port, health, process)
        yield Served(process, port, time.perf_counter() - started, db)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stderr:
            process.stderr.close()


def wait_ready(port: int, path: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"server exited: {err[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status in (200, 404, 405):
                return
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError("server never became ready")


def signed_headers(body: bytes, content_type: str) -> dict[str, str]:
    now = int(time.time())
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(now),
            "X-Slack-Signature": sign(body, now)}


def post_question(served: Served, api: SlackApi) -> str:
    """Ask the bot for today's question as an admin would; return its message ts."""
    form = urlencode({"team_id": TEAM, "channel_id": CHANNEL, "user_id": ADMIN,
                      "command": "/quiz", "text": "post", "trigger_id": str(time.time_ns()),
                      "response_url": api.response_url + "bench"}).encode()
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    conn.request("POST", "/slack/events", form,
                 signed_headers(form, "application/x-www-form-urlencoded"))
    conn.getresponse().read()
    api.wait_for("chat.postMessage", timeout=30,
                 where=lambda c: c.params.get("channel") == CHANNEL)
    return str(next(m["ts"] for m in api.state.messages if m["channel"] == CHANNEL))


def reply_event(thread_ts: str, n: int, users: int = 500) -> bytes:
    ts = f"{1_800_000_000 + n // 1000}.{n % 1000:06d}"
    event = {"type": "message", "channel": CHANNEL, "user": f"U{n % users:09d}",
             "text": f"I think it is the cache layer, answer {n}", "ts": ts,
             "thread_ts": thread_ts, "team": TEAM,
             "user_profile": {"display_name": f"Person {n % users}"}}
    envelope = {"type": "event_callback", "team_id": TEAM, "api_app_id": "A0BENCH01",
                "event": event, "event_id": f"EvB{n:09d}", "event_time": int(time.time())}
    return json.dumps(envelope).encode()


@dataclass
class Burst:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000


def burst(port: int, bodies: list[bytes], senders: int = 50) -> Burst:
    """Send the bodies from `senders` concurrent keep-alive connections; time each."""
    result = Burst()
    lock = threading.Lock()
    chunks = [bodies[i::senders] for i in range(senders)]

    def send_all(chunk: list[bytes]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for body in chunk:
            headers = signed_headers(body, "application/json")
            started = time.perf_counter()
            try:
                conn.request("POST", "/slack/events", body, headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                result.latencies.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
        conn.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        list(pool.map(send_all, chunks))
    result.seconds = time.perf_counter() - started
    return result


def family(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _field_kb(path: str, name: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid: int) -> int:
    """Memory of a process tree in kB, shared pages counted once (sum of PSS)."""
    return sum(_field_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in family(pid))


def worker_rss_kb(pid: int) -> int:
    """Resident memory of the largest process of the tree (the serving worker)."""
    return max(_field_kb(f"/proc/{p}/status", "VmRSS:") for p in family(pid))
