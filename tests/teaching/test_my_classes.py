"""A student's classes at /classes/, and leaving one (confirm by GET, leave by POST)."""

import pytest
from django.test import Client
from django.urls import reverse

from learning.models import LessonProgress
from quizzes.models import Attempt
from teaching.models import Classroom, Enrollment
from tests.pages import visible_text
from tests.teaching_data import make_class, make_course, take_quiz

MY_CLASSES = "/classes/"


def leave_url(classroom):
    return reverse("teaching:leave_class", args=[classroom.pk])


@pytest.fixture
def course_and_quizzes(db):
    return make_course(lessons=1, questions=2)


@pytest.fixture
def classroom(teacher, other_teacher, student, course_and_quizzes):
    teacher.first_name, teacher.last_name = "Tess", "Ng"
    teacher.save()
    course, _ = course_and_quizzes
    return make_class(
        teachers=[teacher, other_teacher], courses=[course], students=[student], name="Year 9"
    )


@pytest.fixture
def bobs_class(other_teacher, other_student):
    return make_class(
        teachers=[other_teacher], courses=[], students=[other_student], name="Bob's set"
    )


def test_urls_are_the_documented_paths(db):
    assert reverse("teaching:my_classes") == MY_CLASSES
    assert reverse("teaching:leave_class", args=[7]) == "/classes/7/leave/"


def test_the_navigation_leads_to_my_classes(student_client):
    html = student_client.get(reverse("home")).content.decode()

    assert f'href="{MY_CLASSES}">My classes</a>' in html


def test_anonymous_visitors_are_sent_to_log_in(client, classroom):
    for response in (client.get(MY_CLASSES), client.post(leave_url(classroom))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert Enrollment.objects.count() == 1


def test_lists_the_classes_joined_with_teachers_and_courses(
    student_client, classroom, bobs_class, course_and_quizzes
):
    course, _ = course_and_quizzes
    unpublished = make_course(lessons=1)[0]
    unpublished.published = False
    unpublished.save()
    classroom.courses.add(unpublished)

    response = student_client.get(MY_CLASSES)

    text = visible_text(response, status=200)
    assert "Year 9" in text
    assert "theo, Tess Ng" in text  # a teacher's name, or their username
    assert course.title in text and unpublished.title not in text
    assert f'href="{course.get_absolute_url()}"' in response.content.decode()
    assert "Bob" not in text
    assert f'href="{leave_url(classroom)}"' in response.content.decode()
    assert f'href="{leave_url(bobs_class)}"' not in response.content.decode()


def test_no_class_yet_offers_to_join_one(student_client):
    response = student_client.get(MY_CLASSES)

    assert "You are not in any class yet." in visible_text(response, status=200)
    assert f'href="{reverse("teaching:join")}"' in response.content.decode()


def test_an_archived_class_is_still_listed_so_it_can_be_left(student_client, classroom):
    Classroom.objects.filter(pk=classroom.pk).update(archived_at="2026-01-01T00:00Z")

    text = visible_text(student_client.get(MY_CLASSES), status=200)

    assert "Year 9 Closed by its teacher" in text


def test_leaving_asks_first_and_changes_nothing_until_confirmed(student_client, classroom):
    response = student_client.get(leave_url(classroom))

    text = visible_text(response, status=200)
    assert "Leave Year 9?" in text
    assert "theo and Tess Ng will no longer see your progress" in text
    assert "quiz attempts and progress are kept" in text
    assert 'method="post"' in response.content.decode()
    assert Enrollment.objects.filter(classroom=classroom).count() == 1


def test_leaving_removes_only_the_enrollment(
    student_client, student, classroom, course_and_quizzes
):
    _, (quiz,) = course_and_quizzes
    take_quiz(student, quiz, right=1)
    progress_before = list(LessonProgress.objects.filter(user=student).values())

    response = student_client.post(leave_url(classroom), follow=True)

    assert response.redirect_chain == [(MY_CLASSES, 302)]
    text = visible_text(response)
    assert "You left Year 9." in text
    assert "You are not in any class yet." in text
    assert not Enrollment.objects.filter(student=student).exists()
    assert Classroom.objects.filter(pk=classroom.pk).exists()
    assert Attempt.objects.filter(user=student).count() == 1
    assert list(LessonProgress.objects.filter(user=student).values()) == progress_before


def test_the_teacher_no_longer_sees_the_student(student_client, teacher, classroom):
    student_client.post(leave_url(classroom))
    teacher_view = Client()
    teacher_view.force_login(teacher)

    grid = visible_text(teacher_view.get(classroom.get_absolute_url()), status=200)

    assert "alice" not in grid


def test_a_class_the_student_is_not_in_is_404_and_changes_nothing(student_client, bobs_class):
    for response in (
        student_client.get(leave_url(bobs_class)),
        student_client.post(leave_url(bobs_class)),
    ):
        assert response.status_code == 404
    assert Enrollment.objects.filter(classroom=bobs_class).count() == 1


def test_another_students_enrollment_cannot_be_left_for_them(
    client, other_student, classroom, bobs_class
):
    client.force_login(other_student)  # in bobs_class, not in classroom

    response = client.post(leave_url(classroom))

    assert response.status_code == 404
    assert Enrollment.objects.count() == 2


def test_a_class_that_does_not_exist_is_404(student_client, classroom):
    assert student_client.post(reverse("teaching:leave_class", args=[9999])).status_code == 404


def test_leaving_twice_is_404_the_second_time(student_client, classroom):
    student_client.post(leave_url(classroom))

    assert student_client.post(leave_url(classroom)).status_code == 404


def test_leaving_needs_the_csrf_token(student, classroom):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)

    assert client.post(leave_url(classroom)).status_code == 403
    assert Enrollment.objects.filter(student=student).exists()


