"""The leaderboard at a (smaller) scale: right figures, from indexed lookups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text

from bench.board_data import CHANNEL, TEAM, build
from bot.quiz.periods import month_key
from bot.quiz.schedule import Schedule
from bot.services.leaderboard import board
from storage.database import make_engine
from storage.models import ScoreRow
from storage.unit_of_work import unit_of_work_factory

SCHEDULE = Schedule(datetime.min.time().replace(hour=10), ZoneInfo("UTC"), "mon-fri",
                    timedelta(hours=6))
NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)


def test_board_matches_the_scores_it_summarises(database_url: str) -> None:
    engine = make_engine(database_url)
    build(engine, people=300, days=60)
    uow = unit_of_work_factory(engine)
    result = board(uow, TEAM, CHANNEL, "all", "U000000007", SCHEDULE, NOW)
    with engine.connect() as conn:
        truth = conn.execute(
            select(ScoreRow.user_id, func.sum(ScoreRow.points).label("p"), func.count())
            .group_by(ScoreRow.user_id).order_by(text("p DESC")).limit(10)
        ).all()
    assert [s.points for s in result.standings] == [int(p) for _, p, _ in truth]
    assert result.standings[0].rank == 1
    assert result.caller is not None and result.caller.user_id == "U000000007"
    with engine.connect() as conn:
        better = conn.scalar(select(func.count()).select_from(
            select(ScoreRow.user_id).group_by(ScoreRow.user_id)
            .having(func.sum(ScoreRow.points) > result.caller.points).subquery()))
    assert result.caller.rank == int(better or 0) + 1
    month = board(uow, TEAM, CHANNEL, "month", "U000000007", SCHEDULE, NOW)
    with engine.connect() as conn:
        january = conn.scalar(select(func.max(text("t"))).select_from(
            select(func.sum(ScoreRow.points).label("t"))
            .where(ScoreRow.quiz_date >= datetime(2026, 1, 1).date())
            .group_by(ScoreRow.user_id).subquery()))
    assert month.standings[0].points == january
    assert month_key(NOW.date()) == "m2026-01"
    engine.dispose()


def test_board_query_uses_the_standings_index(database_url: str) -> None:
    engine = make_engine(database_url)
    build(engine, people=200, days=20)
    query = ("SELECT user_id, points FROM standings WHERE team_id = 'T0BENCH01' AND "
             "channel_id = 'C0BENCH01' AND period = 'all' ORDER BY points DESC LIMIT 10")
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + query))
            assert "USING INDEX ix_standings_board" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + query))
            assert "ix_standings_board" in plan, plan
            assert "Sort" not in plan.split("Limit")[1], plan
    engine.dispose()
