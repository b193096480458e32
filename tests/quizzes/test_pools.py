"""Drawing an attempt's questions from the pool: how many, which first, never two that
give each other away, only approved ones; `draw` on plain keys, `build_paper` on rows."""

import random
from collections import Counter

import pytest

from quizzes import pool_checks, quiz_checks
from quizzes.grading import start_attempt, submit_attempt
from quizzes.models import Question, QuestionStatus
from quizzes.pools import build_paper, draw
from tests.factories import ChoiceFactory, QuestionFactory, make_question, make_quiz

SEEDS = range(60)

# ---------------------------------------------------------------- draw(), pure


def test_draw_returns_count_distinct_keys_of_the_pool():
    pool = list(range(10, 20))

    for seed in SEEDS:
        drawn = draw(pool, 4, rng=random.Random(seed))
        assert len(drawn) == 4
        assert len(set(drawn)) == 4
        assert set(drawn) <= set(pool)


def test_draw_varies_with_the_random_source():
    pool = list(range(10))

    draws = {tuple(draw(pool, 3, rng=random.Random(seed))) for seed in SEEDS}

    assert len(draws) > 10


def test_draw_takes_the_least_seen_keys_first():
    pool = ["a", "b", "c", "d", "e", "f"]
    seen = Counter({"a": 2, "b": 2, "c": 1, "d": 0, "e": 0, "f": 3})

    for seed in SEEDS:
        drawn = draw(pool, 3, seen=seen, rng=random.Random(seed))
        assert set(drawn) == {"c", "d", "e"}


def test_draw_picks_at_random_among_equally_seen_keys():
    pool = ["a", "b", "c", "d"]
    seen = Counter({"a": 0, "b": 1, "c": 1, "d": 1})

    drawn = [draw(pool, 2, seen=seen, rng=random.Random(seed)) for seed in SEEDS]

    assert all("a" in keys for keys in drawn)
    assert {key for keys in drawn for key in keys} == {"a", "b", "c", "d"}


def test_draw_never_takes_both_keys_of_a_cueing_pair():
    pool = [1, 2, 3, 4, 5]
    cueing = {frozenset((1, 2))}
    together = 0
    taken = Counter()

    for seed in SEEDS:
        drawn = draw(pool, 3, cueing=cueing, rng=random.Random(seed))
        assert len(drawn) == 3
        together += {1, 2} <= set(drawn)
        taken.update(drawn)

    assert together == 0
    assert taken[1] and taken[2]  # each is drawn, just never with the other


def test_draw_prefers_a_smaller_paper_to_a_cueing_pair():
    drawn = draw([1, 2, 3], 3, cueing={frozenset((1, 2))}, rng=random.Random(0))

    assert len(drawn) == 2
    assert 3 in drawn


def test_draw_keeps_the_pools_order():
    pool = [50, 30, 90, 10, 70, 20, 80]

    for seed in SEEDS:
        drawn = draw(pool, 4, rng=random.Random(seed))
        assert drawn == sorted(drawn, key=pool.index)


def test_draw_of_the_whole_pool_is_the_pool_with_no_randomness_spent():
    pool = [3, 1, 2]
    rng = random.Random(7)
    state = rng.getstate()

    assert draw(pool, 3, rng=rng) == [3, 1, 2]
    assert draw(pool, 10, seen=Counter({3: 5}), rng=rng) == [3, 1, 2]
    assert rng.getstate() == state


# ---------------------------------------------------------------- build_paper, on rows


def paper_ids(attempt_or_paper):
    paper = getattr(attempt_or_paper, "paper", attempt_or_paper)
    return {q["id"] for q in paper["questions"]}


@pytest.fixture
def pool_quiz(db):
    """A pool of 8 approved questions, 5 per attempt, no attempts limit."""
    return make_quiz(questions=8, questions_per_attempt=5, max_attempts=None)


def test_an_attempt_draws_questions_per_attempt_from_the_pool(student, pool_quiz):
    attempt = start_attempt(user=student, quiz=pool_quiz, rng=random.Random(1))

    pool = set(pool_quiz.questions.values_list("pk", flat=True))
    assert len(attempt.paper["questions"]) == 5
    assert paper_ids(attempt) <= pool


def test_a_retake_draws_the_questions_not_seen_yet_first(student, pool_quiz):
    pool = set(pool_quiz.questions.values_list("pk", flat=True))
    for seed in range(5):
        student.attempts.all().delete()
        first = start_attempt(user=student, quiz=pool_quiz, rng=random.Random(seed))
        submit_attempt(attempt=first)

        second = start_attempt(user=student, quiz=pool_quiz, rng=random.Random(seed))

        assert second.number == 2
        assert paper_ids(second) != paper_ids(first)
        assert pool - paper_ids(first) <= paper_ids(second)  # the 3 unseen, then 2 more


