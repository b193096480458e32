"""Student pages of `learning` run a fixed number of queries, whatever the size of the course.

Each page is measured on a small course and on a large one with a long history;
the bound is the same for both, so a query per row fails the large size.
"""

import pytest
from django.urls import reverse

from learning.progress import record_visit
from quizzes.grading import save_answers, start_attempt, submit_attempt
from tests.conftest import make_user
from tests.factories import CourseFactory, make_quiz

# lessons, questions per quiz, submitted attempts per quiz
SIZES = {"small": (2, 3, 1), "large": (8, 12, 3)}


def build_course(users, *, lessons, questions, attempts):
    course = CourseFactory()
    for position in range(1, lessons + 1):
        quiz = make_quiz(
            questions=questions, course=course, lesson_position=position, max_attempts=None
        )
        # Odd lessons passed, even ones failed: both kinds of row and a "continue" link.
        pick = 0 if position % 2 else -1
        answers = {
            q.pk: [list(q.choices.all())[pick].pk]
            for q in quiz.questions.prefetch_related("choices")
        }
        for user in users:
            record_visit(user, quiz.lesson)
            for _ in range(attempts):
                attempt = start_attempt(user=user, quiz=quiz)
                save_answers(attempt=attempt, answers=answers)
                submit_attempt(attempt=attempt)
    return course


@pytest.fixture(params=list(SIZES))
def course(request, student, db):
    lessons, questions, attempts = SIZES[request.param]
    # Another student's history, and a second course, so every list can grow.
    build_course([make_user("carol")], lessons=lessons, questions=questions, attempts=attempts)
    build_course([student], lessons=lessons, questions=questions, attempts=1)
    return build_course([student], lessons=lessons, questions=questions, attempts=attempts)


# Signed-in pages include 6 queries of their own: session, user, the Teachers-group
# check of the navigation bar and the sliding session's renewal (3).
def test_home_page_queries_are_bounded(student_client, course, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        response = student_client.get(reverse("home"))
    assert response.status_code == 200
    assert "Continue" in response.content.decode()


def test_anonymous_home_page_queries_are_bounded(client, course, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_course_page_queries_are_bounded(student_client, course, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        response = student_client.get(course.get_absolute_url())
    assert response.status_code == 200
    assert "Passed" in response.content.decode()


def test_anonymous_course_page_queries_are_bounded(client, course, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(course.get_absolute_url())
    assert response.status_code == 200


def test_lesson_page_queries_are_bounded(student_client, course, django_assert_max_num_queries):
    lesson = course.lessons.order_by("position")[1]  # has a previous lesson to link
    with django_assert_max_num_queries(10):
        response = student_client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    assert 'rel="prev"' in response.content.decode()
