"""The editor's review queue in the admin: drafts with their source and warnings,
approve or reject one at a time or in bulk, a counter, and publishing once every
lesson can offer its quiz."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from learning.models import Course
from quizzes.models import Question, QuestionStatus
from tests.authoring.explainers import SEED, imported
from tests.conftest import make_user


@pytest.fixture
def course(db):
    return imported(SEED).course


@pytest.fixture
def editor_client(client, db):
    editor = make_user("eddie")
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def lesson_url(course, position):
    return reverse("admin:learning_course_review_lesson", args=[course.pk, position])


def drafts_of(course, position):
    return Question.objects.filter(
        quiz__lesson__course=course, quiz__lesson__position=position, status=QuestionStatus.DRAFT
    ).order_by("draft_record__rank")


def test_the_course_page_counts_what_is_left_and_what_falls_short(editor_client, course):
    response = editor_client.get(reverse("admin:learning_course_review", args=[course.pk]))

    page = response.content.decode()
    total = Question.objects.filter(quiz__lesson__course=course).count()
    assert f"<strong>{total}</strong> draft questions left to review" in page
    assert "can be published once every lesson has enough approved questions" in page
    assert "Lesson 10 (" in page and "one attempt needs 5" in page
    assert lesson_url(course, 1) in page


def test_a_lesson_page_shows_each_draft_with_its_source_rank_and_warnings(editor_client, course):
    response = editor_client.get(lesson_url(course, 1))

    page = response.content.decode()
    for question in drafts_of(course, 1).select_related("draft_record"):
        assert f'name="decision-{question.pk}"' in page
        assert question.source_passage.replace("'", "&#x27;") in page
        assert f"#{question.draft_record.rank} · " in page
        for warning in question.draft_record.warnings:
            assert warning.replace("'", "&#x27;") in page
    assert "left in this lesson" in page


def test_decisions_approve_and_reject_in_one_post(editor_client, course):
    first, second, third, *rest = drafts_of(course, 1)

    response = editor_client.post(
        lesson_url(course, 1),
        {
            f"decision-{first.pk}": "approve",
            f"decision-{second.pk}": "reject",
            f"decision-{third.pk}": "leave",
        },
        follow=True,
    )

    statuses = dict(
        Question.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list("pk", "status")
    )
    assert statuses == {
        first.pk: QuestionStatus.APPROVED,
        second.pk: QuestionStatus.REJECTED,
        third.pk: QuestionStatus.DRAFT,
    }
    page = response.content.decode()
    assert "1 approved, 1 rejected." in page
    assert f"<strong>{2 + len(rest) - 1}</strong> drafts left in this lesson" in page


def test_a_decision_on_another_lessons_question_changes_nothing(editor_client, course):
    elsewhere = drafts_of(course, 2).first()

    editor_client.post(lesson_url(course, 1), {f"decision-{elsewhere.pk}": "approve"})

    elsewhere.refresh_from_db()
    assert elsewhere.status == QuestionStatus.DRAFT


def test_approve_all_without_warnings_takes_only_clean_drafts(editor_client, course):
    drafts = list(drafts_of(course, 1).select_related("draft_record"))
    clean = {q.pk for q in drafts if not q.draft_record.warnings}

    editor_client.post(lesson_url(course, 1), {"approve_clean": "1"})

    approved = set(
        Question.objects.filter(
            pk__in=[q.pk for q in drafts], status=QuestionStatus.APPROVED
        ).values_list("pk", flat=True)
    )
    assert approved == clean


def test_save_and_approve_from_the_question_page_returns_to_the_review(editor_client, course):
    question = drafts_of(course, 1).first()
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    back = lesson_url(course, 1)
    form = editor_client.get(url).context["adminform"].form
    data = {
        name: form[name].value() or ""
        for name in ["quiz", "position", "kind", "status", "explanation", "source_passage"]
    }
    choices = list(question.choices.order_by("position"))
    data.update(
        {
            "prompt": "Edited by an editor: " + question.prompt,
            "choices-TOTAL_FORMS": str(len(choices)),
            "choices-INITIAL_FORMS": str(len(choices)),
            "choices-MIN_NUM_FORMS": "2",
            "choices-MAX_NUM_FORMS": "1000",
            "_approve": "Save and approve",
        }
    )
    for i, choice in enumerate(choices):
        data.update(
            {
                f"choices-{i}-id": str(choice.pk),
                f"choices-{i}-question": str(question.pk),
                f"choices-{i}-position": str(choice.position),
                f"choices-{i}-text": choice.text,
                f"choices-{i}-is_correct": "on" if choice.is_correct else "",
                f"choices-{i}-feedback": "",
            }
        )
    data = {k: v for k, v in data.items() if v != ""}

    response = editor_client.post(f"{url}?next={back}", data)

    assert response.status_code == 302 and response["Location"] == back
    question.refresh_from_db()
    assert question.status == QuestionStatus.APPROVED
    assert question.prompt.startswith("Edited by an editor: ")


def test_students_never_reach_the_queue(client, course, student):
    client.force_login(student)

    response = client.get(lesson_url(course, 1))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_publishing_is_refused_while_a_lesson_falls_short(editor_client, course):
    changelist = reverse("admin:learning_course_changelist")

    response = editor_client.post(
        changelist,
        {"action": "publish_courses", "_selected_action": [course.pk]},
        follow=True,
    )

    course.refresh_from_db()
    assert course.published is False
    assert not course.lessons.filter(published=True).exists()
    assert "is not published: Lesson 1 (" in response.content.decode()


def test_publishing_publishes_the_lessons_once_every_quiz_can_be_offered(editor_client, course):
    Question.objects.filter(quiz__lesson__course=course).update(status=QuestionStatus.APPROVED)

    editor_client.post(reverse("admin:learning_course_review", args=[course.pk]), {"publish": "1"})

    course.refresh_from_db()
    assert course.published is True
    assert set(course.lessons.values_list("published", flat=True)) == {True}
    assert Course.objects.published().filter(pk=course.pk).exists()


def test_ticking_published_on_the_change_form_says_which_lessons_fall_short(editor_client, course):
    url = reverse("admin:learning_course_change", args=[course.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in ["title", "slug", "summary", "source_text"]}
    data.update({"published": "on", "lessons-TOTAL_FORMS": "0", "lessons-INITIAL_FORMS": "0"})

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "Not every lesson can offer its quiz yet" in response.content.decode()
    course.refresh_from_db()
    assert course.published is False


def test_a_published_course_without_a_published_lesson_is_not_listed(db, course, client):
    Course.objects.filter(pk=course.pk).update(published=True)

    assert not Course.objects.published().filter(pk=course.pk).exists()
    assert course.title not in client.get("/").content.decode()


def test_the_lesson_action_drafts_one_lesson_again_and_keeps_reviewed_ones(editor_client, course):
    lesson = course.lessons.get(position=3)
    kept = drafts_of(course, 3).first()
    Question.objects.filter(pk=kept.pk).update(status=QuestionStatus.APPROVED)
    Question.objects.filter(quiz__lesson=lesson, status=QuestionStatus.DRAFT).delete()
    others = Question.objects.exclude(quiz__lesson=lesson).count()

    response = editor_client.post(
        reverse("admin:learning_lesson_changelist"),
        {"action": "redraft_questions", "_selected_action": [lesson.pk]},
        follow=True,
    )

    assert "new drafts" in response.content.decode()
    assert Question.objects.get(pk=kept.pk).status == QuestionStatus.APPROVED
    assert drafts_of(course, 3).count() >= 4  # all but the approved one, drafted again
    assert Question.objects.exclude(quiz__lesson=lesson).count() == others
