"""/teach/: each class with its student count, average completion and who needs attention."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from learning.models import LessonProgress
from teaching.models import Enrollment
from tests.factories import UserFactory
from tests.pages import row_for
from tests.teaching_data import make_class, make_course, take_quiz

HOME = "/teach/"


def test_home_is_the_documented_path():
    assert reverse("teaching:teach") == HOME


def test_teacher_without_classes_is_invited_to_create_one(teacher_client):
    response = teacher_client.get(HOME)

    assert response.status_code == 200
    assert "You have no classes yet" in response.content.decode()
    assert reverse("teaching:class_create") in response.content.decode()


def test_home_summarises_each_class(teacher_client, teacher):
    """Four students x two lessons: 2 lessons passed of 8 is 25% completion.

    passer passed both lessons; struggler attempted lesson 1 without passing;
    idle joined ten days ago and did nothing; newcomer joined today.
    """
    course, quizzes = make_course(lessons=2, questions=3)
    passer, struggler, idle, newcomer = (
        UserFactory(username=name) for name in ("passer", "struggler", "idle", "newcomer")
    )
    classroom = make_class(
        teachers=[teacher], courses=[course], students=[passer, struggler, idle, newcomer]
    )
    for quiz in quizzes:
        take_quiz(passer, quiz, right=3)
    take_quiz(struggler, quizzes[0], right=1)
    Enrollment.objects.filter(student=idle).update(joined_at=timezone.now() - timedelta(days=10))
    make_class(teachers=[teacher], courses=[course], name="Empty class")

    html = teacher_client.get(HOME).content.decode()

    row = row_for(html, "Year 9 History")
    assert row[1] == classroom.join_code
    assert row[2:] == ["4", "25%", "2 need attention"]
    assert row_for(html, "Empty class")[2:] == ["0", "0%", "None"]
    attention_link = reverse("teaching:class_grid", args=[classroom.pk]) + "?attention=on"
    assert attention_link in html


def test_a_student_inactive_for_seven_days_needs_attention(teacher_client, teacher, student):
    course, [quiz] = make_course(lessons=1)
    make_class(teachers=[teacher], courses=[course], students=[student])
    take_quiz(student, quiz, right=3)
    LessonProgress.objects.filter(user=student).update(
        last_activity_at=timezone.now() - timedelta(days=8)
    )

    row = row_for(teacher_client.get(HOME).content.decode(), "Year 9 History")

    assert row[2:] == ["1", "100%", "1 needs attention"]


def test_a_student_who_passed_after_failing_does_not_need_attention(
    teacher_client, teacher, student
):
    course, [quiz] = make_course(lessons=1)
    make_class(teachers=[teacher], courses=[course], students=[student])
    take_quiz(student, quiz, right=0)
    take_quiz(student, quiz, right=3)

    row = row_for(teacher_client.get(HOME).content.decode(), "Year 9 History")

    assert row[2:] == ["1", "100%", "None"]


def test_work_outside_the_class_courses_is_not_counted(teacher_client, teacher, student):
    course, [quiz] = make_course(lessons=1)
    _other_course, [other_quiz] = make_course(lessons=1)
    make_class(teachers=[teacher], courses=[course], students=[student])
    take_quiz(student, quiz, right=3)
    take_quiz(student, other_quiz, right=0)

    row = row_for(teacher_client.get(HOME).content.decode(), "Year 9 History")

    assert row[2:] == ["1", "100%", "None"]


def test_home_lists_only_the_teachers_own_classes(teacher_client, teacher, other_teacher):
    course, _ = make_course(lessons=1)
    make_class(teachers=[teacher], courses=[course], name="Mine")
    make_class(teachers=[other_teacher], courses=[course], name="Theirs")

    html = teacher_client.get(HOME).content.decode()

    assert "Mine" in html
    assert "Theirs" not in html


def test_lessons_of_an_unpublished_course_do_not_count(teacher_client, teacher, student):
    course, [quiz] = make_course(lessons=1)
    withdrawn, [withdrawn_quiz] = make_course(lessons=1)
    make_class(teachers=[teacher], courses=[course, withdrawn], students=[student])
    take_quiz(student, withdrawn_quiz, right=3)
    withdrawn.published = False
    withdrawn.save()

    row = row_for(teacher_client.get(HOME).content.decode(), "Year 9 History")

    assert row[2:4] == ["1", "0%"]
