"""Every way a lesson is written stores its rendered HTML: the admin, the importer,
loaddata of the seed fixture, and the migration for rows that existed before."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from learning.models import Lesson
from learning.rendering import MAX_BODY_CHARS, MAX_MARKDOWN_SYMBOLS, MAX_NESTING_DEPTH
from tests.admin_forms import lesson_form
from tests.factories import LessonFactory


def test_loading_the_seed_fixture_stores_each_lessons_html(seed_course):
    for lesson in seed_course.lessons.all():
        assert lesson.body_html.startswith("<p>"), lesson
        assert "<strong>" in lesson.body_html, lesson


def test_the_seed_lesson_page_shows_the_stored_html(client, seed_course):
    lesson = seed_course.lessons.get(position=1)

    html = client.get(lesson.get_absolute_url()).content.decode()

    assert lesson.body_html in html


def test_importing_an_explainer_stores_each_lessons_html(db, tmp_path):
    path = tmp_path / "walls.txt"
    path.write_text("Walls are **higher** now.\nThe towns <script>x()</script> paid.\n", "utf-8")

    call_command("import_explainer", str(path), stdout=None)

    assert list(Lesson.objects.order_by("position").values_list("body_html", flat=True)) == [
        "<p>Walls are <strong>higher</strong> now.</p>",
        "<p>The towns  paid.</p>",
    ]


def test_saving_other_fields_keeps_the_stored_html(db):
    lesson = LessonFactory(body="Some **body**.")
    Lesson.objects.filter(pk=lesson.pk).update(body_html="<p>Kept.</p>")
    lesson.refresh_from_db()

    lesson.published = False
    lesson.save(update_fields=["published"])

    lesson.refresh_from_db()
    assert lesson.body_html == "<p>Kept.</p>"


def test_a_body_at_every_limit_is_accepted_by_the_admin_and_shown_whole(admin_client, db):
    lesson = LessonFactory()
    levels = "".join("  " * n + f"- level {n + 1}\n" for n in range(MAX_NESTING_DEPTH))
    emphasis = "*a* " * ((MAX_MARKDOWN_SYMBOLS - 2 * MAX_NESTING_DEPTH - 1) // 2)
    body = (levels + "\n" + emphasis).ljust(MAX_BODY_CHARS, "x")
    url = reverse("admin:learning_lesson_change", args=[lesson.pk])

    response = admin_client.post(url, lesson_form(lesson, body=body))

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.body_html.count("<ul>") == MAX_NESTING_DEPTH
    assert f"level {MAX_NESTING_DEPTH}" in lesson.body_html
    assert lesson.body_html.endswith("xxx</p>")  # nothing cut off the end


@pytest.mark.django_db(transaction=True)
def test_the_migration_renders_the_lessons_that_existed_before_it():
    before, after = [("learning", "0001_initial")], [("learning", "0002_lesson_body_html")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    course = old.get_model("learning", "Course").objects.create(title="C", slug="c")
    old.get_model("learning", "Lesson").objects.create(
        course=course, position=1, title="T", slug="t", body="An **old** lesson."
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Lesson.objects.get().body_html == "<p>An <strong>old</strong> lesson.</p>"
