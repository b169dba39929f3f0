"""HTTP mode: gunicorn serving the WSGI app, one Quizmaster per worker."""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING

from gunicorn.app.base import BaseApplication
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.quiz.questions import Bank
from bot.scheduler import start_scheduler
from bot.web import make_wsgi
from bot.wiring import build

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

log = logging.getLogger(__name__)


def create_wsgi(settings: Settings, bank: Bank | None = None,
                run_scheduler: bool = True) -> WSGIApplication:
    """Build a Quizmaster and its WSGI app; the scheduler runs beside the requests."""
    ready = threading.Event()
    quizmaster = build(settings, bank=bank, migrate=False)
    assert settings.signing_secret is not None, "HTTP mode requires the signing secret"
    wsgi = make_wsgi(
        quizmaster.app, SignatureVerifier(settings.signing_secret),
        ready.is_set, quizmaster.first_time,
    )
    if run_scheduler:
        start_scheduler(quizmaster.tick, settings.schedule)
    ready.set()
    return wsgi


class Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, bank: Bank) -> None:
        self._settings = settings
        self._bank = bank
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", f"0.0.0.0:{self._settings.port}")
        self.cfg.set("workers", int(os.environ.get("WEB_CONCURRENCY", "1")))
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("threads", int(os.environ.get("WEB_THREADS", "8")))
        self.cfg.set("timeout", 30)
        self.cfg.set("accesslog", None)

    def load(self) -> WSGIApplication:
        return create_wsgi(self._settings, self._bank)


def serve(settings: Settings, bank: Bank) -> None:
    log.info("HTTP mode on port %s: POST /slack/events, GET /healthz", settings.port)
    Server(settings, bank).run()



