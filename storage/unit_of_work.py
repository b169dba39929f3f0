"""One database transaction with its repositories; rolls back unless committed."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.channels import ChannelRepository, PracticeRepository
from storage.overrides import OverrideRepository
from storage.repositories import AnswerRepository, OutboxRepository, PostRepository
from storage.scores import ScoreRepository
from storage.seen import SeenRequests


class UnitOfWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.posts = PostRepository(session)
        self.answers = AnswerRepository(session)
        self.scores = ScoreRepository(session)
        self.outbox = OutboxRepository(session)
        self.overrides = OverrideRepository(session)
        self.channels = ChannelRepository(session)
        self.practice = PracticeRepository(session)
        self.seen = SeenRequests(session)

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


UnitOfWorkFactory = Callable[[], UnitOfWork]


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    sessions = sessionmaker(engine, expire_on_commit=False)
    return lambda: UnitOfWork(sessions())
