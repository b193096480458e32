"""A teacher creates a class, renames it, regenerates its code and removes a student."""

import pytest
from django.urls import reverse

from learning.models import LessonProgress
from quizzes.models import Attempt
from teaching.models import ActionKind, Classroom, Enrollment, TeacherAction
from tests.factories import CourseFactory, LessonFactory
from tests.pages import visible_text
from tests.teaching_data import make_class, make_course, take_quiz


def test_teacher_creates_a_class_and_becomes_its_teacher(teacher_client, teacher):
    course, _ = make_course(lessons=1)

    response = teacher_client.post(
        reverse("teaching:class_create"), {"name": "Year 10 Politics", "courses": [course.pk]}
    )

    classroom = Classroom.objects.get(name="Year 10 Politics")
    assert response.status_code == 302
    assert response.url == reverse("teaching:class_grid", args=[classroom.pk])
    assert list(classroom.teachers.all()) == [teacher]
    assert list(classroom.courses.all()) == [course]
    page = teacher_client.get(response.url)
    assert classroom.join_code in page.content.decode()
    assert "Share the join code" in page.content.decode()


def test_new_class_form_lists_published_courses(teacher_client):
    LessonFactory(course=CourseFactory(title="Visible course"))
    LessonFactory(course=CourseFactory(title="Draft course", published=False))
    # Published, but with nothing a student could open yet.
    LessonFactory(course=CourseFactory(title="Empty course"), published=False)

    response = teacher_client.get(reverse("teaching:class_create"))

    assert response.status_code == 200
    assert "Visible course" in response.content.decode()
    assert "Draft course" not in response.content.decode()
    assert "Empty course" not in response.content.decode()


def test_class_without_a_name_or_course_is_refused(teacher_client):
    response = teacher_client.post(reverse("teaching:class_create"), {"name": "", "courses": []})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Classroom.objects.exists()


def test_teacher_renames_a_class(teacher_client, teacher):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course], name="Old name")
    code = classroom.join_code

    response = teacher_client.post(
        reverse("teaching:class_edit", args=[classroom.pk]),
        {"name": "New name", "courses": [course.pk]},
    )

    assert response.status_code == 302
    classroom.refresh_from_db()
    assert classroom.name == "New name"
    assert classroom.join_code == code
    assert "New name" in teacher_client.get(response.url).content.decode()


def test_regenerating_the_code_retires_the_old_one(teacher_client, teacher, client, student):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course])
    old_code = classroom.join_code

    response = teacher_client.post(reverse("teaching:regenerate_code", args=[classroom.pk]))

    classroom.refresh_from_db()
    assert response.status_code == 302
    assert classroom.join_code != old_code
    assert classroom.join_code in teacher_client.get(response.url).content.decode()
    client.force_login(student)
    refused = client.post(reverse("teaching:join"), {"code": old_code})
    assert refused.status_code == 400
    assert not Enrollment.objects.exists()
    joined = client.post(reverse("teaching:join"), {"code": classroom.join_code})
    assert joined.status_code == 302
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()


def test_removing_a_student_keeps_their_work(teacher_client, teacher, student, other_student):
    course, [quiz] = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course], students=[student, other_student])
    take_quiz(student, quiz, right=1)

    response = teacher_client.post(
        reverse("teaching:remove_student", args=[classroom.pk, student.pk])
    )

    assert response.status_code == 302
    assert list(classroom.students.all()) == [other_student]
    assert LessonProgress.objects.filter(user=student, lesson=quiz.lesson).exists()
    assert Attempt.objects.filter(user=student, quiz=quiz).count() == 1
    grid = teacher_client.get(response.url).content.decode()
    assert "alice was removed" in grid
    assert reverse("teaching:student_record", args=[classroom.pk, student.pk]) not in grid


def test_removing_a_student_not_in_the_class_is_404(teacher_client, teacher, student):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course])

    response = teacher_client.post(
        reverse("teaching:remove_student", args=[classroom.pk, student.pk])
    )

    assert response.status_code == 404


def test_a_class_with_two_teachers_is_visible_to_both(client, teacher, other_teacher):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher, other_teacher], courses=[course], name="Shared")

    for user in (teacher, other_teacher):
        client.force_login(user)
        assert "Shared" in client.get(reverse("teaching:teach")).content.decode()
        assert client.get(reverse("teaching:class_grid", args=[classroom.pk])).status_code == 200


