"""Mastery where students see it: on the course page and the progress page, as text
(and colour), with a link to practise each lesson whose quiz they passed."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from learning.extensions import mastery_for
from learning.models import LessonProgress
from learning.progress import record_result
from review.scheduling import record_answers
from tests.factories import CourseFactory, make_quiz
from tests.pages import table_rows, visible_text

from .conftest import passed, quiz_ids
from .test_mastery import review_until_mature

PROGRESS = reverse("quizzes:progress")
# Long enough for a quiz answered right once to fade below the recall floor.
LONG_AGO = timedelta(days=365)


@pytest.fixture
def course(db):
    return CourseFactory(title="Reassurance force")


def make_lessons(course, count):
    return [make_quiz(questions=3, course=course, lesson_position=n) for n in range(1, count + 1)]


def failed(user, quiz, at):
    record_result(user=user, lesson=quiz.lesson, score=0, passed=False, at=at, attempts_left=2)
    record_answers(user, dict.fromkeys(quiz_ids(quiz), False), now=at, source="quiz")


def all_right(user, quiz, at):
    passed(user, quiz, at)
    record_answers(user, dict.fromkeys(quiz_ids(quiz), True), now=at, source="quiz")


def one_missed(user, quiz, at):
    passed(user, quiz, at, score=67)
    first, *rest = quiz_ids(quiz)
    record_answers(user, {first: False, **dict.fromkeys(rest, True)}, now=at, source="quiz")


def practice_url(quiz):
    return reverse("review:practice", args=[quiz.lesson.course.slug, quiz.lesson.slug])


def course_item(html, quiz):
    """The visible text of one lesson's entry in the course page's list."""
    [item] = [
        part
        for part in html.split('<li class="list-group-item')[1:]
        if f'href="{quiz.lesson.get_absolute_url()}"' in part
    ]
    return visible_text(item.split("</li>")[0])


def progress_cell(html, quiz):
    """The Mastery cell of one lesson's row on the progress page."""
    header, *rows = table_rows(html)
    [row] = [row for row in rows if row[0] == f"{quiz.lesson.position}. {quiz.lesson.title}"]
    return row[header.index("Mastery")]


@pytest.fixture
def levels(course, student):
    """Six lessons at six levels: not started, attempted, familiar, proficient, mastered
    (reviewed on time for a fortnight, up to a week ago), and needs review (passed a year
    ago and never reviewed since)."""
    now = timezone.now()
    untouched, attempted, familiar, proficient, mastered, fading = make_lessons(course, 6)
    # First: review_until_mature reviews until every card of the learner is mature.
    passed(student, mastered, now - timedelta(days=20))
    assert review_until_mature(student, mastered, now - timedelta(days=20)) < now
    failed(student, attempted, now)
    one_missed(student, familiar, now)
    all_right(student, proficient, now)
    all_right(student, fading, now - LONG_AGO)
    return {
        "Not started": untouched,
        "Attempted": attempted,
        "Familiar": familiar,
        "Proficient": proficient,
        "Mastered": mastered,
        "Needs review": fading,
    }


def test_the_course_page_shows_each_lessons_mastery(student_client, course, levels):
    html = student_client.get(course.get_absolute_url()).content.decode()

    for label, quiz in levels.items():
        item = course_item(html, quiz)
        if label == "Not started":  # the lesson's status says it already
            assert "Mastery:" not in item and "Not started" in item
        else:
            assert f"Mastery: {label}" in item, label


def test_the_progress_page_shows_each_lessons_mastery(student_client, levels):
    html = student_client.get(PROGRESS).content.decode()

    for label, quiz in levels.items():
        assert progress_cell(html, quiz).startswith(label), label


def test_practise_is_offered_once_the_quiz_is_passed(student_client, course, levels):
    course_page = student_client.get(course.get_absolute_url()).content.decode()
    progress_page = student_client.get(PROGRESS).content.decode()

    for label, quiz in levels.items():
        offered = label in {"Familiar", "Proficient", "Mastered", "Needs review"}
        link = f'href="{practice_url(quiz)}"'
        assert (link in course_page) == offered, label
        assert (link in progress_page) == offered, label
        if offered:  # a screen reader hears which lesson each link practises
            assert f"Practise {quiz.lesson.title}" in course_item(course_page, quiz)
            assert progress_cell(progress_page, quiz) == f"{label} Practise {quiz.lesson.title}"


