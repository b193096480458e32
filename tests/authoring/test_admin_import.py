"""The admin's "Import explainer" page: upload or paste, preview, then create."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning.models import Course, Lesson
from tests.authoring.explainers import SEED
from tests.factories import CourseFactory, UserFactory

EXPLAINER = (
    "\ufeff# Rebuilding the sea walls\r\n\r\n"
    "## Why the towns build\r\n\r\n"
    "Harbour towns are rebuilding their sea walls after the storms.\r\n\r\n"
    "## What engineers plan\r\n\r\n"
    "Engineers say the new walls will stand two metres higher.\r\n"
)


@pytest.fixture
def url():
    return reverse("admin:learning_course_import")


def upload(content, name="sea-walls.txt"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return SimpleUploadedFile(name, content, content_type="text/plain")


def test_course_list_links_to_the_import_page(admin_client, url):
    response = admin_client.get(reverse("admin:learning_course_changelist"))

    assert url in response.content.decode()


def test_import_page_shows_the_form(admin_client, url):
    response = admin_client.get(url)

    assert response.status_code == 200
    assert "Preview lessons and questions" in response.content.decode()


def test_uploaded_file_is_previewed_and_nothing_is_created(admin_client, url):
    response = admin_client.post(url, {"file": upload(EXPLAINER), "preview": "Preview"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Sections found: 2" in page
    assert "Rebuilding the sea walls" in page
    assert "Why the towns build" in page
    assert "What engineers plan" in page
    assert "Create the course" in page
    assert Course.objects.count() == 0


def test_preview_says_a_new_course_will_be_created(admin_client, url):
    response = admin_client.post(url, {"text": EXPLAINER, "preview": "Preview"})

    assert "creates a new course" in response.content.decode()
    assert "rebuilding-the-sea-walls" in response.content.decode()


def test_preview_warns_that_an_existing_course_will_be_updated(admin_client, url):
    CourseFactory(slug="walls", title="Walls, first version")

    response = admin_client.post(url, {"text": EXPLAINER, "slug": "walls", "preview": "Preview"})

    page = response.content.decode()
    assert "updates the existing course" in page
    assert "Walls, first version" in page
    assert Course.objects.get().title == "Walls, first version"


def test_confirming_the_preview_creates_the_course(admin_client, url):
    preview = admin_client.post(
        url, {"file": upload(EXPLAINER), "slug": "walls", "publish": "on", "preview": "Preview"}
    )
    form = preview.context["form"]  # the fields the preview page sends back
    data = {name: form[name].value() for name in ("text", "title", "slug")}

    response = admin_client.post(url, {**data, "publish": "on", "confirm": "Create"}, follow=True)

    course = Course.objects.get()
    # Not published: no lesson has an approved question yet, and the page says so.
    assert (course.title, course.slug, course.published) == (
        "Rebuilding the sea walls",
        "walls",
        False,
    )
    assert list(course.lessons.values_list("title", flat=True)) == [
        "Why the towns build",
        "What engineers plan",
    ]
    assert response.redirect_chain[-1][0] == reverse(
        "admin:learning_course_review", args=[course.pk]
    )
    page = response.content.decode()
    assert "2 lessons (2 new, 0 updated)" in page
    assert "Not published yet: Lesson 1 (&#x27;Why the towns build&#x27;)" in page


def test_pasted_text_creates_the_course(admin_client, url):
    text = "Storms hit the coast twice this winter.\nThe towns asked for help.\n"

    response = admin_client.post(url, {"text": text, "confirm": "Create"})

    course = Course.objects.get()
    assert response.status_code == 302
    assert course.title == "Storms hit the coast twice this winter"
    assert course.lessons.count() == 2


def test_confirming_twice_creates_no_duplicates(admin_client, url):
    data = {"text": EXPLAINER, "confirm": "Create"}
    admin_client.post(url, data)

    admin_client.post(url, data)

    assert Course.objects.count() == 1
    assert Lesson.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"\x00\x01\x02binary\x00", "looks binary"),
        ("notes.txt", "Caf\u00e9 cr\u00e8me.".encode("latin-1"), "not valid UTF-8"),
        ("notes.pdf", b"Fine text.", "Upload a .txt or .md file."),
        ("notes.txt", b"", "The submitted file is empty."),
        ("notes.md", b"\r\n\r\n", "The explainer is empty."),
    ],
    ids=["binary", "latin-1", "wrong-extension", "empty", "blank"],
)
def test_bad_upload_shows_a_form_error_and_creates_nothing(
    admin_client, url, name, content, message
):
    response = admin_client.post(url, {"file": upload(content, name), "confirm": "Create"})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Course.objects.count() == 0


def test_nothing_uploaded_or_pasted_shows_a_form_error(admin_client, url):
    response = admin_client.post(url, {"text": "  ", "confirm": "Create"})

    assert response.status_code == 200
    assert "Upload a file or paste" in response.content.decode()
    assert Course.objects.count() == 0


def test_title_with_no_latin_letters_asks_for_a_slug_instead_of_failing(admin_client, url):
    text = "# Коалиция\nПервый урок.\n"  # Cyrillic only

    response = admin_client.post(url, {"text": text, "confirm": "Create"})

    assert response.status_code == 200
    assert "give a slug" in response.content.decode()
    assert Course.objects.count() == 0

    response = admin_client.post(url, {"text": text, "slug": "koalitsiya", "confirm": "Create"})

    assert Course.objects.get().slug == "koalitsiya"


def test_anonymous_visitor_is_sent_to_the_admin_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_student_is_sent_to_the_admin_login_and_creates_nothing(student_client, url):
    response = student_client.post(url, {"text": EXPLAINER, "confirm": "Create"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert Course.objects.count() == 0


def test_staff_without_permission_to_add_courses_creates_nothing(client, db, url):
    client.force_login(UserFactory(is_staff=True))

    response = client.post(url, {"text": EXPLAINER, "confirm": "Create"})

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert Course.objects.count() == 0


def test_a_text_without_headings_gets_a_warning_topic_titles_and_a_title_to_check(
    admin_client, url
):
    text = SEED.read_text(encoding="utf-8")

    preview = admin_client.post(url, {"text": text, "preview": "Preview"})

    page = preview.content.decode()
    assert "This explainer has no headings" in page
    # The first sentence is too long for a title: its subject is offered instead,
    # in the form, for the editor to keep or change.
    assert preview.context["form"]["title"].value() == "The coalition of the willing"
    assert "\u2026" not in preview.context["form"]["title"].value()
    plan = preview.context["plan"]
    assert all("\u2026" not in lesson.title for lesson in plan.lessons)
    assert plan.draft_count == sum(len(found.drafts) for found in plan.drafts) > 0
    assert f"draft questions: {plan.draft_count}" in page
    assert not Course.objects.exists()
