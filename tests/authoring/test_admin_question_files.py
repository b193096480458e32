"""Question files in the admin: upload or paste, preview every question and every
entry that cannot be imported, then import in one go; export courses and lessons.
Editors may do both; students and visitors never reach either page."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from authoring.formats import gift, moodle_xml
from quizzes.models import Question, QuestionOrigin, QuestionStatus
from tests.conftest import make_user
from tests.factories import (
    ChoiceFactory,
    CourseFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
)

BANK = """// A teacher's bank for the coalition lessons.
$CATEGORY: coalition/leaders

::Leaders:: Which countries lead the coalition? {
  =Britain and France#Yes: the two lead it.
  ~Germany and Italy#No.
  ~Spain and Portugal
  ####Britain and France lead the coalition.
}

::Risks:: Which risks do the planners name? {
  ~%50%Escalation
  ~%50%Casualties
  ~%-100%Cheap oil
}

::Essay:: Discuss the plan in your own words. {}

::Match:: Match the leaders. {
  =Britain -> London
  =France -> Paris
}
"""


@pytest.fixture
def lesson(db):
    lesson = LessonFactory(
        position=1, source_text="Britain and France lead the coalition of the willing."
    )
    LessonFactory(course=lesson.course, position=2, title="Second")
    return lesson


@pytest.fixture
def editor(db):
    user = make_user("eddie")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def import_url(lesson):
    return reverse("admin:learning_course_import_questions", args=[lesson.course.pk])


def upload(text, name="bank.gift"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def preview(client, lesson, **data):
    return client.post(import_url(lesson), {"lesson": lesson.pk, "preview": "1", **data})


def test_the_course_page_links_to_import_and_export(editor_client, lesson):
    page = editor_client.get(
        reverse("admin:learning_course_change", args=[lesson.course.pk])
    ).content.decode()

    assert import_url(lesson) in page
    assert reverse("admin:learning_course_export_questions") in page


def test_an_upload_is_previewed_whole_and_nothing_is_written(editor_client, lesson):
    response = preview(editor_client, lesson, file=upload(BANK))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview (GIFT): 2 questions to import, 2 that cannot be imported." in page
    assert "Which countries lead the coalition?" in page
    assert "Yes: the two lead it." in page  # per-choice feedback
    assert "Which risks do the planners name?" in page
    assert 'value="Import 2 questions"' in page
    # The decoded text is carried to the confirm step; the format found is kept.
    assert "Discuss the plan in your own words." in page
    assert Question.objects.count() == 0


def test_the_preview_names_every_entry_it_cannot_import(editor_client, lesson):
    page = preview(editor_client, lesson, file=upload(BANK)).content.decode()

    listed = page.split("Cannot be imported", 1)[1]
    assert "Essay — Line 17 (“Essay”): an essay question" in listed
    assert "Matching — Line 19 (“Match”): a matching question" in listed


def test_the_preview_shows_check_warnings(editor_client, lesson):
    text = "Which country leads it? {=Britain ~Germany ~Italy}"

    page = preview(editor_client, lesson, text=text).content.decode()

    assert "⚠ rule 7 (explanation): No explanation: say why the key is right" in page


def test_confirming_imports_drafts_and_goes_to_the_review_queue(editor_client, lesson):
    response = editor_client.post(
        import_url(lesson),
        {"lesson": lesson.pk, "text": BANK, "format": "gift", "confirm": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:learning_course_review_lesson", args=[lesson.course.pk, 1]
    )
    made = Question.objects.filter(quiz__lesson=lesson).order_by("position")
    assert [(q.prompt, q.kind, q.status, q.origin) for q in made] == [
        (
            "Which countries lead the coalition?",
            "single",
            QuestionStatus.DRAFT,
            QuestionOrigin.IMPORTED,
        ),
        ("Which risks do the planners name?", "multiple", QuestionStatus.DRAFT, "imported"),
    ]
    assert made[0].explanation == "Britain and France lead the coalition."
    assert [(c.text, c.is_correct, c.feedback) for c in made[0].choices.order_by("position")] == [
        ("Britain and France", True, "Yes: the two lead it."),
        ("Germany and Italy", False, "No."),
        ("Spain and Portugal", False, ""),
    ]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Imported 2 questions into lesson 1, "
        f"{lesson.title} (as drafts to review); 2 could not be imported."
    ]


def test_approve_on_import_makes_them_live(editor_client, lesson):
    response = editor_client.post(
        import_url(lesson),
        {"lesson": lesson.pk, "text": BANK, "approve": "on", "confirm": "1"},
    )

    assert response.status_code == 302
    statuses = set(Question.objects.filter(quiz__lesson=lesson).values_list("status", flat=True))
    assert statuses == {QuestionStatus.APPROVED}


def test_questions_go_to_the_lesson_chosen(editor_client, lesson):
    second = lesson.course.lessons.get(position=2)

    editor_client.post(import_url(lesson), {"lesson": second.pk, "text": BANK, "confirm": "1"})

    assert Question.objects.filter(quiz__lesson=second).count() == 2
    assert not Question.objects.filter(quiz__lesson=lesson).exists()


def test_a_lesson_of_another_course_is_refused(editor_client, lesson):
    stranger = LessonFactory()

    response = editor_client.post(
        import_url(lesson), {"lesson": stranger.pk, "text": BANK, "confirm": "1"}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Question.objects.count() == 0


def test_a_malformed_entry_blocks_the_import_with_its_line(editor_client, lesson):
    broken = "Good one? {=Yes ~No}\n\nBroken one? {=Yes ~No\n"

    response = editor_client.post(
        import_url(lesson), {"lesson": lesson.pk, "text": broken, "confirm": "1"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing can be imported until these entries are fixed" in page
    assert "Line 3: the answers&#x27; &#x27;{&#x27; has no matching &#x27;}&#x27;" in page
    assert 'name="confirm"' not in page
    assert Question.objects.count() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": "   "}, "Upload a file or paste the questions."),
        ({"text": "Just some words without any question."}, "could not be recognised"),
        ({"file": upload("x", "bank.txt"), "format": "yaml"}, "Select a valid choice"),
        (
            {"file": SimpleUploadedFile("bank.txt", b"Q? {=\xff ~b}")},
            "not valid UTF-8",
        ),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(editor_client, lesson, data, message):
    response = preview(editor_client, lesson, **data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Question.objects.count() == 0


def test_an_oversized_upload_is_refused_before_it_is_read(editor_client, lesson):
    big = upload("Q? {=a ~b}\n" * 60_000)

    response = preview(editor_client, lesson, file=big)

    assert "at most" in response.content.decode().lower()
    assert Question.objects.count() == 0


def test_moodle_xml_is_detected_in_an_upload(editor_client, lesson):
    questions = gift.parse("Which countries lead it? {=Britain and France ~Germany}").questions
    xml = moodle_xml.write(questions)

    page = preview(editor_client, lesson, file=upload(xml, "bank.xml")).content.decode()

    assert "Preview (Moodle XML): 1 question to import" in page


@pytest.fixture
def course_with_questions(db):
    lesson = LessonFactory(position=1)
    quiz = QuizFactory(lesson=lesson)
    single = QuestionFactory(quiz=quiz, prompt="Who leads {it}?", explanation="Both.")
    ChoiceFactory(question=single, text="Britain & France", is_correct=True)
    ChoiceFactory(question=single, text="Germany", is_correct=False)
    several = QuestionFactory(quiz=quiz, prompt="Which risks?", kind="multiple")
    ChoiceFactory(question=several, text="Escalation", is_correct=True)
    ChoiceFactory(question=several, text="Cheap oil", is_correct=False)
    return lesson.course


def test_the_course_action_opens_the_export_page(editor_client, course_with_questions):
    response = editor_client.post(
        reverse("admin:learning_course_changelist"),
        {"action": "export_questions", "_selected_action": [course_with_questions.pk]},
    )

    assert response.status_code == 302
    page = editor_client.get(response["Location"]).content.decode()
    assert "2 questions in use" in page
    assert "Aiken cannot hold 1 of them" in page
    assert "Which risks? (Aiken holds single-answer questions only)" in page


@pytest.mark.parametrize(
    "fmt, kind, extension, expected",
    [
        ("gift", "text/plain", "gift.txt", "Who leads \\{it\\}?"),
        ("moodle-xml", "application/xml", "xml", '<question type="multichoice">'),
        ("csv", "text/csv", "csv", '"Who leads {it}?"'),
        ("aiken", "text/plain", "aiken.txt", "ANSWER: A"),
    ],
)
def test_a_course_downloads_in_each_format(
    editor_client, course_with_questions, fmt, kind, extension, expected
):
    url = reverse("admin:learning_course_export_questions")

    response = editor_client.get(url, {"courses": course_with_questions.pk, "format": fmt})

    assert response.status_code == 200
    assert response["Content-Type"] == f"{kind}; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{course_with_questions.slug}.{extension}"'
    )
    assert expected in response.content.decode("utf-8-sig")


def test_the_lesson_action_exports_only_its_lessons(editor_client, course_with_questions):
    other = LessonFactory(course=course_with_questions, position=2)
    question = QuestionFactory(quiz=QuizFactory(lesson=other), prompt="Only in two?")
    ChoiceFactory(question=question, text="Yes", is_correct=True)
    ChoiceFactory(question=question, text="No", is_correct=False)

    response = editor_client.post(
        reverse("admin:learning_lesson_changelist"),
        {"action": "export_questions", "_selected_action": [other.pk]},
    )
    text = editor_client.get(response["Location"] + "&format=gift").content.decode()

    assert "Only in two?" in text and "Who leads" not in text


def test_an_export_with_nothing_chosen_goes_back_with_a_message(editor_client, db):
    response = editor_client.get(reverse("admin:learning_course_export_questions"), follow=True)

    assert "Choose the courses or lessons to export." in response.content.decode()


def pages(course):
    return [
        reverse("admin:learning_course_import_questions", args=[course.pk]),
        reverse("admin:learning_course_export_questions") + f"?courses={course.pk}&format=gift",
    ]


def test_students_and_visitors_never_reach_either_page(client, course_with_questions):
    for url in pages(course_with_questions):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_user("student"))
    for url in pages(course_with_questions):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_editor_role_are_refused(client, course_with_questions):
    staff = make_user("clerk")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)

    for url in pages(course_with_questions):
        assert client.get(url).status_code == 403
    response = client.post(
        pages(course_with_questions)[0],
        {"lesson": course_with_questions.lessons.get().pk, "text": BANK, "confirm": "1"},
    )
    assert response.status_code == 403
    assert Question.objects.filter(prompt__startswith="Which countries").count() == 0


def test_an_unknown_course_is_not_found(editor_client, db):
    missing = CourseFactory().pk + 1

    url = reverse("admin:learning_course_import_questions", args=[missing])
    assert editor_client.get(url).status_code == 404
