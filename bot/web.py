"""WSGI entry: Slack requests on /slack/events, readiness on /healthz."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
EVENTS_PATH = "/slack/events"
_FORM = "application/x-www-form-urlencoded"


class _Handler(SlackRequestHandler):
    """Bolt's WSGI handler, except that a form body is read as a form: Bolt takes any body
    that contains the word "payload" (`/quiz payload`) for a click and finds nothing in it."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        bolt_request = BoltRequest(body=request.get_body(), query=request.query_string,
                                   headers=request.get_headers())
        if not bolt_request.body and bolt_request.content_type == _FORM:
            form = dict(parse_qsl(bolt_request.raw_body, keep_blank_values=True))
            if "payload" not in form:
                bolt_request.body = form
                bolt_request.context = build_context(BoltContext(), form)
        return self.app.dispatch(bolt_request)


def make_wsgi(
    bolt: App, verifier: SignatureVerifier, ready: Callable[[], bool],
    first_time: Callable[[str], bool] = lambda _: True,
) -> WSGIApplication:
    """Wrap Bolt's handler so bad requests stop here with a 4xx, never a 5xx from Bolt."""
    handler = _Handler(bolt)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            if ready():
                return _reply(start_response, "200 OK", b"ok\n")
            return _reply(start_response, "503 Service Unavailable", b"starting\n")
        if path != EVENTS_PATH:
            return _reply(start_response, "404 Not Found", b"not found\n")
        if method != "POST":
            return _reply(start_response, "405 Method Not Allowed", b"POST only\n")
        length = _content_length(environ)
        if length is None or length > MAX_BODY:
            return _reply(start_response, "413 Content Too Large", b"body too large\n")
        body = environ["wsgi.input"].read(length) if length else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        # Checked here first: Bolt answers 500 to a non-numeric timestamp or a broken body.
        if not timestamp.isdigit() or not verifier.is_valid(body, timestamp, signature):
            return _reply(start_response, "401 Unauthorized", b"invalid signature\n")
        # Commands and interactions are never retried by Slack, so a second copy is a
        # replay. Events may legitimately come again and are idempotent anyway.
        is_form = environ.get("CONTENT_TYPE", "").startswith(_FORM)
        if is_form and not first_time(signature):
            return _reply(start_response, "401 Unauthorized", b"replayed request\n")
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return _reply(start_response, "400 Bad Request", b"body is not UTF-8\n")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        try:
            return handler(environ, start_response)
        except Exception as err:
            # Our listeners' failures are answered by Bolt's error handler; what escapes
            # Bolt is a payload it could not take apart, so it is the sender's fault.
            log.warning("Slack request Bolt could not handle on %s: %s", path,
                        type(err).__name__)
            return _reply(start_response, "400 Bad Request", b"bad request\n")

    return app


def _content_length(environ: WSGIEnvironment) -> int | None:
    raw = environ.get("CONTENT_LENGTH") or "0"
    return int(raw) if raw.isdigit() else None


def _reply(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]