def test_a_passed_lesson_without_cards_offers_no_practice(student_client, student, course):
    [quiz] = make_lessons(course, 1)
    passed(student, quiz, timezone.now())  # graded before cards existed

    html = student_client.get(course.get_absolute_url()).content.decode()

    assert "Mastery: Familiar" in course_item(html, quiz)
    assert "Practise" not in course_item(html, quiz)
    assert practice_url(quiz) not in html


def test_another_students_cards_never_show(client, student, other_student, course):
    quizzes = make_lessons(course, 2)
    for quiz in quizzes:
        all_right(other_student, quiz, timezone.now())
    passed(student, quizzes[1], timezone.now())  # passed, and no cards of their own
    client.force_login(student)

    course_page = client.get(course.get_absolute_url()).content.decode()
    progress_page = client.get(PROGRESS).content.decode()

    assert "Mastery:" not in course_item(course_page, quizzes[0])
    assert "Mastery: Familiar" in course_item(course_page, quizzes[1])
    assert progress_cell(progress_page, quizzes[0]) == "Not started"
    assert progress_cell(progress_page, quizzes[1]) == "Familiar"
    for quiz in quizzes:
        assert practice_url(quiz) not in course_page
        assert practice_url(quiz) not in progress_page


def test_the_levels_are_explained_in_words(student_client, course, levels):
    page = visible_text(student_client.get(course.get_absolute_url()), status=200)

    assert "What the mastery levels mean" in page
    assert "below 70%" in page
    assert "three weeks or more" in page


def test_a_visitor_sees_no_mastery(client, student, course, levels):
    page = visible_text(client.get(course.get_absolute_url()), status=200)

    assert "Mastery" not in page
    assert "mastery" not in page
    assert "Practise" not in page


def test_the_hook_answers_nothing_for_a_visitor(course, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    lessons = [quiz.lesson for quiz in make_lessons(course, 2)]

    with django_assert_num_queries(0):
        assert mastery_for(request, lessons) == {}


# -------------------------------------------------------------------- query counts


@pytest.fixture(params=[3, 10], ids=["3 lessons", "10 lessons"])
def studied(request, student, course):
    """A course of 3 or 10 lessons, each passed with a card per question."""
    now = timezone.now()
    quizzes = make_lessons(course, request.param)
    for quiz in quizzes:
        all_right(student, quiz, now)
    return quizzes


def test_the_mastery_costs_one_query_however_many_lessons(
    student, studied, django_assert_num_queries
):
    request = RequestFactory().get("/")
    request.user = student
    lessons = [quiz.lesson for quiz in studied]  # their course loaded, as on the pages
    read = {row.lesson_id: row for row in LessonProgress.objects.filter(user=student)}

    with django_assert_num_queries(1):  # the cards: the page has read the progress
        found = mastery_for(request, lessons, read)

    assert [found[lesson.pk].label for lesson in lessons] == ["Proficient"] * len(lessons)


# Signed-in pages pay 6 queries of their own (session, user, the Teachers-group check
# and the sliding session's renewal, 3) and one for the navigation's count of reviews
# due; the page's own reads follow, and the mastery's cards are one more.
COURSE_PAGE_QUERIES = 12  # ... course, lessons, progress, due dates, cards
PROGRESS_PAGE_QUERIES = 14  # ... courses, lessons, progress, attempts (3), cards


def test_the_course_page_stays_flat(student_client, course, studied, django_assert_max_num_queries):
    with django_assert_max_num_queries(COURSE_PAGE_QUERIES):
        page = visible_text(student_client.get(course.get_absolute_url()), status=200)

    assert page.count("Mastery: Proficient") == len(studied)
    assert sum(f"Practise {quiz.lesson.title}" in page for quiz in studied) == len(studied)


def test_the_progress_page_stays_flat(student_client, studied, django_assert_max_num_queries):
    with django_assert_max_num_queries(PROGRESS_PAGE_QUERIES):
        page = visible_text(student_client.get(PROGRESS), status=200)

    assert page.count("Proficient Practise") == len(studied)


def test_a_draft_lesson_in_preview_offers_no_practice(client, admin_user, course):
    [quiz] = make_lessons(course, 1)
    all_right(admin_user, quiz, timezone.now())
    quiz.lesson.published = False
    quiz.lesson.save()
    client.force_login(admin_user)

    html = client.get(course.get_absolute_url()).content.decode()

    assert "Mastery: Proficient" in course_item(html, quiz)  # staff preview the draft
    assert practice_url(quiz) not in html  # practice serves published lessons only
