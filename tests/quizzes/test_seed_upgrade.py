"""`load_seed_course` on a database that holds an older release of the seed: untouched
lessons are upgraded, edited ones kept, and no attempt's history changes."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from learning.models import Course, Lesson
from quizzes.grading import save_answers, start_attempt, submit_attempt
from quizzes.management.commands.load_seed_course import OLDER_RELEASES
from quizzes.models import Question, QuestionStatus, Response
from tests.pages import visible_text

SLUG = "coalition-of-the-willing"


@pytest.fixture
def older_seed(db):
    """The seed as an older release left it: lessons 1 and 2 stamped with its date and
    an old summary; lesson 2 then edited by an editor (the admin saves stamp now)."""
    call_command("loaddata", "coalition_of_the_willing.json", verbosity=0)
    course = Course.objects.get(slug=SLUG)
    Lesson.objects.filter(course=course, position__in=[1, 2]).update(
        summary="An old summary.", updated_at=parse_datetime(OLDER_RELEASES[0])
    )
    edited = course.lessons.get(position=2)
    edited.summary = "An editor's summary."
    edited.save()
    return course


def test_untouched_lessons_are_upgraded_and_edited_ones_kept(older_seed):
    call_command("load_seed_course", verbosity=0)

    first, second = older_seed.lessons.order_by("position")[:2]
    assert first.summary != "An old summary."
    assert second.summary == "An editor's summary."


def test_old_questions_are_retired_and_history_is_untouched(older_seed, student, student_client):
    quiz = older_seed.lessons.get(position=1).quiz
    attempt = start_attempt(user=student, quiz=quiz)
    first = attempt.paper["questions"][0]
    save_answers(attempt=attempt, answers={first["id"]: [first["choices"][0]["id"]]})
    submit_attempt(attempt=attempt)
    result_url = reverse("quizzes:result", args=[attempt.pk])
    before = visible_text(student_client.get(result_url), status=200)
    old_ids = set(quiz.questions.values_list("pk", flat=True))

    call_command("load_seed_course", verbosity=0)

    old = Question.objects.filter(pk__in=old_ids)
    assert set(old.values_list("status", flat=True)) == {QuestionStatus.RETIRED}
    assert min(old.values_list("position", flat=True)) > 1000
    assert quiz.questions.approved().count() >= 8
    assert not quiz.questions.approved().filter(pk__in=old_ids).exists()
    assert Response.objects.filter(attempt=attempt).count() == len(attempt.paper["questions"])
    assert visible_text(student_client.get(result_url), status=200) == before
    retake = start_attempt(user=student, quiz=quiz)
    assert not {q["id"] for q in retake.paper["questions"]} & old_ids


def test_a_second_run_changes_nothing(older_seed):
    call_command("load_seed_course", verbosity=0)
    counts = Question.objects.count(), Lesson.objects.count()

    call_command("load_seed_course", verbosity=0)

    assert (Question.objects.count(), Lesson.objects.count()) == counts
