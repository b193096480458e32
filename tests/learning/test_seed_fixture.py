"""The seed course: ten lessons from the explainer in fixtures/, with well-formed quizzes."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from learning.models import Course, Lesson
from quizzes.models import Choice, Question, QuestionKind, Quiz, validate_choices

EXPLAINER = Path(settings.BASE_DIR) / "fixtures" / "explainers" / "coalition-of-the-willing.txt"
WORD = re.compile(r"\w[\w'\u2019-]*")


@pytest.fixture
def seed_course(loaded_once, db):
    return Course.objects.get(slug="coalition-of-the-willing")


@pytest.fixture
def lessons(seed_course):
    return list(seed_course.lessons.order_by("position"))


@pytest.fixture
def questions(seed_course):
    return list(
        Question.objects.filter(quiz__lesson__course=seed_course)
        .select_related("quiz__lesson")
        .prefetch_related("choices")
        .order_by("quiz__lesson__position", "position")
    )


def explainer_lines():
    return EXPLAINER.read_text(encoding="utf-8").splitlines()


def test_the_explainer_copy_is_ten_plain_utf8_lines():
    data = EXPLAINER.read_bytes()

    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    assert len(explainer_lines()) == 10
    assert all(line.strip() for line in explainer_lines())


def test_one_published_course_with_the_explainer_as_source(seed_course):
    assert Course.objects.count() == 1
    assert seed_course.title == "The coalition of the willing"
    assert seed_course.published
    assert seed_course.source_text == EXPLAINER.read_text(encoding="utf-8")


def test_ten_lessons_hold_the_explainer_sections_in_order(lessons):
    assert [lesson.position for lesson in lessons] == list(range(1, 11))
    assert [lesson.source_text for lesson in lessons] == explainer_lines()
    assert all(lesson.published for lesson in lessons)


def test_each_lesson_has_title_summary_and_a_short_body(lessons):
    for lesson in lessons:
        assert lesson.title and len(lesson.title) <= 80, lesson
        assert lesson.summary.endswith((".", "?", "!")), lesson
        words = len(WORD.findall(lesson.body))
        assert 120 <= words <= 250, f"{lesson}: {words} words"


def test_each_lesson_has_three_to_five_key_points(lessons):
    for lesson in lessons:
        assert 3 <= len(lesson.key_point_list) <= 5, lesson


def test_each_lesson_has_a_quiz_of_at_least_six_questions(lessons, questions):
    assert Quiz.objects.filter(lesson__in=lessons).count() == 10
    for lesson in lessons:
        assert sum(q.quiz.lesson_id == lesson.pk for q in questions) >= 6, lesson


def test_every_question_has_four_choices_and_passes_validation(questions):
    for question in questions:
        choices = list(question.choices.all())
        assert len(choices) == 4, question
        assert sorted(c.position for c in choices) == [1, 2, 3, 4], question
        validate_choices(question.kind, [(c.text, c.is_correct) for c in choices])


def test_single_answer_questions_have_exactly_one_correct_choice(questions):
    for question in questions:
        if question.kind == QuestionKind.SINGLE:
            assert sum(c.is_correct for c in question.choices.all()) == 1, question


def test_at_least_three_select_all_questions_marked_as_such(questions):
    select_all = [q for q in questions if q.kind == QuestionKind.MULTIPLE]

    assert len(select_all) >= 3
    for question in select_all:
        assert "Select all that apply" in question.prompt, question


def test_every_question_explains_itself_from_its_lessons_section(questions):
    for question in questions:
        assert question.explanation.strip(), question
        assert question.source_passage, question
        assert question.source_passage in question.quiz.lesson.source_text, question


def test_no_choice_is_all_or_none_of_the_above(seed_course):
    texts = Choice.objects.filter(question__quiz__lesson__course=seed_course).values_list(
        "text", flat=True
    )

    for text in texts:
        assert "all of the above" not in text.lower(), text
        assert "none of the above" not in text.lower(), text


def test_choices_within_a_question_are_distinct(questions):
    for question in questions:
        texts = [c.text.strip().lower() for c in question.choices.all()]
        assert len(set(texts)) == 4, question


def test_loading_the_fixture_twice_creates_no_duplicates(seed_course):
    models = [Course, Lesson, Quiz, Question, Choice]
    before = [model.objects.count() for model in models]

    call_command("loaddata", "coalition_of_the_willing.json", verbosity=0)

    assert [model.objects.count() for model in models] == before


def test_load_seed_course_keeps_an_editors_changes(seed_course):
    Lesson.objects.filter(course=seed_course, position=1).update(title="Edited by an editor")

    call_command("load_seed_course", verbosity=0)

    assert seed_course.lessons.get(position=1).title == "Edited by an editor"
    assert Lesson.objects.count() == 10


def test_load_seed_course_loads_into_an_empty_database(seed_course):
    seed_course.delete()

    call_command("load_seed_course", verbosity=0)

    assert Course.objects.get().lessons.count() == 10


def test_fixture_lessons_pass_model_validation(lessons):
    for lesson in lessons:
        try:
            lesson.full_clean()
        except ValidationError as error:  # pragma: no cover - the message is the point
            pytest.fail(f"{lesson}: {error}")
