"""Extra attempts a teacher granted one student really change what that student can
do: start another attempt, see attempts left, have their lesson back on the course page."""

import pytest
from django.urls import reverse

from learning.models import LessonProgress
from quizzes.attempt_limits import (
    MAX_EXTRA_ATTEMPTS,
    AllowanceRefused,
    grant_extra_attempts,
)
from quizzes.grading import AttemptRefused, attempts_left, start_attempt
from quizzes.models import AttemptAllowance, RevealAnswers
from tests.factories import (
    HISTORY_SIZES,
    CourseFactory,
    answers_for,
    course_with_history,
    make_quiz,
)
from tests.pages import visible_text


def finish(user, quiz, pick):
    """An attempt answering every question with its choice at index `pick`: with
    make_quiz, 0 answers all right, -1 all wrong."""
    from quizzes.grading import save_answers, submit_attempt

    attempt = start_attempt(user=user, quiz=quiz)
    save_answers(attempt=attempt, answers=answers_for(quiz, pick))
    return submit_attempt(attempt=attempt)


@pytest.fixture
def quiz(db):
    return make_quiz(questions=2, course=CourseFactory(), max_attempts=2, pass_mark=50)


@pytest.fixture
def failed_out(student, quiz):
    """alice failed both of her attempts: she is out of attempts."""
    finish(student, quiz, -1)
    return finish(student, quiz, -1)


def progress(student, quiz):
    return LessonProgress.objects.get(user=student, lesson=quiz.lesson)


def test_attempts_left_counts_the_extra_attempts(quiz):
    assert attempts_left(quiz, 2) == 0
    assert attempts_left(quiz, 2, 1) == 1
    assert attempts_left(quiz, 5, 1) == 0
    quiz.max_attempts = None
    assert attempts_left(quiz, 5, 1) is None


def test_an_extra_attempt_lets_the_student_start_again(student, quiz, failed_out):
    with pytest.raises(AttemptRefused, match="all 2 attempts"):
        start_attempt(user=student, quiz=quiz)

    grant_extra_attempts(user=student, quiz=quiz, count=1)
    attempt = start_attempt(user=student, quiz=quiz)

    assert attempt.number == 3
    assert quiz.attempts.filter(user=student).count() == 3  # the history stays


def test_the_extra_attempts_are_used_up_like_the_others(student, quiz, failed_out):
    grant_extra_attempts(user=student, quiz=quiz, count=1)
    finish(student, quiz, -1)

    with pytest.raises(AttemptRefused, match="all 3 attempts"):
        start_attempt(user=student, quiz=quiz)
    assert progress(student, quiz).out_of_attempts


def test_another_students_allowance_changes_nothing_for_me(
    student, other_student, quiz, failed_out
):
    grant_extra_attempts(user=other_student, quiz=quiz, count=3)

    with pytest.raises(AttemptRefused):
        start_attempt(user=student, quiz=quiz)


def test_granting_gives_the_lesson_back_at_once(student_client, student, quiz, failed_out):
    assert progress(student, quiz).out_of_attempts

    grant_extra_attempts(user=student, quiz=quiz, count=1)

    assert not progress(student, quiz).out_of_attempts
    page = student_client.get(quiz.lesson.course.get_absolute_url()).content.decode()
    assert f'href="{quiz.lesson.get_absolute_url()}">Continue' in page
    my_progress = visible_text(student_client.get(reverse("quizzes:progress")), status=200)
    assert "No attempts left" not in my_progress


def test_failing_with_an_extra_attempt_left_keeps_the_lesson_open(student, quiz):
    finish(student, quiz, -1)
    grant_extra_attempts(user=student, quiz=quiz, count=1)
    finish(student, quiz, -1)  # the quiz's 2 are used; the extra one remains

    assert not progress(student, quiz).out_of_attempts


def test_an_editors_save_keeps_each_students_extra_attempts(
    student, other_student, quiz, failed_out
):
    grant_extra_attempts(user=student, quiz=quiz, count=1)
    finish(other_student, quiz, -1)
    finish(other_student, quiz, -1)

    quiz.pass_mark = 60
    quiz.save()  # recomputes everyone's "no attempts left" under the limit

    assert not progress(student, quiz).out_of_attempts
    assert progress(other_student, quiz).out_of_attempts


def test_grants_add_up(student, quiz):
    grant_extra_attempts(user=student, quiz=quiz, count=2)
    allowance = grant_extra_attempts(user=student, quiz=quiz, count=3)

    assert allowance.extra_attempts == 5
    assert AttemptAllowance.objects.get(user=student, quiz=quiz).extra_attempts == 5


@pytest.mark.parametrize("count", [0, -1, MAX_EXTRA_ATTEMPTS + 1])
def test_a_grant_out_of_range_is_refused(student, quiz, count):
    with pytest.raises(AllowanceRefused):
        grant_extra_attempts(user=student, quiz=quiz, count=count)

    assert not AttemptAllowance.objects.exists()


