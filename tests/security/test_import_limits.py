"""Imports are bounded and a dry run writes nothing: the admin's upload and paste
and `manage.py import_explainer` share one byte limit and one section limit, each
refused with a message that says the limit and what was found; lessons are written
with bulk queries; a dry run and the admin's preview only read."""

import tracemalloc
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authoring.parsing import MAX_EXPLAINER_BYTES, MAX_SECTIONS
from learning.models import Course, Lesson

SIZE_REFUSED = "is 600 KB; at most 500 KB can be imported at once"
SECTIONS_REFUSED = "The explainer has 301 sections; at most 300 can be imported at once"


def paragraphs(count):
    return "".join(f"Paragraph number {n} of the explainer.\n" for n in range(1, count + 1))


def oversized():
    return "A sentence of the explainer.\n" * (600_000 // 29)  # 600 KB of good text


@pytest.fixture
def url():
    return reverse("admin:learning_course_import")


def run(path, *args):
    out = StringIO()
    call_command("import_explainer", str(path), *args, stdout=out)
    return out.getvalue()


def only_reads(queries):
    return [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_the_limits_are_stated_values():
    assert (MAX_EXPLAINER_BYTES, MAX_SECTIONS) == (500_000, 300)


# ---------------------------------------------------------------- the admin


def test_admin_upload_over_the_byte_limit_is_refused_with_its_size(admin_client, url):
    upload = SimpleUploadedFile("big.txt", oversized().encode(), content_type="text/plain")

    response = admin_client.post(url, {"file": upload, "confirm": "Create"})

    assert response.status_code == 200
    assert f"The file {SIZE_REFUSED}" in response.content.decode()
    assert not Course.objects.exists()


def test_admin_paste_over_the_byte_limit_is_refused_with_its_size(admin_client, url):
    response = admin_client.post(url, {"text": oversized(), "confirm": "Create"})

    assert response.status_code == 200
    assert f"The pasted text {SIZE_REFUSED}" in response.content.decode()
    assert not Course.objects.exists()


@pytest.mark.parametrize("how", ["paste", "upload"])
def test_admin_refuses_more_sections_than_the_limit(admin_client, url, how):
    text = paragraphs(MAX_SECTIONS + 1)
    if how == "paste":
        data = {"text": text}
    else:
        data = {"file": SimpleUploadedFile("many.txt", text.encode(), content_type="text/plain")}

    response = admin_client.post(url, {**data, "confirm": "Create"})

    assert response.status_code == 200
    assert SECTIONS_REFUSED in response.content.decode()
    assert not Course.objects.exists()


def test_admin_refuses_a_hundred_thousand_paragraphs_at_once(admin_client, url):
    response = admin_client.post(url, {"text": "Go.\n" * 100_000, "confirm": "Create"})

    assert response.status_code == 200
    assert "The explainer has 100,000 sections; at most 300" in response.content.decode()
    assert not Course.objects.exists()


def test_admin_preview_says_what_would_change_and_only_reads(admin_client, url):
    first = {"text": paragraphs(3), "slug": "walls", "confirm": "Create"}
    admin_client.post(url, first)
    Lesson.objects.update(published=True)  # as an editor would, once its quizzes were ready
    changed = paragraphs(2).replace("number 2", "number two")

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.post(url, {"text": changed, "slug": "walls", "preview": "Preview"})

    assert "0 lessons created, 1 updated, 1 unchanged, 1 unpublished; " in (
        response.content.decode()
    )
    assert only_reads(queries) == []
    assert not Lesson.objects.filter(published=False).exists()  # nothing was unpublished


# ---------------------------------------------------------------- the command


def test_command_refuses_a_50_mb_file_without_reading_it_whole(db, tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(50_000_000)

    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as error:
            run(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert str(error.value) == (
        f"{path}: The file is 50.0 MB; at most 500 KB can be imported at once: "
        "split it into several explainers."
    )
    assert peak < 5_000_000  # read just past the limit, not 50 MB
    assert not Course.objects.exists()


def test_command_refuses_a_file_just_over_the_byte_limit(db, tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(oversized(), encoding="utf-8")

    with pytest.raises(CommandError, match=f"The file {SIZE_REFUSED}"):
        run(path)

    assert not Course.objects.exists()


def test_command_refuses_more_sections_than_the_limit(db, tmp_path):
    path = tmp_path / "many.txt"
    path.write_text(paragraphs(MAX_SECTIONS + 1), encoding="utf-8")

    with pytest.raises(CommandError, match=SECTIONS_REFUSED):
        run(path)

    assert not Course.objects.exists()


def test_an_explainer_at_the_section_limit_is_written_in_a_few_queries(
    db, tmp_path, django_assert_max_num_queries
):
    path = tmp_path / "many.txt"
    path.write_text(paragraphs(MAX_SECTIONS), encoding="utf-8")

    # One per lesson would be 300 and more; bulk writes of 300 quizzes take a few
    # batches on SQLite (its 999-parameter limit), with the drafts' queries besides.
    with django_assert_max_num_queries(30):
        run(path, "--slug", "many")
    edited = tmp_path / "many.txt"
    edited.write_text(paragraphs(MAX_SECTIONS).replace("explainer", "article"), encoding="utf-8")
    with django_assert_max_num_queries(30):
        output = run(edited, "--slug", "many")

    assert "0 lessons created, 300 updated, 0 unchanged" in output
    lessons = Lesson.objects.filter(course__slug="many").order_by("position")
    assert lessons.count() == MAX_SECTIONS
    assert lessons.last().body_html == "<p>Paragraph number 300 of the article.</p>"


def test_dry_run_reports_what_the_import_then_does_and_only_reads(db, tmp_path):
    path = tmp_path / "walls.txt"
    path.write_text(paragraphs(3), encoding="utf-8")
    run(path, "--slug", "walls", "--publish")
    path.write_text(paragraphs(2).replace("number 1", "number one") + "A new one.\n", "utf-8")

    with CaptureQueriesContext(connection) as queries:
        dry = run(path, "--slug", "walls", "--dry-run")
    assert only_reads(queries) == []
    real = run(path, "--slug", "walls")

    summary = "0 lessons created, 2 updated, 1 unchanged, 0 unpublished; "
    assert summary in dry and summary in real
    assert "Dry run: nothing was written." in dry


# ---------------------------------------------------------------- SQLite's write lock


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_dry_run_completes_while_locked_database_holds_the_lock(
    tmp_path, short_busy_timeout, request
):
    path = tmp_path / "walls.txt"
    path.write_text(paragraphs(3), encoding="utf-8")
    run(path, "--slug", "walls")
    path.write_text(paragraphs(3).replace("number 2", "number two"), encoding="utf-8")

    request.getfixturevalue("locked_database")
    output = run(path, "--slug", "walls", "--dry-run")

    assert "Would import existing course" in output
    assert "0 lessons created, 1 updated, 2 unchanged, 0 unpublished; " in output


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_admin_preview_completes_while_locked_database_holds_the_lock(
    admin_client, url, short_busy_timeout, request
):
    admin_client.get(url)  # the session is read, not renewed, from here on
    request.getfixturevalue("locked_database")

    response = admin_client.post(url, {"text": paragraphs(3), "preview": "Preview"})

    assert response.status_code == 200
    assert "Sections found: 3" in response.content.decode()
    assert "3 lessons created, 0 updated, 0 unchanged, 0 unpublished; " in (
        response.content.decode()
    )
