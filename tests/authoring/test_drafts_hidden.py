"""Drafted and rejected questions never reach a student, on any page or in any JSON;
the approved ones make a quiz a student can take and pass; and a drafted lesson page
repeats no sentence more than twice."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from authoring.parsing import split_sentences
from authoring.publishing import publish
from quizzes.models import Attempt, Question, QuestionStatus
from tests.authoring.explainers import ALL, SEED, imported
from tests.factories import right_answer
from tests.pages import visible_text


@pytest.fixture
def course(db):
    """The seed drafted into a course of its own: in every lesson the five best drafts
    approved, the sixth rejected, the rest left as drafts; then published."""
    course = imported(SEED).course
    for lesson in course.lessons.all():
        ranked = list(lesson.quiz.questions.order_by("draft_record__rank"))
        Question.objects.filter(pk__in=[q.pk for q in ranked[:5]]).update(
            status=QuestionStatus.APPROVED
        )
        Question.objects.filter(pk__in=[q.pk for q in ranked[5:6]]).update(
            status=QuestionStatus.REJECTED
        )
    assert publish(course) == []
    return course


def hidden_prompts(course):
    approved = set(
        Question.objects.filter(
            quiz__lesson__course=course, status=QuestionStatus.APPROVED
        ).values_list("prompt", flat=True)
    )
    hidden = Question.objects.filter(quiz__lesson__course=course).exclude(
        status=QuestionStatus.APPROVED
    )
    return [p for p in hidden.values_list("prompt", flat=True) if p not in approved]


def test_a_student_sees_only_approved_questions_and_passes(student_client, student, course):
    lesson = course.lessons.get(position=1)
    seen = []
    for url in [
        "/",
        course.get_absolute_url(),
        lesson.get_absolute_url(),
        reverse("quizzes:quiz", args=[course.slug, lesson.slug]),
    ]:
        seen.append(student_client.get(url).content.decode())

    response = student_client.post(reverse("quizzes:start", args=[course.slug, lesson.slug]))
    attempt = Attempt.objects.get(user=student)
    seen.append(student_client.get(response["Location"]).content.decode())
    ids = [q["id"] for q in attempt.paper["questions"]]
    assert len(ids) == 5
    assert set(Question.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        QuestionStatus.APPROVED
    }

    answers = {f"q{qid}": right_answer(qid) for qid in ids}
    saved = student_client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {**answers, "shown": ids},
        headers={"accept": "application/json"},
    )
    seen.append(saved.content.decode())
    student_client.post(reverse("quizzes:submit", args=[attempt.pk]), {**answers, "shown": ids})
    result = student_client.get(reverse("quizzes:result", args=[attempt.pk]))
    seen.append(result.content.decode())
    seen.append(student_client.get(reverse("quizzes:progress")).content.decode())

    attempt.refresh_from_db()
    assert attempt.passed is True
    pages = "\n".join(seen)
    for prompt in hidden_prompts(course):
        assert prompt not in pages and prompt.replace("'", "&#x27;") not in pages


def _sentences_of(page):
    text = visible_text(page).replace("&#x27;", "'").replace("&quot;", '"')
    return [s.strip(" .") for s in split_sentences(text) if len(s.split()) >= 4]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_drafted_lesson_page_repeats_a_sentence_more_than_twice(admin_client, db, path):
    course = imported(path).course
    for lesson in course.lessons.all():
        page = admin_client.get(lesson.get_absolute_url())  # staff preview drafts
        repeated = [s for s, n in Counter(_sentences_of(page)).items() if n > 2]
        assert repeated == [], (lesson.title, repeated)
        text = page.content.decode()
        assert "Read the original section" not in text  # the body is the section
        if lesson.glossary:
            assert 'id="glossary"' in text and "<dfn>" in text


def test_titles_are_never_a_sentence_cut_off(db):
    for path in ALL:
        course = imported(path).course
        for lesson in course.lessons.all():
            assert "\u2026" not in lesson.title
            assert not re.search(r"\b(the|a|of|and|to|in)$", lesson.title, re.I), lesson.title
