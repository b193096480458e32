"""What review offers now: due cards of approved questions in published lessons, mixed
across lessons and courses, once the quiz's key may be seen."""

from datetime import timedelta

import pytest

from learning.models import Course, Lesson
from learning.progress import record_result
from quizzes.models import QuestionStatus, RevealAnswers
from review.models import Source
from review.scheduling import due_cards, due_count, due_summary, next_due, record_answers
from tests.factories import CourseFactory, make_quiz

from .conftest import passed, quiz_ids


def missed(user, quiz, at, ids=None):
    """`user` passed `quiz` at `at` and missed the given questions (by default all)."""
    passed(user, quiz, at)
    ids = quiz_ids(quiz) if ids is None else ids
    record_answers(user, dict.fromkeys(ids, False), now=at, source=Source.QUIZ)
    return ids


def lessons_of(cards):
    return [card.question.quiz.lesson_id for card in cards]


@pytest.fixture
def course(db):
    return CourseFactory()


def test_due_cards_mix_lessons_and_courses(student, course, now):
    first = make_quiz(questions=3, course=course, lesson_position=1)
    second = make_quiz(questions=3, course=course, lesson_position=2)
    elsewhere = make_quiz(questions=3)  # another course
    missed(student, first, now - timedelta(hours=3))
    missed(student, second, now - timedelta(hours=2))
    missed(student, elsewhere, now - timedelta(hours=1))

    cards = due_cards(student, now=now, limit=10)

    lessons = [first.lesson_id, second.lesson_id, elsewhere.lesson_id]
    assert lessons_of(cards) == lessons * 3  # one of each lesson per round, most overdue first
    assert len({card.question_id for card in cards}) == 9


def test_due_cards_stop_at_the_limit_and_are_the_same_each_time(student, course, now):
    for position in (1, 2):
        missed(student, make_quiz(questions=4, course=course, lesson_position=position), now)
    later = now + timedelta(hours=1)

    cards = due_cards(student, now=later, limit=5)

    assert len(cards) == 5
    assert len(set(lessons_of(cards[:2]))) == 2
    assert [c.pk for c in due_cards(student, now=later, limit=5)] == [c.pk for c in cards]


def test_a_card_not_yet_due_is_not_offered_and_says_when(student, quiz, now):
    record_answers(student, dict.fromkeys(quiz_ids(quiz), True), now=now, source=Source.QUIZ)
    passed(student, quiz, now)

    assert due_cards(student, now=now) == []
    assert due_count(student, now=now) == 0
    first_due = next_due(student, now=now)
    assert first_due > now
    assert due_count(student, now=first_due) == 3
    assert next_due(student, now=first_due) is None


def test_only_approved_questions_of_published_lessons_are_offered(student, course, now):
    kept = make_quiz(questions=3, course=course, lesson_position=1)
    hidden_lesson = make_quiz(questions=2, course=course, lesson_position=2)
    hidden_course = make_quiz(questions=2)
    draft, retired, approved = missed(student, kept, now)
    missed(student, hidden_lesson, now)
    missed(student, hidden_course, now)
    kept.questions.filter(pk=draft).update(status=QuestionStatus.DRAFT)
    kept.questions.filter(pk=retired).update(status=QuestionStatus.RETIRED)
    Lesson.objects.filter(pk=hidden_lesson.lesson_id).update(published=False)
    Course.objects.filter(pk=hidden_course.lesson.course_id).update(published=False)
    later = now + timedelta(hours=1)

    assert [card.question_id for card in due_cards(student, now=later)] == [approved]
    assert due_count(student, now=later) == 1


def test_another_learners_cards_are_not_offered(student, other_student, quiz, now):
    missed(other_student, quiz, now)

    assert due_cards(student, now=now + timedelta(hours=1)) == []


@pytest.mark.parametrize(
    ("policy", "progress", "offered"),
    [
        (RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT, None, False),
        (RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT, "failed", False),
        (RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT, "passed", True),
        (RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT, "out", True),
        (RevealAnswers.ONCE_PASSED, "out", False),
        (RevealAnswers.ONCE_PASSED, "passed", True),
        (RevealAnswers.NO_ATTEMPTS_LEFT, "passed", False),
        (RevealAnswers.NO_ATTEMPTS_LEFT, "out", True),
        (RevealAnswers.ALWAYS, "failed", True),
    ],
)
def test_a_card_waits_until_the_quiz_would_show_its_key(student, now, policy, progress, offered):
    """Review shows the answer: offered earlier, it would be a way round the quiz."""
    quiz = make_quiz(questions=2, reveal_answers=policy)
    if progress:
        record_result(
            user=student,
            lesson=quiz.lesson,
            score=100 if progress == "passed" else 0,
            passed=progress == "passed",
            at=now,
            attempts_left=0 if progress == "out" else 2,
        )
    record_answers(student, dict.fromkeys(quiz_ids(quiz), False), now=now, source=Source.QUIZ)
    later = now + timedelta(hours=1)

    assert bool(due_cards(student, now=later)) is offered
    assert due_summary(student, now=later).count == (2 if offered else 0)


def test_due_cards_run_one_query_with_what_the_page_shows(
    student, course, now, django_assert_num_queries
):
    for position in (1, 2, 3):
        missed(student, make_quiz(questions=4, course=course, lesson_position=position), now)

    with django_assert_num_queries(1):
        cards = due_cards(student, now=now + timedelta(hours=1))
        links = [card.question.quiz.lesson.get_absolute_url() for card in cards]
        prompts = [card.question.prompt for card in cards]

    assert len(links) == len(prompts) == 10


def test_the_summary_is_one_query(student, quiz, now, django_assert_num_queries):
    missed(student, quiz, now)

    with django_assert_num_queries(1):
        summary = due_summary(student, now=now + timedelta(hours=1))

    assert summary.count == 3
    assert summary.next_due is None
