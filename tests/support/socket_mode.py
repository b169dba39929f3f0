"""A Slack Socket Mode stand-in: a WebSocket server on 127.0.0.1 that hands the app
envelopes the way Slack does and records the acknowledgements it sends back."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve


class SocketModeServer:
    def __init__(self) -> None:
        self._server: Server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._connected = threading.Event()
        self._acks: dict[str, dict[str, Any]] = {}
        self._acked = threading.Condition()
        self._connection: ServerConnection | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    def start(self) -> SocketModeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def _session(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1,
                                    "connection_info": {"app_id": "A0QUIZ0001"}}))
        self._connection = connection
        self._connected.set()
        try:
            for message in connection:
                ack = json.loads(message)
                with self._acked:
                    self._acks[ack["envelope_id"]] = ack
                    self._acked.notify_all()
        except ConnectionClosed:
            pass  # the app hung up, as it does on shutdown

    def send(self, kind: str, payload: dict[str, Any], retry: int = 0,
             timeout: float = 10.0) -> dict[str, Any]:
        """Deliver one envelope and wait for the app's acknowledgement of it."""
        assert self._connected.wait(timeout), "the app never connected"
        assert self._connection is not None
        envelope_id = str(uuid.uuid4())
        self._connection.send(json.dumps({
            "envelope_id": envelope_id, "type": kind, "payload": payload,
            "accepts_response_payload": kind != "events_api", "retry_attempt": retry,
            "retry_reason": "timeout" if retry else "",
        }))
        with self._acked:
            assert self._acked.wait_for(lambda: envelope_id in self._acks, timeout), \
                f"no acknowledgement for the {kind} envelope"
            return self._acks[envelope_id]