def test_other_methods_are_refused(student_client, classroom):
    assert student_client.post(MY_CLASSES).status_code == 405
    assert student_client.put(leave_url(classroom)).status_code == 405


def test_joined_dates_are_in_the_students_time_zone(student_client, student, classroom):
    Enrollment.objects.filter(student=student).update(joined_at="2026-03-10T22:15Z")
    student_client.post(reverse("profile"), {"time_zone": "Asia/Kolkata"})

    text = visible_text(student_client.get(MY_CLASSES), status=200)

    assert "Joined 11 Mar 2026, 03:45" in text


def test_pages_stay_within_a_few_queries(
    student_client, student, teacher, django_assert_max_num_queries
):
    courses = [make_course(lessons=1, questions=1)[0] for _ in range(3)]
    for n in range(6):
        make_class(teachers=[teacher], courses=courses, students=[student], name=f"Class {n}")
    classroom = Classroom.objects.first()
    student_client.get(MY_CLASSES)  # the first request of a session also renews it

    # session, user, enrollments with classes, teachers, courses, the teacher check
    with django_assert_max_num_queries(6):
        response = student_client.get(MY_CLASSES)
    assert visible_text(response).count("Leave class") == 6
    with django_assert_max_num_queries(5):
        assert student_client.get(leave_url(classroom)).status_code == 200
    with django_assert_max_num_queries(5):  # ... the enrollment and teachers, the delete
        assert student_client.post(leave_url(classroom)).status_code == 302


def test_names_a_teacher_or_class_was_given_are_shown_as_text(student_client, student, teacher):
    hostile = '<script>alert("x")</script>'
    teacher.first_name = hostile
    teacher.save()
    classroom = make_class(teachers=[teacher], courses=[], students=[student], name=hostile)

    pages = [
        student_client.get(MY_CLASSES),
        student_client.get(leave_url(classroom)),
        student_client.post(leave_url(classroom), follow=True),  # the message names it
    ]

    for page in pages:
        html = page.content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
