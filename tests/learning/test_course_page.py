"""The course page: lessons in order with the student's status, a progress bar, and Continue."""

from decimal import Decimal

import pytest
from django.utils import timezone

from learning.models import LessonProgress
from tests.factories import CourseFactory, LessonFactory
from tests.pages import visible_text


@pytest.fixture
def course(db):
    return CourseFactory(title="Reassurance force")


@pytest.fixture
def lessons(course):
    return [
        LessonFactory(course=course, position=n, title=f"Part {n}", slug=f"part-{n}")
        for n in (1, 2, 3, 4)
    ]


def progress(user, lesson, **fields):
    return LessonProgress.objects.create(user=user, lesson=lesson, **fields)


def test_lessons_in_order_with_each_status(student_client, student, course, lessons):
    now = timezone.now()
    first, second, third, fourth = lessons
    progress(
        student,
        first,
        first_viewed_at=now,
        attempts_submitted=2,
        best_score=Decimal("80"),
        passed_at=now,
    )
    progress(student, second, first_viewed_at=now, attempts_submitted=1, best_score=Decimal("40"))
    progress(student, third, first_viewed_at=now)

    response = student_client.get(course.get_absolute_url())
    page = visible_text(response, status=200).split(" Lessons ", 1)[1]

    assert page.index("Part 1") < page.index("Part 2") < page.index("Part 3") < page.index("Part 4")
    assert "Part 1 One sentence. Passed · 80%" in page
    assert "Part 2 One sentence. Not passed yet · 40%" in page
    assert "Part 3 One sentence. Read" in page
    assert "Part 4 One sentence. Not started" in page


def test_progress_bar_counts_lessons_passed(student_client, student, course, lessons):
    now = timezone.now()
    for lesson in lessons[:3]:
        progress(student, lesson, passed_at=now, attempts_submitted=1, best_score=100)

    response = student_client.get(course.get_absolute_url())

    assert "3 of 4 lessons passed (75%)" in visible_text(response, status=200)
    assert 'aria-valuenow="75"' in response.content.decode()


def test_continue_leads_to_the_first_lesson_not_passed(student_client, student, course, lessons):
    now = timezone.now()
    progress(student, lessons[0], passed_at=now, attempts_submitted=1, best_score=100)
    progress(student, lessons[2], passed_at=now, attempts_submitted=1, best_score=100)

    response = student_client.get(course.get_absolute_url())

    assert "Continue: Part 2" in visible_text(response, status=200)
    assert f'href="{lessons[1].get_absolute_url()}">Continue' in response.content.decode()


def test_new_student_is_offered_the_first_lesson(student_client, course, lessons):
    page = visible_text(student_client.get(course.get_absolute_url()), status=200)

    assert "Start: Part 1" in page
    assert "0 of 4 lessons passed" in page


def test_every_lesson_passed_says_so(student_client, student, course, lessons):
    for lesson in lessons:
        progress(student, lesson, passed_at=timezone.now(), attempts_submitted=1, best_score=100)

    page = visible_text(student_client.get(course.get_absolute_url()), status=200)

    assert "You have passed every lesson of this course." in page
    assert "Continue" not in page


def test_another_students_progress_does_not_show(student_client, other_student, course, lessons):
    progress(
        other_student, lessons[0], passed_at=timezone.now(), attempts_submitted=1, best_score=100
    )

    page = visible_text(student_client.get(course.get_absolute_url()), status=200)

    assert "0 of 4 lessons passed" in page
    assert "Passed" not in page


def test_draft_lessons_are_hidden_from_students(student_client, course, lessons):
    lessons[1].published = False
    lessons[1].save()

    page = visible_text(student_client.get(course.get_absolute_url()), status=200)

    assert "Part 2" not in page
    assert "0 of 3 lessons passed" in page


def test_anonymous_visitor_sees_the_lessons_and_a_login_link(client, course, lessons):
    response = client.get(course.get_absolute_url())

    page = visible_text(response, status=200)
    assert "Part 1" in page and "Part 4" in page
    assert "lessons passed" not in page
    assert f"/accounts/login/?next={course.get_absolute_url()}" in response.content.decode()


def test_draft_course_is_404_except_to_staff(client, student, admin_user, course, lessons):
    course.published = False
    course.save()

    assert client.get(course.get_absolute_url()).status_code == 404
    client.force_login(student)
    assert client.get(course.get_absolute_url()).status_code == 404
    client.force_login(admin_user)
    assert client.get(course.get_absolute_url()).status_code == 200


def test_unknown_course_is_404(client, db):
    assert client.get("/courses/no-such-course/").status_code == 404