def test_the_total_of_extra_attempts_is_capped(student, quiz):
    grant_extra_attempts(user=student, quiz=quiz, count=MAX_EXTRA_ATTEMPTS)

    with pytest.raises(AllowanceRefused, match="at most"):
        grant_extra_attempts(user=student, quiz=quiz, count=1)

    assert AttemptAllowance.objects.get().extra_attempts == MAX_EXTRA_ATTEMPTS


# ---------------------------------------------------------------- what the student reads


def test_quiz_page_counts_the_extra_attempts(student_client, student, quiz, failed_out):
    before = visible_text(student_client.get(quiz.get_absolute_url()), status=200)
    grant_extra_attempts(user=student, quiz=quiz, count=2)

    after = visible_text(student_client.get(quiz.get_absolute_url()), status=200)

    assert "Attempts used: 2 of 2." in before and "No attempts left." in before
    assert (
        "Attempts used: 2 of 4. Your teacher gave you 2 extra attempts. 2 attempts left." in after
    )
    assert "No attempts left." not in after
    assert "Start attempt 3" in after


def test_quiz_page_states_attempts_left_without_extras_too(student_client, student, quiz):
    finish(student, quiz, -1)

    text = visible_text(student_client.get(quiz.get_absolute_url()), status=200)

    assert "Attempts used: 1 of 2. 1 attempt left." in text
    assert "extra" not in text


def test_result_page_offers_the_retake_once_granted(student_client, student, quiz, failed_out):
    url = reverse("quizzes:result", args=[failed_out.pk])
    before = visible_text(student_client.get(url), status=200)
    grant_extra_attempts(user=student, quiz=quiz, count=1)

    after = visible_text(student_client.get(url), status=200)

    assert "Not passed: no attempts left" in before and "Retake the quiz" not in before
    assert "Not passed yet" in after and "Retake the quiz" in after


def test_the_key_stays_hidden_while_extra_attempts_remain(student_client, student, quiz):
    quiz.reveal_answers = RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT
    quiz.save()
    finish(student, quiz, -1)
    grant_extra_attempts(user=student, quiz=quiz, count=1)
    last_of_the_quizs_own = finish(student, quiz, -1)

    text = visible_text(
        student_client.get(reverse("quizzes:result", args=[last_of_the_quizs_own.pk])), status=200
    )

    assert "Correct answer" not in text
    assert "once you pass this quiz or have used all your attempts" in text


# ---------------------------------------------------------------- queries


@pytest.fixture(params=list(HISTORY_SIZES))
def big_quiz(request, student, db):
    """The last quiz of a course with a history, an allowance on it, an open attempt."""
    _course, quizzes = course_with_history(student, request.param, carols_attempts=1)
    quiz = quizzes[-1]
    quiz.max_attempts = 10
    quiz.save()
    grant_extra_attempts(user=student, quiz=quiz, count=2)
    start_attempt(user=student, quiz=quiz)
    return quiz


# The bounds of tests/quizzes/test_query_counts.py: an allowance costs no query.
def test_quiz_page_with_an_allowance_keeps_its_bound(
    student_client, big_quiz, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = student_client.get(big_quiz.get_absolute_url())
    assert "Your teacher gave you 2 extra attempts." in visible_text(response, status=200)


def test_result_page_with_an_allowance_keeps_its_bound(
    student_client, student, big_quiz, django_assert_max_num_queries
):
    attempt = big_quiz.attempts.filter(user=student).submitted().first()
    with django_assert_max_num_queries(12):
        response = student_client.get(reverse("quizzes:result", args=[attempt.pk]))
    assert "Retake the quiz" in visible_text(response, status=200)


def test_submit_with_an_allowance_keeps_its_bound(
    student_client, student, big_quiz, django_assert_max_num_queries
):
    attempt = big_quiz.attempts.get(user=student, submitted_at__isnull=True)
    answers = answers_for(big_quiz, 0)
    data = {"shown": list(answers), **{f"q{qid}": chosen for qid, chosen in answers.items()}}
    with django_assert_max_num_queries(22):
        response = student_client.post(reverse("quizzes:submit", args=[attempt.pk]), data)
    assert response.status_code == 302


def test_start_with_an_allowance_runs_no_more_queries_than_before(
    student_client, student, big_quiz, django_assert_max_num_queries
):
    big_quiz.attempts.filter(user=student, submitted_at__isnull=True).delete()
    lesson = big_quiz.lesson
    student_client.get(big_quiz.get_absolute_url())  # renews the session: not counted below
    # 13 before allowances; the pool's size, attempts used and extras now share a query.
    with django_assert_max_num_queries(12):
        response = student_client.post(
            reverse("quizzes:start", args=[lesson.course.slug, lesson.slug])
        )
    assert response.status_code == 302