def test_a_third_attempt_favours_the_questions_seen_once(student, pool_quiz):
    seen = Counter()
    for number in (1, 2):
        attempt = start_attempt(user=student, quiz=pool_quiz, rng=random.Random(number))
        seen.update(paper_ids(attempt))
        submit_attempt(attempt=attempt)

    third = start_attempt(user=student, quiz=pool_quiz, rng=random.Random(3))

    once = {pk for pk, n in seen.items() if n == 1}
    assert len(once) == 6  # 8 questions over 10 places: 2 seen twice
    assert paper_ids(third) <= once


def test_another_students_attempts_do_not_count_as_seen(student, other_student, pool_quiz):
    theirs = start_attempt(user=other_student, quiz=pool_quiz, rng=random.Random(4))
    submit_attempt(attempt=theirs)

    mine = start_attempt(user=student, quiz=pool_quiz, rng=random.Random(4))

    assert paper_ids(mine) == paper_ids(theirs)  # same seed, nothing seen: the same draw


def cueing_quiz():
    """Q1's key (Britain, France, together) is spelt out in Q2's stem; four plain fillers."""
    quiz = make_quiz(questions=4, questions_per_attempt=3, max_attempts=None)
    cued = QuestionFactory(quiz=quiz, position=5, prompt="Which countries lead the force?")
    for n, (text, right) in enumerate(
        [
            ("Britain and France together", True),
            ("Germany alone", False),
            ("Poland with Italy", False),
            ("Spain and Portugal", False),
        ],
        1,
    ):
        ChoiceFactory(question=cued, position=n, text=text, is_correct=right)
    giver = QuestionFactory(
        quiz=quiz, position=6, prompt="Why did Britain and France pledge troops together?"
    )
    for n, (text, right) in enumerate(
        [("To deter a new attack", True), ("To win an election", False), ("By mistake", False)],
        1,
    ):
        ChoiceFactory(question=giver, position=n, text=text, is_correct=right)
    return quiz, cued, giver


def test_two_questions_that_cue_each_other_never_share_a_paper(db):
    quiz, cued, giver = cueing_quiz()
    items = [quiz_checks.item(q) for q in quiz.questions.prefetch_related("choices")]
    assert pool_checks.cueing_pairs(items) == {frozenset((cued.pk, giver.pk))}

    papers = [paper_ids(build_paper(quiz, rng=random.Random(seed))) for seed in SEEDS]

    assert all(len(ids) == 3 for ids in papers)
    assert not any({cued.pk, giver.pk} <= ids for ids in papers)
    assert any(cued.pk in ids for ids in papers)
    assert any(giver.pk in ids for ids in papers)


def test_a_student_never_gets_a_cueing_pair_across_retakes(student):
    quiz, cued, giver = cueing_quiz()

    for seed in range(12):
        attempt = start_attempt(user=student, quiz=quiz, rng=random.Random(seed))
        assert not {cued.pk, giver.pk} <= paper_ids(attempt)
        submit_attempt(attempt=attempt)


def test_only_approved_questions_are_drawn(db):
    quiz = make_quiz(questions=4, questions_per_attempt=3)
    for position, status in [
        (5, QuestionStatus.DRAFT),
        (6, QuestionStatus.DRAFT),
        (7, QuestionStatus.RETIRED),
    ]:
        question = make_question(quiz, position)
        Question.objects.filter(pk=question.pk).update(status=status)
    approved = set(quiz.questions.approved().values_list("pk", flat=True))

    papers = [paper_ids(build_paper(quiz, rng=random.Random(seed))) for seed in SEEDS]

    assert all(len(ids) == 3 and ids <= approved for ids in papers)
    assert set().union(*papers) == approved


def test_without_questions_per_attempt_the_paper_is_the_whole_approved_pool_in_order(db):
    quiz = make_quiz(questions=4)
    draft = make_question(quiz, 5)
    Question.objects.filter(pk=draft.pk).update(status=QuestionStatus.DRAFT)

    paper = build_paper(quiz, rng=random.Random(0))

    ordered = list(quiz.questions.approved().order_by("position").values_list("pk", flat=True))
    assert [q["id"] for q in paper["questions"]] == ordered


def test_the_drawn_paper_holds_no_key(student, pool_quiz):
    attempt = start_attempt(user=student, quiz=pool_quiz, rng=random.Random(2))

    for question in attempt.paper["questions"]:
        assert "correct" not in question
        assert all(set(choice) == {"id", "text"} for choice in question["choices"])
