"""Question order within rounds; points and tied ranks."""

from __future__ import annotations

from bot.quiz.order import next_question
from bot.quiz.posts import Reply, Result, Totals
from bot.quiz.questions import KeyPoint, Question
from bot.quiz.scoring import (
    rank,
    score_replies,
    with_bonus,
    with_point_granted,
    with_point_revoked,
)
from bot.quiz.streaks import best_streak, current_streak

IDS = [f"q{i}" for i in range(10)]
QUESTION = Question(
    id="update-fields", number=1, question="Why is content stale after using update_fields?",
    answer="auto_now is skipped", tags=("orm",), difficulty=2, references=(),
    key_points=(
        KeyPoint("auto_now fields are skipped", ("auto_now skipped", "auto_now not updated")),
        KeyPoint("ETags stay the same", ("etag unchanged", "etag same")),
    ),
)


def test_no_question_repeats_until_the_bank_is_used_up() -> None:
    asked: list[str] = []
    for _ in range(10):
        pick = next_question(IDS, set(asked), 1, "T:C")
        assert pick.round == 1
        asked.append(pick.question_id)
    assert sorted(asked) == sorted(IDS)
    assert next_question(IDS, set(asked), 1, "T:C").round == 2


def test_order_is_the_same_in_every_process_but_differs_between_channels() -> None:
    first = [next_question(IDS, set(IDS[:i]), 1, "T:C1").question_id for i in range(3)]
    again = [next_question(IDS, set(IDS[:i]), 1, "T:C1").question_id for i in range(3)]
    assert first == again
    firsts = {next_question(IDS, set(), 1, f"T:C{n}").question_id for n in range(20)}
    assert len(firsts) > 1


def test_replies_are_joined_per_person_and_graded_once() -> None:
    replies = [Reply("A", "1", "The auto_now field is skipped here."),
               Reply("B", "2", "idk"),
               Reply("A", "3", "So the ETag stays the same and clients get 304.")]
    results = {r.user_id: r for r in score_replies(QUESTION, replies)}
    assert results["A"].key_points == (True, True) and results["A"].points == 3
    assert results["B"].points == 0 and results["B"].noise


def test_awards_and_grants_adjust_the_breakdown() -> None:
    base = Result("A", 2, (True, False), answered=1)
    assert with_bonus(base, 2).points == 4
    granted = with_point_granted(with_bonus(base, 2), 1)
    assert granted.key_points == (True, True) and granted.points == 5
    assert with_point_granted(granted, 1) == granted
    revoked = with_point_revoked(granted, 0)
    assert revoked.key_points == (False, True) and revoked.points == 4
    assert with_point_revoked(revoked, 0) == revoked


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    standings = rank([Totals("a", 5, 5), Totals("b", 3, 3), Totals("c", 5, 6),
                      Totals("d", 3, 3), Totals("e", 1, 1)])
    assert [(s.user_id, s.rank) for s in standings] == [
        ("c", 1), ("a", 1), ("b", 3), ("d", 3), ("e", 5)
    ]


def test_streaks_count_consecutive_answered_questions() -> None:
    newest_first = [9, 8, 7, 6, 5, 4, 3]
    answered = {9, 8, 6, 5, 4}
    assert current_streak(newest_first, answered) == 2
    assert best_streak(newest_first, answered) == 3
    assert current_streak(newest_first, set()) == 0
