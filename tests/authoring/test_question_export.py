"""Exporting a course's questions, and reading them back in."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from authoring.formats import aiken, csv_format, gift, moodle_xml
from quizzes.models import QuestionKind, QuestionStatus
from tests.factories import ChoiceFactory, LessonFactory, QuestionFactory, QuizFactory


@pytest.fixture
def course(db):
    lesson = LessonFactory()
    quiz = QuizFactory(lesson=lesson)
    single = QuestionFactory(quiz=quiz, prompt="Who leads: {UK} = France?", explanation="Why.")
    ChoiceFactory(question=single, text="Britain & France", is_correct=True, feedback="Yes")
    ChoiceFactory(question=single, text="Germany", is_correct=False)
    several = QuestionFactory(quiz=quiz, prompt="Which risks?", kind=QuestionKind.MULTIPLE)
    ChoiceFactory(question=several, text="Escalation", is_correct=True)
    ChoiceFactory(question=several, text="Casualties", is_correct=True)
    ChoiceFactory(question=several, text="Cheap oil", is_correct=False)
    retired = QuestionFactory(quiz=quiz, prompt="Old one?", status=QuestionStatus.RETIRED)
    ChoiceFactory(question=retired, text="a", is_correct=True)
    ChoiceFactory(question=retired, text="b", is_correct=False)
    return lesson.course


def export(course, fmt):
    out, err = StringIO(), StringIO()
    call_command("export_questions", course.slug, "--format", fmt, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "fmt, module", [("gift", gift), ("moodle-xml", moodle_xml), ("csv", csv_format)]
)
def test_every_question_in_use_comes_back_whole(course, fmt, module):
    text, _ = export(course, fmt)

    parsed = module.parse(text)
    assert [(q.prompt, q.kind) for q in parsed.questions] == [
        ("Who leads: {UK} = France?", "single"),
        ("Which risks?", "multiple"),
    ]
    assert [(c.text, c.correct) for c in parsed.questions[0].choices] == [
        ("Britain & France", True),
        ("Germany", False),
    ]
    assert not parsed.skipped


def test_aiken_holds_the_single_answer_question_and_lists_the_other(course):
    text, err = export(course, "aiken")

    assert [q.prompt for q in aiken.parse(text).questions] == ["Who leads: {UK} = France?"]
    assert "Not exported: question 2: Aiken holds single-answer questions only" in err


def test_an_unknown_course_is_refused(db):
    with pytest.raises(CommandError, match="No course with the slug 'nope'"):
        call_command("export_questions", "nope", "--format", "gift")