@pytest.mark.parametrize("name", ["regenerate_code", "remove_student"])
def test_get_on_a_post_only_action_is_405(teacher_client, teacher, student, name):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])
    args = [classroom.pk] if name == "regenerate_code" else [classroom.pk, student.pk]
    code = classroom.join_code

    response = teacher_client.get(reverse(f"teaching:{name}", args=args))

    assert response.status_code == 405
    classroom.refresh_from_db()
    assert classroom.join_code == code
    assert classroom.students.count() == 1


def test_renaming_keeps_a_course_unpublished_since(teacher_client, teacher):
    course, _ = make_course(lessons=1)
    withdrawn, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course, withdrawn])
    withdrawn.published = False
    withdrawn.save()

    response = teacher_client.post(
        reverse("teaching:class_edit", args=[classroom.pk]),
        {"name": "Renamed", "courses": [course.pk, withdrawn.pk]},
    )

    assert response.status_code == 302
    assert set(classroom.courses.all()) == {course, withdrawn}


def test_teacher_sees_a_new_students_attempt_on_every_page(client, teacher, student):
    """Create a class on the site, join it with the code, take a quiz: it shows at once."""
    course, [quiz] = make_course(lessons=1, questions=4)
    client.force_login(teacher)
    client.post(reverse("teaching:class_create"), {"name": "9C", "courses": [course.pk]})
    classroom = Classroom.objects.get(name="9C")
    client.force_login(student)
    client.post(reverse("teaching:join"), {"code": classroom.join_code.lower()})
    take_quiz(student, quiz, right=4)

    client.force_login(teacher)
    grid = client.get(reverse("teaching:class_grid", args=[classroom.pk])).content.decode()
    record = client.get(
        reverse("teaching:student_record", args=[classroom.pk, student.pk])
    ).content.decode()
    csv_text = client.get(reverse("teaching:class_csv", args=[classroom.pk])).content.decode()
    stats = client.get(reverse("teaching:stats", args=[quiz.pk])).content.decode()

    assert "Passed · 100%" in grid
    assert "attempt 1: 100%" in record
    assert "alice,,,1,100.0," in csv_text
    assert 'Attempts counted</dt><dd class="col-sm-8">1</dd>' in stats


# ---------------------------------------------------------------- asked before it is done


def test_removing_a_student_is_asked_first(teacher_client, teacher, student):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])

    response = teacher_client.get(
        reverse("teaching:confirm_remove", args=[classroom.pk, student.pk])
    )

    text = visible_text(response, status=200)
    assert "Remove alice from Year 9 History?" in text
    assert "progress are kept" in text
    action = reverse("teaching:remove_student", args=[classroom.pk, student.pk])
    assert f'<form method="post" action="{action}">' in response.content.decode()
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert classroom.students.count() == 1


def test_the_confirmed_removal_is_recorded_for_the_students_history(
    teacher_client, teacher, student
):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])

    teacher_client.post(reverse("teaching:remove_student", args=[classroom.pk, student.pk]))

    action = TeacherAction.objects.get()
    assert (action.teacher, action.student, action.classroom) == (teacher, student, classroom)
    assert action.kind == ActionKind.REMOVE_STUDENT


def test_a_new_join_code_is_asked_first(teacher_client, teacher):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course])
    code = classroom.join_code

    response = teacher_client.get(reverse("teaching:confirm_code", args=[classroom.pk]))

    text = visible_text(response, status=200)
    assert f"The current code, {code} , stops working at once" in text  # <code> reads as a word
    action = reverse("teaching:regenerate_code", args=[classroom.pk])
    assert f'<form method="post" action="{action}">' in response.content.decode()
    classroom.refresh_from_db()
    assert classroom.join_code == code


@pytest.mark.parametrize("name", ["confirm_remove", "confirm_code"])
def test_who_may_see_a_confirmation_page(client, teacher, other_teacher, student, name):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])
    args = [classroom.pk, student.pk] if name == "confirm_remove" else [classroom.pk]
    url = reverse(f"teaching:{name}", args=args)

    anonymous = client.get(url)
    client.force_login(student)
    as_student = client.get(url)
    client.force_login(other_teacher)
    as_other_teacher = client.get(url)
    posted = client.post(url)

    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login") + "?next=")
    assert as_student.status_code == 403
    assert as_other_teacher.status_code == 404
    assert posted.status_code == 405  # the page only asks; the action has its own address


def test_confirming_the_removal_of_someone_not_in_the_class_is_404(
    teacher_client, teacher, other_student
):
    course, _ = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[course])

    response = teacher_client.get(
        reverse("teaching:confirm_remove", args=[classroom.pk, other_student.pk])
    )

    assert response.status_code == 404
