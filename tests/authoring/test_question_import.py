"""Questions from files into a lesson's quiz: drafts unless approved, all or nothing."""

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Question, QuestionOrigin, QuestionStatus
from tests.authoring.test_formats import GIFT
from tests.factories import LessonFactory


@pytest.fixture
def lesson(db):
    return LessonFactory(source_text="Britain and France lead the coalition.")


def run(tmp_path, text, lesson, *args):
    path = tmp_path / "bank.txt"
    path.write_text(text, encoding="utf-8")
    call_command(
        "import_questions",
        str(path),
        "--course",
        lesson.course.slug,
        "--lesson",
        str(lesson.position),
        *args,
    )


GOOD = """::One:: Which countries lead it? {=Britain and France ~Germany ~Italy}

::Two::[html] Which <b>one</b> is &amp; right? {=Yes &amp; no ~Maybe ~Never}

Write an essay. {}
"""


def test_a_file_becomes_draft_questions_with_its_feedback_and_the_rest_listed(
    tmp_path, lesson, capsys
):
    run(tmp_path, GOOD, lesson)

    output = capsys.readouterr().out
    one, two = Question.objects.order_by("position")
    assert (one.status, one.origin) == (QuestionStatus.DRAFT, QuestionOrigin.IMPORTED)
    assert [c.text for c in one.choices.order_by("position")] == [
        "Britain and France",
        "Germany",
        "Italy",
    ]
    assert two.prompt == "Which one is & right?"  # HTML cleaned to the text it shows
    assert "2 questions to import, 1 that cannot be imported" in output
    assert "not imported: Line 5: an essay question" in output


def test_approve_on_import_and_a_dry_run(tmp_path, lesson, capsys):
    run(tmp_path, GOOD, lesson, "--dry-run")
    assert not Question.objects.exists()
    assert "Dry run: nothing was written." in capsys.readouterr().out

    run(tmp_path, GOOD, lesson, "--approve")
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.APPROVED}


def test_a_malformed_entry_imports_nothing_and_names_its_line(tmp_path, lesson):
    with pytest.raises(
        CommandError, match=r"Nothing was imported: Line 31 \(“Broken”\): the answers"
    ):
        run(tmp_path, GIFT, lesson)

    assert not Question.objects.exists()


def test_unknown_formats_and_lessons_are_refused(tmp_path, lesson):
    with pytest.raises(CommandError, match="could not be recognised"):
        run(tmp_path, "Just prose.", lesson)
    with pytest.raises(CommandError, match="No lesson 9"):
        call_command("import_questions", "x", "--course", lesson.course.slug, "--lesson", "9")


def test_the_import_limits_apply(tmp_path, lesson):
    many = "\n\n".join(f"Question {n}? {{=yes ~no}}" for n in range(501))
    with pytest.raises(CommandError, match="at most 500 can be imported"):
        run(tmp_path, many, lesson)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 600_000)
    with pytest.raises(CommandError, match="at most 500 KB"):
        call_command(
            "import_questions",
            str(big),
            "--course",
            lesson.course.slug,
            "--lesson",
            str(lesson.position),
        )
    assert not Question.objects.exists()


def test_html_and_markdown_texts_are_stored_as_their_plain_text(db):
    from authoring.question_import import plain

    assert plain("<p>Which <b>one</b> &amp; <script>x()</script>why?</p>", "html") == (
        "Which one & why?"
    )
    assert plain("Which are **risks** of `deploying`?", "markdown") == (
        "Which are risks of deploying?"
    )
    assert plain("  Plain <b>stays</b> as typed ", "plain") == "Plain <b>stays</b> as typed"


MALFORMED = {
    "gift": ("Good? {=Yes ~No}\n\nBroken? {=Yes ~No\n", "Line 3"),
    "aiken": ("Good?\nA. Yes\nB. No\nANSWER: A\n\nBroken?\nA. Yes\nB. No\nANSWER: C\n", "Line 9"),
    "moodle-xml": (
        "<?xml version='1.0'?>\n<quiz>\n<question type='multichoice'>\n</quiz>\n",
        "Line 4",
    ),
    "csv": (
        "prompt,kind,choice_a,choice_b,correct\nGood?,single,Yes,No,A\nBroken?,single,Yes,No,D\n",
        "Line 3",
    ),
}


@pytest.mark.parametrize("fmt", sorted(MALFORMED))
def test_each_malformed_sample_is_refused_with_its_line_and_writes_nothing(tmp_path, lesson, fmt):
    text, line = MALFORMED[fmt]
    before = Question.objects.count()

    with pytest.raises(CommandError, match=rf"{line}\b"):
        run(tmp_path, text, lesson, "--format", fmt)

    assert Question.objects.count() == before == 0
