"""The rules content must keep, held by `validate_choices` and by database constraints."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from learning.models import Lesson
from quizzes.models import Choice, QuestionKind, validate_choices
from tests.factories import ChoiceFactory, LessonFactory, QuestionFactory

SINGLE, MULTIPLE = QuestionKind.SINGLE, QuestionKind.MULTIPLE


def messages(kind, choices):
    with pytest.raises(ValidationError) as error:
        validate_choices(kind, choices)
    return error.value.messages


def test_single_answer_with_exactly_one_correct_choice_is_valid():
    validate_choices(SINGLE, [("Kyiv", True), ("Lviv", False), ("Odesa", False)])


def test_single_answer_with_no_correct_choice_is_refused():
    assert messages(SINGLE, [("Kyiv", False), ("Lviv", False)]) == [
        "A single-answer question needs exactly one correct choice; it has 0."
    ]


def test_single_answer_with_two_correct_choices_is_refused():
    assert messages(SINGLE, [("Kyiv", True), ("Lviv", True), ("Odesa", False)]) == [
        "A single-answer question needs exactly one correct choice; it has 2."
    ]


def test_multiple_answer_with_several_correct_choices_is_valid():
    validate_choices(MULTIPLE, [("Troops", True), ("Equipment", True), ("Money", False)])


def test_multiple_answer_with_no_correct_choice_is_refused():
    assert messages(MULTIPLE, [("Troops", False), ("Equipment", False)]) == [
        "A select-all-that-apply question needs at least one correct choice."
    ]


@pytest.mark.parametrize("kind", [SINGLE, MULTIPLE])
def test_fewer_than_two_choices_is_refused(kind):
    assert "A question needs at least two choices." in messages(kind, [("Only one", True)])
    assert "A question needs at least two choices." in messages(kind, [])


def test_every_broken_rule_is_reported_at_once():
    assert messages(SINGLE, [("Only one", False)]) == [
        "A question needs at least two choices.",
        "A single-answer question needs exactly one correct choice; it has 0.",
    ]


# Database constraints, and model validation reporting them before the database does.


def test_duplicate_lesson_position_in_a_course_is_an_integrity_error(db):
    lesson = LessonFactory(position=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Lesson.objects.create(course=lesson.course, position=1, title="Again", slug="again")


def test_duplicate_lesson_position_is_a_validation_error_in_full_clean(db):
    lesson = LessonFactory(position=1)
    twin = Lesson(course=lesson.course, position=1, title="Again", slug="again", body="Text.")

    with pytest.raises(ValidationError) as error:
        twin.full_clean()

    assert "Lesson with this Course and Position already exists." in str(error.value)


def test_same_lesson_position_in_another_course_is_fine(db):
    LessonFactory(position=1)
    other = LessonFactory.build(course=LessonFactory(position=2).course, position=1)
    other.full_clean()


def test_lesson_position_zero_is_refused(db):
    lesson = LessonFactory.build(course=LessonFactory().course, position=0)

    with pytest.raises(ValidationError):
        lesson.full_clean()


def test_duplicate_choice_position_in_a_question_is_an_integrity_error(db):
    choice = ChoiceFactory(position=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Choice.objects.create(question=choice.question, position=1, text="Again")


def test_duplicate_question_position_in_a_quiz_is_a_validation_error(db):
    question = QuestionFactory(position=1)
    twin = QuestionFactory.build(quiz=question.quiz, position=1)

    with pytest.raises(ValidationError):
        twin.full_clean()
