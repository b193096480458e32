"""/teach/quizzes/<id>/stats/: question statistics over a class's attempts."""

import pytest
from django.urls import reverse

from teaching.roles import editors_group
from tests.factories import UserFactory
from tests.pages import table_rows, visible_text
from tests.teaching_data import make_class, make_course, take_quiz


@pytest.fixture
def course_and_quiz(db):
    course, [quiz] = make_course(lessons=1, questions=4)
    return course, quiz


@pytest.fixture
def classroom(teacher, student, other_student, course_and_quiz):
    """alice: 25% then 100%; bob: 100%; carol, not in the class: 0%.

    Each attempt answers its first questions right and picks choice 2
    (or choice 3 for the select-all question 4) for the others."""
    course, quiz = course_and_quiz
    classroom = make_class(
        teachers=[teacher], courses=[course], students=[student, other_student], name="9B"
    )
    take_quiz(student, quiz, right=1)
    take_quiz(student, quiz, right=4)
    take_quiz(other_student, quiz, right=4)
    take_quiz(UserFactory(username="carol"), quiz, right=0)
    return classroom


def stats_url(quiz, query=""):
    return reverse("teaching:stats", args=[quiz.pk]) + query


def summary(text):
    """'Attempts counted 2 Mean score 62.5% ...' -> the part up to the questions."""
    return text.split("Attempts counted ")[1].split(" Questions ")[0]


def test_stats_url_is_the_documented_path(course_and_quiz):
    quiz = course_and_quiz[1]

    assert stats_url(quiz) == f"/teach/quizzes/{quiz.pk}/stats/"


def test_first_attempts_of_the_class_by_default(client, teacher, classroom, course_and_quiz):
    """alice's first (25) and bob's (100): mean 62.5, one of two passed."""
    client.force_login(teacher)

    text = visible_text(client.get(stats_url(course_and_quiz[1])).content.decode())

    assert summary(text).startswith("2 Mean score 62.5% Median score 62.5%")
    assert "Pass rate 50%" in text
    assert "Only 2 attempts: too few to judge" in text


def test_all_attempts_on_request(client, teacher, classroom, course_and_quiz):
    """25, 100 and 100: mean 75, two of three passed."""
    client.force_login(teacher)

    text = visible_text(client.get(stats_url(course_and_quiz[1], "?attempts=all")).content.decode())

    assert summary(text).startswith("3 Mean score 75.0% Median score 100.0%")
    assert "Pass rate 67%" in text


def test_staff_see_everyone_by_default(client, admin_user, classroom, course_and_quiz):
    """alice's first (25), bob (100) and carol (0), who is in no class: mean 41.7."""
    client.force_login(admin_user)

    text = visible_text(client.get(stats_url(course_and_quiz[1])).content.decode())

    assert summary(text).startswith("3 Mean score 41.7%")


def test_staff_may_narrow_to_a_class(client, admin_user, classroom, course_and_quiz):
    client.force_login(admin_user)

    text = visible_text(
        client.get(stats_url(course_and_quiz[1], f"?class={classroom.pk}")).content.decode()
    )

    assert summary(text).startswith("2 Mean score 62.5%")


def test_each_choice_shows_how_many_picked_it(client, teacher, classroom, course_and_quiz):
    """First attempts: alice got Q1 right, Q2 wrong (choice 2); bob got both right."""
    client.force_login(teacher)

    rows = table_rows(client.get(stats_url(course_and_quiz[1])).content.decode())

    picked = {row[0]: row[1] for row in rows if row[0].startswith(("Q1 ", "Q2 "))}
    assert picked == {
        "Q1 choice 1 Correct": "2",
        "Q1 choice 2": "0",
        "Q1 choice 3": "0",
        "Q1 choice 4": "0",
        "Q2 choice 1 Correct": "1",
        "Q2 choice 2": "1",
        "Q2 choice 3": "0",
        "Q2 choice 4": "0",
    }


def test_a_question_everyone_gets_right_is_flagged_for_review(
    client, teacher, classroom, course_and_quiz
):
    client.force_login(teacher)

    text = visible_text(client.get(stats_url(course_and_quiz[1])).content.decode())

    q1 = text.split("Q1. ")[1].split("Q2. ")[0]
    q2 = text.split("Q2. ")[1].split("Q3. ")[0]
    assert "Facility: 100%" in q1
    assert "Review very easy" in q1
    assert "Facility: 50% · Discrimination: 1.00" in q2
    assert "Review" not in q2


def test_each_question_links_to_its_admin_page_for_a_teacher_who_edits(
    client, teacher, classroom, course_and_quiz
):
    # Teachers who are not editors see no link they cannot use (tests/teaching/test_editor_role).
    teacher.is_staff = True
    teacher.save()
    teacher.groups.add(editors_group())
    client.force_login(teacher)

    html = client.get(stats_url(course_and_quiz[1])).content.decode()

    for question in course_and_quiz[1].questions.all():
        assert reverse("admin:quizzes_question_change", args=[question.pk]) in html


def test_a_quiz_nobody_has_taken(client, teacher, course_and_quiz):
    make_class(teachers=[teacher], courses=[course_and_quiz[0]], name="Quiet class")
    client.force_login(teacher)

    text = visible_text(client.get(stats_url(course_and_quiz[1])).content.decode())

    assert "No submitted attempts yet in Quiet class." in text


def test_teacher_chooses_among_their_classes(
    client, teacher, classroom, course_and_quiz, other_teacher
):
    carol_class = make_class(
        teachers=[teacher],
        courses=[course_and_quiz[0]],
        students=[classroom.students.model.objects.get(username="carol")],
        name="9C",
    )
    client.force_login(teacher)

    text = visible_text(
        client.get(stats_url(course_and_quiz[1], f"?class={carol_class.pk}")).content.decode()
    )

    assert summary(text).startswith("1 Mean score 0.0%")


def test_teacher_with_no_class_following_the_course_gets_404(
    client, other_teacher, classroom, course_and_quiz
):
    other_course, _ = make_course(lessons=1)
    make_class(teachers=[other_teacher], courses=[other_course])
    client.force_login(other_teacher)

    assert client.get(stats_url(course_and_quiz[1])).status_code == 404


@pytest.mark.parametrize("value", ["other", "abc", "999999"])
def test_a_class_not_among_the_teachers_is_404(
    client, teacher, other_teacher, classroom, course_and_quiz, value
):
    theirs = make_class(teachers=[other_teacher], courses=[course_and_quiz[0]], name="Theirs")
    client.force_login(teacher)

    class_id = theirs.pk if value == "other" else value
    response = client.get(stats_url(course_and_quiz[1], f"?class={class_id}"))

    assert response.status_code == 404


def test_unknown_quiz_is_404(client, teacher):
    client.force_login(teacher)

    assert client.get(stats_url_for_pk(999999)).status_code == 404


def stats_url_for_pk(pk):
    return reverse("teaching:stats", args=[pk])
