"""My progress: per course, best score and attempts per lesson, and what was missed last time."""

import pytest
from django.urls import reverse

from learning.progress import record_visit
from quizzes.grading import save_answers, start_attempt, submit_attempt
from tests.factories import CourseFactory, make_quiz
from tests.pages import visible_text

URL = reverse("quizzes:progress")


def finish(user, quiz, right):
    """Answer the questions at positions in `right` correctly, the rest wrongly, and submit."""
    attempt = start_attempt(user=user, quiz=quiz)
    answers = {}
    for question in quiz.questions.order_by("position"):
        choices = list(question.choices.order_by("position"))
        ok = question.position in right
        answers[question.pk] = [c.pk for c in choices if c.is_correct == ok][: None if ok else 1]
    save_answers(attempt=attempt, answers=answers)
    return submit_attempt(attempt=attempt)


def row(page, lesson):
    """The table row of one lesson, as text."""
    start = page.index(f"{lesson.position}. {lesson.title}")
    end = page.find(f"{lesson.position + 1}. ", start)
    return page[start : end if end != -1 else len(page)]


@pytest.fixture
def course(db):
    return CourseFactory(title="Ceasefire")


@pytest.fixture
def quizzes(course):
    return [
        make_quiz(questions=3, course=course, lesson_position=n, pass_mark=60) for n in (1, 2, 3)
    ]


def test_best_score_and_attempts_per_lesson(student_client, student, quizzes):
    first, second, _ = quizzes
    finish(student, first, right={1, 2, 3})
    finish(student, first, right={1})
    finish(student, second, right={1})

    page = visible_text(student_client.get(URL), status=200)

    assert "Ceasefire" in page
    assert "1 of 3 lessons passed" in page
    assert "Passed 100% 2" in row(page, first.lesson)
    assert "Not passed yet 33% 1" in row(page, second.lesson)
    assert "Not started – 0" in row(page, quizzes[2].lesson)
    assert "Last activity" in page


def test_missed_questions_of_the_latest_attempt_link_to_the_lesson(
    student_client, student, quizzes
):
    quiz = quizzes[0]
    q1, q2, q3 = quiz.questions.order_by("position")
    finish(student, quiz, right={3})  # older attempt: missed 1 and 2
    finish(student, quiz, right={1, 2})  # latest: missed only 3

    response = student_client.get(URL)

    lesson_row = row(visible_text(response, status=200), quiz.lesson)
    assert q3.prompt in lesson_row
    assert q1.prompt not in lesson_row and q2.prompt not in lesson_row
    link = f'<a href="{quiz.lesson.get_absolute_url()}">{q3.prompt}</a>'
    assert link in response.content.decode()


def test_a_perfect_latest_attempt_misses_nothing(student_client, student, quizzes):
    finish(student, quizzes[0], right={1, 2, 3})

    assert "None: all right" in row(
        visible_text(student_client.get(URL), status=200), quizzes[0].lesson
    )


def test_lessons_only_read_count_as_started(student_client, student, quizzes):
    record_visit(student, quizzes[1].lesson)

    page = visible_text(student_client.get(URL), status=200)

    assert "Read" in row(page, quizzes[1].lesson)
    assert "0 of 3 lessons passed" in page


def test_nothing_started_points_to_the_courses(student_client, quizzes):
    page = visible_text(student_client.get(URL), status=200)

    assert "You have not started a course yet." in page
    assert "Ceasefire" not in page.replace("Explainer Learning", "")


def test_only_my_own_progress_is_shown(student_client, student, other_student, quizzes):
    quiz = quizzes[0]
    finish(other_student, quiz, right={1, 2, 3})
    finish(student, quiz, right=set())

    lesson_row = row(visible_text(student_client.get(URL), status=200), quiz.lesson)

    assert "Not passed yet 0% 1" in lesson_row


def test_open_attempts_are_not_counted(student_client, student, quizzes):
    finish(student, quizzes[0], right={1})
    start_attempt(user=student, quiz=quizzes[0])

    assert "Not passed yet 33% 1" in row(
        visible_text(student_client.get(URL), status=200), quizzes[0].lesson
    )


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"
