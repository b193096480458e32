"""Who may see which /teach/ page: own classes only, 403 for students, login for visitors."""

import pytest
from django.urls import reverse

from teaching.models import Classroom
from tests.teaching_data import make_class, make_course, take_quiz


@pytest.fixture
def course_and_quiz(db):
    course, [quiz] = make_course(lessons=1, questions=3)
    return course, quiz


@pytest.fixture
def classroom(teacher, student, course_and_quiz):
    course, quiz = course_and_quiz
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])
    take_quiz(student, quiz, right=2)
    return classroom


def class_pages(classroom, student, quiz):
    """Every GET page of one class, by name."""
    return {
        "grid": reverse("teaching:class_grid", args=[classroom.pk]),
        "record": reverse("teaching:student_record", args=[classroom.pk, student.pk]),
        "csv": reverse("teaching:class_csv", args=[classroom.pk]),
        "edit": reverse("teaching:class_edit", args=[classroom.pk]),
        "stats": reverse("teaching:stats", args=[quiz.pk]) + f"?class={classroom.pk}",
    }


def class_actions(classroom, student):
    return {
        "regenerate": reverse("teaching:regenerate_code", args=[classroom.pk]),
        "remove": reverse("teaching:remove_student", args=[classroom.pk, student.pk]),
        "edit": reverse("teaching:class_edit", args=[classroom.pk]),
    }


PAGES = ["grid", "record", "csv", "edit", "stats"]
ACTIONS = ["regenerate", "remove", "edit"]


@pytest.mark.parametrize("page", PAGES)
def test_teacher_sees_own_class_pages(client, teacher, classroom, student, course_and_quiz, page):
    client.force_login(teacher)

    response = client.get(class_pages(classroom, student, course_and_quiz[1])[page])

    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_another_teachers_class_is_404(
    client, other_teacher, classroom, student, course_and_quiz, page
):
    # theo teaches a class on the same course, so only the class check can stop him.
    make_class(teachers=[other_teacher], courses=[course_and_quiz[0]], name="Theo's class")
    client.force_login(other_teacher)

    response = client.get(class_pages(classroom, student, course_and_quiz[1])[page])

    assert response.status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
def test_another_teacher_cannot_change_the_class(
    client, other_teacher, classroom, student, course_and_quiz, action
):
    client.force_login(other_teacher)
    code = classroom.join_code

    response = client.post(
        class_actions(classroom, student)[action],
        {"name": "Hijacked", "courses": [course_and_quiz[0].pk]},
    )

    assert response.status_code == 404
    classroom.refresh_from_db()
    assert (classroom.name, classroom.join_code) == ("Year 9 History", code)
    assert list(classroom.students.all()) == [student]


def test_a_student_not_in_the_class_has_no_record_there(client, teacher, classroom, other_student):
    client.force_login(teacher)

    response = client.get(reverse("teaching:student_record", args=[classroom.pk, other_student.pk]))

    assert response.status_code == 404


def test_a_student_of_another_class_is_not_reachable_through_mine(
    client, teacher, other_teacher, classroom, other_student, course_and_quiz
):
    theirs = make_class(
        teachers=[other_teacher], courses=[course_and_quiz[0]], students=[other_student]
    )
    client.force_login(teacher)

    mine = client.get(reverse("teaching:student_record", args=[classroom.pk, other_student.pk]))
    direct = client.get(reverse("teaching:student_record", args=[theirs.pk, other_student.pk]))

    assert (mine.status_code, direct.status_code) == (404, 404)


def teach_urls(classroom, student, quiz):
    return [
        reverse("teaching:teach"),
        reverse("teaching:class_create"),
        *class_pages(classroom, student, quiz).values(),
    ]


def test_students_get_403_on_every_teach_page(client, student, classroom, course_and_quiz):
    client.force_login(student)

    for url in teach_urls(classroom, student, course_and_quiz[1]):
        assert client.get(url).status_code == 403, url
    for url in class_actions(classroom, student).values():
        assert client.post(url).status_code == 403, url
    assert Classroom.objects.get().students.count() == 1


def test_students_cannot_create_a_class(client, student, course_and_quiz):
    client.force_login(student)

    response = client.post(
        reverse("teaching:class_create"), {"name": "Mine now", "courses": [course_and_quiz[0].pk]}
    )

    assert response.status_code == 403
    assert not Classroom.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, classroom, student, course_and_quiz):
    for url in teach_urls(classroom, student, course_and_quiz[1]):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login") + "?next="), url


def test_teach_link_is_offered_to_teachers_only(client, teacher, student):
    client.force_login(student)
    assert reverse("teaching:teach") not in client.get("/").content.decode()

    client.force_login(teacher)
    assert reverse("teaching:teach") in client.get("/").content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_staff_see_every_class(client, admin_user, classroom, student, course_and_quiz, page):
    client.force_login(admin_user)

    response = client.get(class_pages(classroom, student, course_and_quiz[1])[page])

    assert response.status_code == 200


def test_staff_home_lists_every_class(client, admin_user, classroom):
    client.force_login(admin_user)

    assert classroom.name in client.get(reverse("teaching:teach")).content.decode()
