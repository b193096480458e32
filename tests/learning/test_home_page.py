"""The home page: published courses, and for a signed-in student where to continue."""

import pytest
from django.utils import timezone

from learning.models import LessonProgress
from tests.factories import CourseFactory, LessonFactory
from tests.pages import visible_text


@pytest.fixture
def course(db):
    course = CourseFactory(title="Coalition", summary="Who would send troops.")
    for n in (1, 2, 3):
        LessonFactory(course=course, position=n, title=f"Part {n}", slug=f"part-{n}")
    return course


def test_lists_published_courses_only(client, course):
    CourseFactory(title="Unfinished draft", published=False)

    page = visible_text(client.get("/"), status=200)

    assert "Coalition" in page
    assert "Who would send troops." in page
    assert "3 lessons" in page
    assert "Unfinished draft" not in page


def test_draft_lessons_are_not_counted(client, course):
    LessonFactory(course=course, position=4, published=False)

    assert "3 lessons" in visible_text(client.get("/"), status=200)


def test_anonymous_visitor_is_invited_to_start(client, course):
    response = client.get("/")

    assert "Start the course" in visible_text(response, status=200)
    assert f'href="{course.get_absolute_url()}"' in response.content.decode()


def test_signed_in_student_continues_at_the_first_lesson_not_passed(
    student_client, student, course
):
    first, second, _ = course.lessons.order_by("position")
    LessonProgress.objects.create(
        user=student, lesson=first, passed_at=timezone.now(), attempts_submitted=1, best_score=90
    )
    LessonProgress.objects.create(user=student, lesson=second, first_viewed_at=timezone.now())

    response = student_client.get("/")

    page = visible_text(response, status=200)
    assert "Continue: Part 2" in page
    assert "1 of 3 lessons passed" in page
    assert f'href="{second.get_absolute_url()}">Continue' in response.content.decode()


def test_student_who_has_not_started_is_invited_to_start(student_client, course):
    page = visible_text(student_client.get("/"), status=200)

    assert "Start the course" in page
    assert "Continue" not in page


def test_finished_course_is_marked_complete(student_client, student, course):
    for lesson in course.lessons.all():
        LessonProgress.objects.create(
            user=student, lesson=lesson, passed_at=timezone.now(), attempts_submitted=1
        )

    page = visible_text(student_client.get("/"), status=200)

    assert "Course complete" in page
    assert "3 of 3 lessons passed" in page


def test_no_courses_yet(client, db):
    assert "No courses are published yet." in visible_text(client.get("/"), status=200)


def test_the_home_page_promises_no_quiz_a_lesson_may_not_have(client, course):
    text = visible_text(client.get("/"))

    assert "each followed by a quiz" not in text
    assert "with quizzes to check what you have learned" in text
