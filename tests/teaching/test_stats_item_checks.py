"""The statistics page beside each question: what the item checks find, and how many of
learners' reports about it are still open."""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import QuestionReport
from tests.factories import make_question
from tests.pages import visible_text
from tests.teaching_data import make_class, take_quiz
from tests.well_written import add_well_written, well_written_quiz


@pytest.fixture
def quiz(db):
    """Q1 clean; Q2 with two findings (its source passage and its explanation)."""
    quiz = well_written_quiz()
    add_well_written(quiz, 1)
    make_question(quiz, 2)
    return quiz


@pytest.fixture
def taken(quiz, teacher, student, other_student):
    """A class of alice and bob, who each submitted the quiz once."""
    make_class(teachers=[teacher], courses=[quiz.lesson.course], students=[student, other_student])
    return [take_quiz(student, quiz, right=1), take_quiz(other_student, quiz, right=2)]


def stats_text(client, quiz):
    response = client.get(reverse("teaching:stats", args=[quiz.pk]))
    return unescape(visible_text(response, status=200))


def question_part(text, position):
    """The text of question `position`'s card."""
    part = text.split(f"Q{position}. ")[1]
    return part.split(f"Q{position + 1}. ")[0]


def report(user, attempt, question, *, resolved=False):
    return QuestionReport.objects.create(
        user=user,
        attempt=attempt,
        question=question,
        reason="typo",
        resolved_at=timezone.now() if resolved else None,
    )


def test_each_question_shows_its_item_check_findings(teacher_client, quiz, taken):
    text = stats_text(teacher_client, quiz)

    clean, flawed = question_part(text, 1), question_part(text, 2)
    assert "Item checks: no findings" in clean
    assert "Rule" not in clean
    assert "Item checks: 2 findings" in flawed
    assert "Rule 1: The source passage 'The section, verbatim.' is not in the lesson's" in flawed
    assert "Rule 7: The explanation does not point to a sentence of the section" in flawed


def test_each_question_counts_its_open_reports_only(
    teacher_client, quiz, taken, student, other_student
):
    first, second = quiz.questions.order_by("position")
    report(student, taken[0], second)
    report(other_student, taken[1], second)
    report(student, taken[0], first, resolved=True)

    text = stats_text(teacher_client, quiz)

    assert "Open reports from learners: 0" in question_part(text, 1)
    assert "Open reports from learners: 2" in question_part(text, 2)
    assert "Learners have 2 open reports of a problem with these questions." in text


def test_no_open_reports_means_no_notice(teacher_client, quiz, taken, student):
    report(student, taken[0], quiz.questions.get(position=1), resolved=True)

    text = stats_text(teacher_client, quiz)

    assert "Learners have" not in text
    assert "Open reports from learners: 0" in question_part(text, 1)


def test_staff_see_the_findings_and_reports_too(client, admin_user, quiz, taken, student):
    report(student, taken[0], quiz.questions.get(position=2))
    client.force_login(admin_user)

    text = stats_text(client, quiz)

    assert "Learners have 1 open report of a problem with these questions." in text
    assert "Item checks: 2 findings · Open reports from learners: 1" in question_part(text, 2)
