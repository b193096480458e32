"""`manage.py check_questions [COURSE]`: each finding with its rule, and exit 1 if any."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Choice, Question, QuestionStatus
from tests.factories import CourseFactory, make_question
from tests.well_written import add_well_written, well_written_quiz


def run(*args):
    """(exit status, stdout, stderr) of the command."""
    out, err = StringIO(), StringIO()
    try:
        call_command("check_questions", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def clean_quiz(db):
    quiz = well_written_quiz()
    add_well_written(quiz, 1)
    return quiz


def test_a_clean_question_prints_nothing_and_exits_0(clean_quiz):
    assert run() == (0, "", "")


def test_a_bad_question_prints_its_rule_and_evidence_and_exits_1(clean_quiz):
    bad = make_question(clean_quiz, 2)
    Choice.objects.filter(question=bad, position=4).update(text="None of the above")
    lesson = clean_quiz.lesson

    status, out, err = run()

    assert status == 1
    where = f"{lesson.course.slug} / lesson {lesson.position} '{lesson.title}', Q2:"
    lines = out.splitlines()
    assert all(line.startswith(where) for line in lines)
    assert f"{where} ERROR rule 6 (of-the-above): 'None of the above'" in out
    assert f"{where} rule 7 (explanation):" in out
    assert "Q1:" not in out
    assert err.strip() == f"{len(lines)} findings."


def test_drafts_are_checked_and_retired_questions_are_not(clean_quiz):
    draft = make_question(clean_quiz, 2)
    Question.objects.filter(pk=draft.pk).update(status=QuestionStatus.DRAFT)
    status, out, _ = run()
    assert status == 1 and "Q2:" in out

    Question.objects.filter(pk=draft.pk).update(status=QuestionStatus.RETIRED)
    assert run() == (0, "", "")


def test_a_course_slug_checks_that_course_only(clean_quiz):
    other = well_written_quiz()
    make_question(other, 1)

    assert run(clean_quiz.lesson.course.slug) == (0, "", "")
    status, out, _ = run(other.lesson.course.slug)
    assert status == 1
    lines = out.splitlines()
    assert lines and all(line.startswith(f"{other.lesson.course.slug} /") for line in lines)


def test_a_course_without_quizzes_is_clean(db):
    course = CourseFactory(slug="no-quizzes")

    assert run(course.slug) == (0, "", "")


def test_an_unknown_course_is_an_error(db):
    with pytest.raises(CommandError, match="No course has the slug 'no-such-course'."):
        call_command("check_questions", "no-such-course", stdout=StringIO())
