"""Archiving a class: asked first, then hidden from the teacher's lists with nothing
deleted; its code stops working; "Archived classes" lists it with Restore."""

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import LessonProgress
from quizzes.models import Attempt
from teaching.models import Classroom, Enrollment
from tests.pages import visible_text
from tests.teaching_data import make_class, make_course, take_quiz


@pytest.fixture
def course_and_quiz(db):
    course, [quiz] = make_course(lessons=1, questions=4)
    return course, quiz


@pytest.fixture
def classroom(teacher, student, course_and_quiz):
    return make_class(
        teachers=[teacher], courses=[course_and_quiz[0]], students=[student], name="9C 2025"
    )


def archive_url(classroom):
    return reverse("teaching:archive_class", args=[classroom.pk])


def restore_url(classroom):
    return reverse("teaching:restore_class", args=[classroom.pk])


def archived_at(classroom):
    return Classroom.objects.get(pk=classroom.pk).archived_at


def test_archiving_asks_first_and_the_question_changes_nothing(teacher_client, classroom):
    response = teacher_client.get(archive_url(classroom))

    text = visible_text(response, status=200)
    assert "Archive 9C 2025?" in text
    assert "Its join code stops working" in text
    assert "Nothing is deleted." in text
    assert 'method="post"' in response.content.decode()
    assert archived_at(classroom) is None


def test_the_grid_and_the_edit_page_offer_to_archive(teacher_client, classroom):
    for name in ("class_grid", "class_edit"):
        html = teacher_client.get(reverse(f"teaching:{name}", args=[classroom.pk])).content
        assert archive_url(classroom) in html.decode()


def test_an_archived_class_leaves_the_teachers_list_and_keeps_everything(
    teacher_client, classroom, student, course_and_quiz
):
    take_quiz(student, course_and_quiz[1], right=4)

    response = teacher_client.post(archive_url(classroom))

    assert response.status_code == 302
    assert response.url == reverse("teaching:teach")
    assert archived_at(classroom) is not None
    home = teacher_client.get(response.url).content.decode()
    assert "9C 2025 is archived." in home
    assert f'href="{classroom.get_absolute_url()}"' not in home
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()
    assert LessonProgress.objects.filter(user=student, passed_at__isnull=False).count() == 1
    assert Attempt.objects.filter(user=student).count() == 1


def test_archived_classes_are_listed_with_restore(teacher_client, classroom, teacher):
    active = make_class(teachers=[teacher], courses=list(classroom.courses.all()), name="10A")
    teacher_client.post(archive_url(classroom))

    html = teacher_client.get(reverse("teaching:archived_classes")).content.decode()

    assert "9C 2025" in html and "10A" not in html
    assert f'action="{restore_url(classroom)}"' in html
    assert f'action="{restore_url(active)}"' not in html
    assert reverse("teaching:archived_classes") in teacher_client.get("/teach/").content.decode()


def test_restoring_brings_the_class_back(teacher_client, classroom):
    teacher_client.post(archive_url(classroom))

    response = teacher_client.post(restore_url(classroom))

    assert response.status_code == 302
    assert response.url == classroom.get_absolute_url()
    assert archived_at(classroom) is None
    assert "9C 2025" in teacher_client.get(reverse("teaching:teach")).content.decode()
    assert (
        "9C 2025" not in teacher_client.get(reverse("teaching:archived_classes")).content.decode()
    )


def test_archiving_twice_keeps_the_first_date(teacher_client, classroom):
    teacher_client.post(archive_url(classroom))
    first = archived_at(classroom)

    teacher_client.post(archive_url(classroom))

    assert archived_at(classroom) == first


def test_the_grid_of_an_archived_class_says_so_and_offers_restore(teacher_client, classroom):
    Classroom.objects.filter(pk=classroom.pk).update(archived_at=timezone.now())

    html = teacher_client.get(classroom.get_absolute_url()).content.decode()

    assert "This class was archived on" in visible_text(html)
    assert f'action="{restore_url(classroom)}"' in html
    assert classroom.join_code not in html  # a code that does not work is not handed out


def test_nobody_joins_an_archived_class_by_its_code(client, other_student, classroom):
    Classroom.objects.filter(pk=classroom.pk).update(archived_at=timezone.now())
    client.force_login(other_student)

    response = client.post(reverse("teaching:join"), {"code": classroom.join_code})

    assert response.status_code == 400
    assert "That class has been archived and no longer takes students." in visible_text(response)
    assert not Enrollment.objects.filter(student=other_student).exists()


def test_its_code_works_again_once_restored(teacher_client, client, other_student, classroom):
    teacher_client.post(archive_url(classroom))
    teacher_client.post(restore_url(classroom))
    client.force_login(other_student)

    response = client.post(reverse("teaching:join"), {"code": classroom.join_code})

    assert response.status_code == 302
    assert Enrollment.objects.filter(classroom=classroom, student=other_student).exists()


def test_restore_is_a_post(teacher_client, classroom):
    Classroom.objects.filter(pk=classroom.pk).update(archived_at=timezone.now())

    response = teacher_client.get(restore_url(classroom))

    assert response.status_code == 405
    assert archived_at(classroom) is not None


@pytest.mark.parametrize(
    ("name", "method"),
    [("archive_class", "get"), ("archive_class", "post"), ("restore_class", "post")],
)
def test_who_is_refused(client, student, other_teacher, classroom, name, method):
    url = reverse(f"teaching:{name}", args=[classroom.pk])
    if name == "restore_class":
        Classroom.objects.filter(pk=classroom.pk).update(archived_at=timezone.now())
    before = archived_at(classroom)
    send = getattr(client, method)

    anonymous = send(url)
    client.force_login(student)
    as_student = send(url)
    client.force_login(other_teacher)
    as_other_teacher = send(url)

    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login") + "?next=")
    assert as_student.status_code == 403
    assert as_other_teacher.status_code == 404
    assert archived_at(classroom) == before


def test_the_archived_list_is_for_teachers_and_shows_only_their_own(
    client, student, other_teacher, classroom
):
    Classroom.objects.filter(pk=classroom.pk).update(archived_at=timezone.now())
    url = reverse("teaching:archived_classes")

    anonymous = client.get(url)
    client.force_login(student)
    as_student = client.get(url)
    client.force_login(other_teacher)
    as_other_teacher = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login") + "?next=")
    assert as_student.status_code == 403
    assert as_other_teacher.status_code == 200
    assert "9C 2025" not in as_other_teacher.content.decode()
    assert "You have no archived classes." in as_other_teacher.content.decode()
