"""`manage.py import_explainer`: an explainer file becomes a course, once."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from authoring.parsing import split_sentences
from learning.models import Course, Lesson, LessonProgress
from quizzes.models import Question, QuestionStatus

SEED_EXPLAINER = (
    Path(settings.BASE_DIR) / "fixtures" / "explainers" / "coalition-of-the-willing.txt"
)

PLAIN = (
    "Harbour towns along the coast are rebuilding their sea walls after the storms. "
    "The work is paid for by a regional fund.\n"
    "Engineers say the new walls will stand two metres higher. They will take three years.\n"
    "Some residents worry that the walls will block the view of the sea.\n"
)

MARKDOWN = (
    "\ufeff# Rebuilding the sea walls\r\n"
    "\r\n"
    "## Why the towns are building\r\n"
    "\r\n"
    "Harbour towns along the coast are rebuilding their sea walls  \r\n"
    "after the winter storms. The work is paid for by a regional fund.\r\n"
    "\r\n"
    "## What engineers plan\r\n"
    "\r\n"
    "Engineers say the new walls will stand two metres higher.\r\n"
    "\r\n"
    "## The \u201cview\u201d question\r\n"
    "\r\n"
    "Some residents worry the walls will block the view: \u201cWe came for the sea.\u201d "
    "Others welcome the safety.\r\n"
)


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def run(path, *args):
    out = StringIO()
    call_command("import_explainer", str(path), *args, stdout=out)
    return out.getvalue()


def counts():
    return Course.objects.count(), Lesson.objects.count(), LessonProgress.objects.count()


def test_plain_paragraphs_become_one_lesson_each(db, tmp_path):
    path = write(tmp_path, "sea-walls.txt", PLAIN)

    run(path)

    course = Course.objects.get()
    lessons = list(course.lessons.order_by("position"))
    assert course.title == "Sea walls"  # from the file's name: no heading to use
    assert course.slug == "sea-walls"
    assert course.published is False
    assert [lesson.position for lesson in lessons] == [1, 2, 3]
    sentences = [split_sentences(line) for line in PLAIN.strip().split("\n")]
    # Topic titles, never a sentence cut off mid-way.
    for lesson, own in zip(lessons, sentences, strict=True):
        assert "\u2026" not in lesson.title and len(lesson.title.split()) <= 8
        assert not any(s.startswith(lesson.title.rstrip("?")) for s in own)
    assert len({lesson.title for lesson in lessons}) == 3
    assert [lesson.source_text for lesson in lessons] == PLAIN.strip().split("\n")
    # The summary is one sentence; the key points are the section's other sentences.
    assert lessons[1].summary == "They will take three years."
    assert lessons[1].key_point_list == [
        "Engineers say the new walls will stand two metres higher."
    ]


def test_markdown_explainer_with_bom_and_crlf_uses_its_headings(db, tmp_path):
    path = write(tmp_path, "3f9a1c.md", MARKDOWN)

    run(path)

    course = Course.objects.get()
    assert course.title == "Rebuilding the sea walls"
    assert course.slug == "rebuilding-the-sea-walls"
    assert [(lesson.title, lesson.slug) for lesson in course.lessons.order_by("position")] == [
        ("Why the towns are building", "why-the-towns-are-building"),
        ("What engineers plan", "what-engineers-plan"),
        ("The \u201cview\u201d question", "the-view-question"),
    ]
    first, _, last = course.lessons.order_by("position")
    assert first.source_text == (
        "Harbour towns along the coast are rebuilding their sea walls\n"
        "after the winter storms. The work is paid for by a regional fund."
    )
    assert last.summary == "Others welcome the safety."
    assert last.key_point_list == [
        "Some residents worry the walls will block the view: \u201cWe came for the sea.\u201d",
    ]
    assert "\r" not in course.source_text and "\ufeff" not in course.source_text


def test_the_seed_explainer_imports_as_ten_lessons_in_order(db):
    run(SEED_EXPLAINER, "--slug", "seed-copy")

    course = Course.objects.get(slug="seed-copy")
    lines = SEED_EXPLAINER.read_text(encoding="utf-8").splitlines()
    assert list(course.lessons.order_by("position").values_list("source_text", flat=True)) == lines
    assert course.title == "Coalition of the willing"


def test_title_and_slug_options(db, tmp_path):
    path = write(tmp_path, "sea-walls.txt", PLAIN)

    run(path, "--title", "Walls against the sea", "--slug", "walls")

    course = Course.objects.get()
    assert (course.title, course.slug, course.published) == (
        "Walls against the sea",
        "walls",
        False,
    )


def test_publish_waits_until_every_lesson_can_offer_its_quiz(db):
    output = run(SEED_EXPLAINER, "--slug", "seed-copy", "--publish")

    course = Course.objects.get(slug="seed-copy")
    assert course.published is False
    assert not course.lessons.filter(published=True).exists()
    assert "Not published yet:" in output
    assert "Lesson 1 (" in output and "0 approved questions; one attempt needs 5" in output

    # Once an editor has approved the drafts, the same command publishes it all.
    Question.objects.filter(quiz__lesson__course=course).update(status=QuestionStatus.APPROVED)
    output = run(SEED_EXPLAINER, "--slug", "seed-copy", "--publish")

    course.refresh_from_db()
    assert course.published is True
    assert set(course.lessons.values_list("published", flat=True)) == {True}
    assert "Not published yet" not in output


def test_invalid_slug_option_is_refused_and_writes_nothing(db, tmp_path):
    path = write(tmp_path, "sea-walls.txt", PLAIN)

    with pytest.raises(CommandError, match="not a valid slug"):
        run(path, "--slug", "Not A Slug!")

    assert counts() == (0, 0, 0)


def test_reimport_creates_no_duplicates(db, tmp_path):
    path = write(tmp_path, "sea-walls.txt", PLAIN)
    run(path)
    before = counts()

    output = run(path)

    assert counts() == before
    assert "0 lessons created, 0 updated, 3 unchanged" in output


def test_reimport_keeps_learner_progress(student, tmp_path):
    path = write(tmp_path, "sea-walls.txt", PLAIN)
    run(path)
    lesson = Lesson.objects.get(position=2)
    LessonProgress.objects.create(user=student, lesson=lesson, attempts_submitted=2)
    changed = write(tmp_path, "sea-walls.txt", PLAIN.replace("two metres", "three metres"))

    run(changed)

    progress = LessonProgress.objects.get()
    assert progress.lesson_id == lesson.pk
    assert progress.attempts_submitted == 2
    lesson.refresh_from_db()
    assert "three metres" in lesson.source_text  # updated in place, same row
    assert Lesson.objects.count() == 3


def test_reimport_keeps_an_editors_change_to_an_unchanged_lesson(db, tmp_path):
    path = write(tmp_path, "sea-walls.txt", PLAIN)
    run(path)
    Lesson.objects.filter(position=1).update(title="Edited title", body="An editor's body.")

    run(path)

    lesson = Lesson.objects.get(position=1)
    assert (lesson.title, lesson.body) == ("Edited title", "An editor's body.")


def test_reimport_with_fewer_sections_unpublishes_and_never_deletes(student, tmp_path):
    path = write(tmp_path, "sea-walls.txt", PLAIN)
    run(path)
    Course.objects.update(published=True)
    Lesson.objects.update(published=True)
    LessonProgress.objects.create(user=student, lesson=Lesson.objects.get(position=3))
    shorter = write(tmp_path, "sea-walls.txt", "\n".join(PLAIN.splitlines()[:2]))

    output = run(shorter)

    assert Lesson.objects.count() == 3
    assert LessonProgress.objects.count() == 1
    assert Lesson.objects.get(position=3).published is False
    assert "1 unpublished" in output


def test_importing_the_seed_explainer_over_the_seed_course_changes_no_lesson(seed_course):
    before = {lesson.pk: (lesson.title, lesson.body) for lesson in seed_course.lessons.all()}

    output = run(SEED_EXPLAINER, "--slug", seed_course.slug)

    after = {lesson.pk: (lesson.title, lesson.body) for lesson in seed_course.lessons.all()}
    assert after == before
    assert "0 lessons created, 0 updated, 10 unchanged" in output


def test_dry_run_prints_the_sections_and_writes_nothing(db, tmp_path):
    path = write(tmp_path, "x.md", MARKDOWN)

    output = run(path, "--dry-run")

    assert counts() == (0, 0, 0)
    assert "Would import new course 'Rebuilding the sea walls'" in output
    assert "1. Why the towns are building" in output
    assert "3. The \u201cview\u201d question" in output
    assert "nothing was written" in output


def test_dry_run_of_a_reimport_changes_nothing(db, tmp_path):
    path = write(tmp_path, "sea-walls.txt", PLAIN)
    run(path)
    edited = write(tmp_path, "sea-walls.txt", PLAIN.replace("two metres", "three metres"))

    output = run(edited, "--dry-run", "--title", "Renamed", "--slug", "sea-walls")

    assert "1 updated" in output
    assert Course.objects.get().title == "Sea walls"
    assert "two metres" in Lesson.objects.get(position=2).source_text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\n   \r\n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Une le\u00e7on fran\u00e7aise.\n".encode("latin-1"), "not valid UTF-8"),
    ],
    ids=["empty", "blank", "binary", "latin-1"],
)
def test_bad_file_is_one_clear_error_line_and_writes_nothing(db, tmp_path, content, message):
    path = write(tmp_path, "bad.txt", content)

    with pytest.raises(CommandError, match=message) as error:
        run(path)

    assert "\n" not in str(error.value)
    assert str(path) in str(error.value)
    assert counts() == (0, 0, 0)


def test_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "nowhere.txt")

    assert counts() == (0, 0, 0)


def test_folder_instead_of_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="folder"):
        run(tmp_path)


def test_missing_file_exits_1_with_one_line_from_the_shell(tmp_path):
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    missing = tmp_path / "nowhere.txt"

    result = subprocess.run(
        [sys.executable, "manage.py", "import_explainer", str(missing)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stderr.strip() == f"CommandError: No such file: {missing}"
    assert "Traceback" not in result.stderr
