"""The scoring rules, on plain data, and how a graded attempt moves lesson progress."""

from decimal import Decimal

from learning.models import LessonProgress, Status
from quizzes.grading import (
    grade,
    is_right,
    save_answers,
    score_percent,
    start_attempt,
    submit_attempt,
)
from quizzes.models import QuestionKind
from tests.factories import make_quiz

SINGLE, MULTIPLE = QuestionKind.SINGLE, QuestionKind.MULTIPLE


def test_single_answer_is_right_when_the_correct_choice_is_chosen():
    assert is_right(SINGLE, [11], [11])


def test_single_answer_is_wrong_when_another_choice_is_chosen():
    assert not is_right(SINGLE, [12], [11])


def test_single_answer_is_wrong_when_nothing_is_chosen():
    assert not is_right(SINGLE, [], [11])


def test_single_answer_is_wrong_when_two_choices_are_sent():
    assert not is_right(SINGLE, [11, 12], [11])


def test_multiple_answer_is_right_only_for_exactly_the_correct_set():
    assert is_right(MULTIPLE, [12, 11], [11, 12])


def test_multiple_answer_subset_of_the_correct_set_is_wrong():
    assert not is_right(MULTIPLE, [11], [11, 12])


def test_multiple_answer_superset_of_the_correct_set_is_wrong():
    assert not is_right(MULTIPLE, [11, 12, 13], [11, 12])


def test_multiple_answer_with_nothing_chosen_is_wrong():
    assert not is_right(MULTIPLE, [], [11, 12])


def test_score_is_the_percentage_of_right_answers_rounded_half_up():
    assert score_percent(1, 3) == Decimal("33.33")
    assert score_percent(2, 3) == Decimal("66.67")
    assert score_percent(1, 8) == Decimal("12.50")
    assert score_percent(1, 16) == Decimal("6.25")
    assert score_percent(4, 4) == Decimal("100.00")
    assert score_percent(0, 0) == Decimal("0.00")


def _questions(n):
    return [(qid, SINGLE) for qid in range(1, n + 1)]


def test_grade_scores_each_question_and_the_whole():
    questions = [(1, SINGLE), (2, MULTIPLE), (3, SINGLE)]
    correct = {1: [10], 2: [20, 21], 3: [30]}
    selected = {1: [10], 2: [20]}  # question 3 unanswered

    result = grade(questions, selected, correct, pass_mark=30)

    assert result.results == {1: True, 2: False, 3: False}
    assert result.score == Decimal("33.33")
    assert result.passed is True


def test_passed_at_exactly_the_pass_mark():
    correct = {qid: [qid * 10] for qid in range(1, 5)}
    two_right = {1: [10], 2: [20]}

    assert grade(_questions(4), two_right, correct, pass_mark=50).passed is True
    assert grade(_questions(4), two_right, correct, pass_mark=51).passed is False


def test_passing_compares_the_exact_score_not_the_rounded_one():
    # 2 of 201 is 0.995%: shown as 1.00 once rounded, but still below a 1% pass mark.
    questions = _questions(201)
    correct = {qid: [qid * 10] for qid, _ in questions}

    result = grade(questions, {1: [10], 2: [20]}, correct, pass_mark=1)

    assert result.score == Decimal("1.00")
    assert result.passed is False


def test_zero_pass_mark_passes_with_nothing_right():
    assert grade(_questions(2), {}, {1: [10], 2: [20]}, pass_mark=0).passed is True


# ---------------------------------------------------------------- progress


def _take(user, quiz, *, right):
    """Start, answer the first `right` questions correctly and the rest wrongly, submit."""
    attempt = start_attempt(user=user, quiz=quiz)
    answers = {}
    for n, question in enumerate(quiz.questions.order_by("position")):
        choices = question.choices.filter(is_correct=n < right)
        answers[question.pk] = [c.pk for c in choices][: 1 if n >= right else None]
    save_answers(attempt=attempt, answers=answers)
    return submit_attempt(attempt=attempt)


def test_progress_keeps_the_best_score(student):
    quiz = make_quiz(questions=4, pass_mark=100)

    _take(student, quiz, right=3)
    _take(student, quiz, right=1)

    progress = LessonProgress.objects.get(user=student, lesson=quiz.lesson)
    assert progress.best_score == Decimal("75.00")
    assert progress.attempts_submitted == 2
    assert progress.status == Status.ATTEMPTED


def test_progress_stays_passed_after_a_later_failed_attempt(student):
    quiz = make_quiz(questions=4, pass_mark=50)

    passing = _take(student, quiz, right=4)
    failing = _take(student, quiz, right=0)

    assert (passing.passed, failing.passed) == (True, False)
    assert failing.score == Decimal("0.00")
    progress = LessonProgress.objects.get(user=student, lesson=quiz.lesson)
    assert progress.passed_at == passing.submitted_at
    assert progress.best_score == Decimal("100.00")
    assert progress.status == Status.PASSED


def test_multiple_answer_question_graded_on_the_exact_set_end_to_end(student):
    quiz = make_quiz(questions=2)  # question 2 is select-all, choices 1 and 2 right
    single, multi = quiz.questions.order_by("position")
    attempt = start_attempt(user=student, quiz=quiz)
    first, second, third = multi.choices.order_by("position")[:3]
    save_answers(
        attempt=attempt,
        answers={
            single.pk: [single.choices.get(is_correct=True).pk],
            multi.pk: [first.pk, second.pk, third.pk],
        },
    )

    attempt = submit_attempt(attempt=attempt)

    assert attempt.score == Decimal("50.00")
    assert dict(attempt.responses.values_list("question_id", "is_correct")) == {
        single.pk: True,
        multi.pk: False,
    }
