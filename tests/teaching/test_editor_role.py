"""Teachers who edit: the Editors group reaches the content admin and nothing about
people; the admin grants the teacher and editor roles; only editors see Edit links;
staff status alone never shows a teacher's students."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from teaching.roles import EDITORS_GROUP, TEACHERS_GROUP, is_editor, is_teacher
from tests.conftest import make_user
from tests.teaching_data import make_class, make_course, take_quiz


@pytest.fixture
def editor(db):
    user = make_user("edith", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


CONTENT = [
    "admin:learning_course_changelist",
    "admin:learning_lesson_changelist",
    "admin:quizzes_quiz_changelist",
    "admin:quizzes_question_changelist",
    "admin:learning_course_import",
]
PEOPLE = [
    "admin:auth_user_changelist",
    "admin:auth_group_changelist",
    "admin:teaching_classroom_changelist",
    "admin:quizzes_attempt_changelist",
    "admin:learning_lessonprogress_changelist",
]


@pytest.mark.parametrize("name", CONTENT)
def test_an_editor_reaches_the_content_admin(client, editor, name):
    client.force_login(editor)

    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PEOPLE)
def test_an_editor_never_reaches_people_or_their_work(client, editor, name):
    client.force_login(editor)

    assert client.get(reverse(name)).status_code == 403


def test_the_admin_index_offers_an_editor_content_only(client, editor):
    client.force_login(editor)

    page = client.get(reverse("admin:index")).content.decode()

    assert "Courses" in page and "Questions" in page
    assert "Users" not in page and "Groups" not in page and "Classes" not in page


@pytest.fixture
def classes(teacher, other_teacher, student, other_student):
    course, [quiz] = make_course(lessons=1, questions=3)
    own = make_class(name="Own class", teachers=[teacher], courses=[course], students=[student])
    other = make_class(
        name="Other class", teachers=[other_teacher], courses=[course], students=[other_student]
    )
    take_quiz(student, quiz, right=3)
    take_quiz(other_student, quiz, right=1)
    return own, other, quiz


def test_staff_status_alone_shows_no_class(client, editor, classes):
    own, other, quiz = classes
    client.force_login(editor)

    assert not is_teacher(editor)
    assert client.get(reverse("teaching:teach")).status_code == 403
    assert client.get(reverse("teaching:class_grid", args=[other.pk])).status_code == 403


def test_a_teacher_who_edits_sees_only_their_own_classes(client, teacher, classes):
    own, other, quiz = classes
    teacher.is_staff = True
    teacher.save()
    teacher.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(teacher)

    home = client.get(reverse("teaching:teach")).content.decode()

    assert "Own class" in home and "Other class" not in home
    assert client.get(reverse("teaching:class_grid", args=[other.pk])).status_code == 404
    stats = client.get(reverse("teaching:stats", args=[quiz.pk])).content.decode()
    assert 'value="">Everyone' not in stats
    # Without a class chosen, the figures are this teacher's class's only: one
    # student, who answered every question right (the other class's scored 1 of 3).
    assert "Own class" in stats and "Other class" not in stats
    assert "Mean score</dt><dd" in stats and ">100.0%<" in stats


def stats_page(client, user, quiz):
    client.force_login(user)
    return client.get(reverse("teaching:stats", args=[quiz.pk])).content.decode()


def test_edit_links_are_shown_to_teachers_who_edit_only(client, teacher, classes):
    own, other, quiz = classes
    question = quiz.questions.first()
    edit = reverse("admin:quizzes_question_change", args=[question.pk])

    assert edit not in stats_page(client, teacher, quiz)
    assert "Edit this quiz" not in stats_page(client, teacher, quiz)

    teacher.is_staff = True
    teacher.save()
    teacher.groups.add(Group.objects.get(name=EDITORS_GROUP))
    teacher = User.objects.get(pk=teacher.pk)  # permissions are cached per user object
    page = stats_page(client, teacher, quiz)
    assert edit in page
    assert reverse("admin:quizzes_quiz_change", args=[quiz.pk]) in page
    assert client.get(edit).status_code == 200


def user_form(user, **roles):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "10:00:00",
    }
    data.update({name: "on" for name, on in roles.items() if on})
    return data


def test_an_admin_grants_and_withdraws_both_roles_in_the_user_admin(admin_client, student):
    url = reverse("admin:auth_user_change", args=[student.pk])
    assert 'name="teacher"' in admin_client.get(url).content.decode()

    response = admin_client.post(url, user_form(student, teacher=True, editor=True))

    assert response.status_code == 302, response.content.decode()[:2000]
    student = User.objects.get(pk=student.pk)
    assert set(student.groups.values_list("name", flat=True)) == {TEACHERS_GROUP, EDITORS_GROUP}
    assert student.is_staff and is_teacher(student) and is_editor(student)

    admin_client.post(url, user_form(student, teacher=True, editor=False))

    student = User.objects.get(pk=student.pk)
    assert list(student.groups.values_list("name", flat=True)) == [TEACHERS_GROUP]
    assert not student.is_staff and not is_editor(student)


def test_the_user_list_shows_roles_and_makes_teachers_and_editors(admin_client, student):
    url = reverse("admin:auth_user_changelist")

    admin_client.post(url, {"action": "make_editors", "_selected_action": [student.pk]})
    admin_client.post(url, {"action": "make_teachers", "_selected_action": [student.pk]})

    student = User.objects.get(pk=student.pk)
    assert student.is_staff and is_editor(student) and is_teacher(student)
    page = admin_client.get(url).content.decode()
    assert f"{EDITORS_GROUP}, {TEACHERS_GROUP}" in page
