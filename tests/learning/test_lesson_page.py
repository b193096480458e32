"""The lesson page: sanitised body, key points, reading time, neighbours, quiz link, visits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import LessonProgress, Status
from learning.progress import record_visit
from quizzes.models import QuestionStatus
from tests.factories import CourseFactory, LessonFactory, QuestionFactory, QuizFactory
from tests.pages import visible_text


@pytest.fixture
def course(db):
    return CourseFactory()


@pytest.fixture
def lessons(course):
    return [
        LessonFactory(course=course, position=n, title=f"Part {n}", slug=f"part-{n}")
        for n in (1, 2, 3)
    ]


def url(lesson):
    return reverse("learning:lesson", args=[lesson.course.slug, lesson.slug])


def test_body_markdown_is_rendered_and_sanitised(client, lessons):
    lesson = lessons[0]
    lesson.body = "Troops **on the ground**.\n\n<script>alert('owned')</script>\n\n- one\n- two"
    lesson.save()

    html = client.get(url(lesson)).content.decode()

    assert "<strong>on the ground</strong>" in html
    assert "alert('owned')" not in html
    assert "<li>one</li>" in html


def test_key_points_reading_time_and_summary(client, lessons):
    lesson = lessons[0]
    lesson.body = "word " * 600
    lesson.key_points = "Europe leads.\n\n  The US backs it.  \n"
    lesson.summary = "What the force would do."
    lesson.save()

    page = visible_text(client.get(url(lesson)), status=200)

    assert "Key points Europe leads. The US backs it." in page
    assert "about 3 min read" in page
    assert "What the force would do." in page


def test_short_lesson_reads_in_one_minute(client, lessons):
    assert "about 1 min read" in visible_text(client.get(url(lessons[0])), status=200)


def test_previous_and_next_lessons_are_linked(client, lessons):
    first, middle, last = lessons

    html = client.get(url(middle)).content.decode()
    first_html = client.get(url(first)).content.decode()
    last_html = client.get(url(last)).content.decode()

    assert f'href="{url(first)}" rel="prev"' in html
    assert f'href="{url(last)}" rel="next"' in html
    assert 'rel="prev"' not in first_html and f'href="{url(middle)}" rel="next"' in first_html
    assert 'rel="next"' not in last_html and f'href="{url(middle)}" rel="prev"' in last_html


def test_draft_neighbours_are_skipped_for_students(client, lessons):
    first, middle, last = lessons
    middle.published = False
    middle.save()

    html = client.get(url(first)).content.decode()

    assert f'href="{url(last)}" rel="next"' in html
    assert url(middle) not in html


def test_lesson_with_a_quiz_links_to_it(client, lessons):
    quiz = QuizFactory(lesson=lessons[0])
    QuestionFactory(quiz=quiz)

    html = client.get(url(lessons[0])).content.decode()
    other = client.get(url(lessons[1])).content.decode()

    assert f'href="{quiz.get_absolute_url()}"' in html
    assert "Take the quiz" in html
    assert "Take the quiz" not in other


def test_a_quiz_with_only_drafts_or_too_few_approved_questions_is_not_advertised(client, lessons):
    drafts = QuizFactory(lesson=lessons[0])
    QuestionFactory(quiz=drafts, status=QuestionStatus.DRAFT)
    QuestionFactory(quiz=drafts, status=QuestionStatus.RETIRED)
    too_few = QuizFactory(lesson=lessons[1], questions_per_attempt=3)
    QuestionFactory.create_batch(2, quiz=too_few)

    for lesson in lessons[:2]:
        assert "Take the quiz" not in client.get(url(lesson)).content.decode()

    QuestionFactory(quiz=too_few)
    assert "Take the quiz" in client.get(url(lessons[1])).content.decode()


def test_original_section_is_offered(client, lessons):
    lessons[0].source_text = "The section as the explainer put it."
    lessons[0].save()

    assert "The section as the explainer put it." in visible_text(
        client.get(url(lessons[0])), status=200
    )


def test_first_visit_records_first_and_last_view(student_client, student, lessons):
    student_client.get(url(lessons[0]))

    progress = LessonProgress.objects.get(user=student, lesson=lessons[0])
    assert progress.first_viewed_at is not None
    assert progress.last_viewed_at == progress.first_viewed_at
    assert progress.status == Status.READ


def test_second_visit_moves_only_the_last_view(student_client, student, lessons):
    lesson = lessons[0]
    earlier = timezone.now() - timedelta(days=3)
    record_visit(student, lesson, now=earlier)

    student_client.get(url(lesson))

    progress = LessonProgress.objects.get(user=student, lesson=lesson)
    assert progress.first_viewed_at == earlier
    assert progress.last_viewed_at > earlier
    assert LessonProgress.objects.filter(user=student).count() == 1


def test_visit_after_a_quiz_without_reading_sets_the_first_view(student, lessons):
    lesson = lessons[0]
    LessonProgress.objects.create(user=student, lesson=lesson, attempts_submitted=1)

    record_visit(student, lesson)

    progress = LessonProgress.objects.get(user=student, lesson=lesson)
    assert progress.first_viewed_at is not None
    assert progress.attempts_submitted == 1


def test_anonymous_visitor_reads_a_published_lesson_and_records_nothing(client, lessons):
    response = client.get(url(lessons[0]))

    assert response.status_code == 200
    assert not LessonProgress.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_draft_lesson_is_404(client, student, lessons, who):
    lessons[0].published = False
    lessons[0].save()
    if who == "student":
        client.force_login(student)

    assert client.get(url(lessons[0])).status_code == 404
    assert not LessonProgress.objects.exists()


def test_lesson_of_a_draft_course_is_404_for_students(student_client, course, lessons):
    course.published = False
    course.save()

    assert student_client.get(url(lessons[0])).status_code == 404


def test_staff_preview_draft_lessons(client, admin_user, lessons):
    lessons[1].published = False
    lessons[1].save()
    client.force_login(admin_user)

    response = client.get(url(lessons[1]))

    assert response.status_code == 200
    assert "Draft" in visible_text(response, status=200)


def test_unknown_lesson_is_404(client, lessons):
    assert client.get(f"/courses/{lessons[0].course.slug}/no-such-lesson/").status_code == 404


def test_anonymous_lesson_page_runs_two_queries(client, db, django_assert_max_num_queries):
    # Bound from `make bench`: the lesson (with course and quiz) and its siblings.
    from tests.factories import make_quiz

    quiz = make_quiz(questions=3)
    lesson = quiz.lesson
    with django_assert_max_num_queries(2):
        response = client.get(f"/courses/{lesson.course.slug}/{lesson.slug}/")
    assert response.status_code == 200
