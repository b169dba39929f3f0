"""Question order within rounds; points and tied ranks."""

from __future__ import annotations

from bot.quiz.order import next_question
from bot.quiz.posts import Reply
from bot.quiz.scoring import rank, score_replies

IDS = [f"q{i}" for i in range(10)]


def test_no_question_repeats_until_the_bank_is_used_up() -> None:
    asked: list[str] = []
    round_number = 1
    for _ in range(10):
        pick = next_question(IDS, set(asked), round_number, "T:C")
        assert pick.round == 1
        asked.append(pick.question_id)
    assert sorted(asked) == sorted(IDS)
    pick = next_question(IDS, set(asked), 1, "T:C")
    assert pick.round == 2


def test_order_is_the_same_in_every_process_but_differs_between_channels() -> None:
    first = [next_question(IDS, set(IDS[:i]), 1, "T:C1").question_id for i in range(3)]
    again = [next_question(IDS, set(IDS[:i]), 1, "T:C1").question_id for i in range(3)]
    assert first == again
    orders = {tuple(next_question(IDS, set(), 1, f"T:C{n}").question_id for _ in range(1))
              for n in range(20)}
    assert len(orders) > 1


def test_each_answerer_scores_once_however_many_replies() -> None:
    results = score_replies([Reply("A", "1", "x"), Reply("B", "2", "y"), Reply("A", "3", "z")])
    assert [(r.user_id, r.points, r.replies) for r in results] == [("A", 1, 2), ("B", 1, 1)]


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    standings = rank([("a", 5, 5), ("b", 3, 3), ("c", 5, 6), ("d", 3, 3), ("e", 1, 1)])
    assert [(s.user_id, s.rank) for s in standings] == [
        ("c", 1), ("a", 1), ("b", 3), ("d", 3), ("e", 5)
    ]
