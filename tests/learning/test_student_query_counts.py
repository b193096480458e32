"""Student pages of `learning` run a fixed number of queries, whatever the size of the course.

Each page is measured on a small course and on a large one with a long history;
the bound is the same for both, so a query per row fails the large size.
"""

import pytest
from django.urls import reverse

from tests.factories import HISTORY_SIZES, course_with_history


@pytest.fixture(params=list(HISTORY_SIZES))
def course(request, student, db):
    course, _quizzes = course_with_history(student, request.param)
    return course


# Signed-in pages include 7 queries of their own: session, user, the Teachers-group
# check of the navigation bar, its count of reviews due (cached after the first page)
# and the sliding session's renewal (3). The home and
# course pages pay one more for the due dates of the student's classes (teaching's
# hook in learning.extensions), however many lessons and classes.
def test_home_page_queries_are_bounded(student_client, course, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        response = student_client.get(reverse("home"))
    assert response.status_code == 200
    assert "Continue" in response.content.decode()


def test_anonymous_home_page_queries_are_bounded(client, course, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_course_page_queries_are_bounded(student_client, course, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):  # 11, and the mastery's cards (review's hook)
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
