"""The teacher pages run a fixed number of queries, whatever the size of the class.

Each page is measured at 3 and at 30 students (each with two attempts at each
of three quizzes) against one bound: a query per student would break it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.grading import start_attempt
from quizzes.models import AttemptAllowance
from teaching.models import LessonDueDate
from tests.teaching_data import bulk_attempts, make_class, make_course, make_students

# Every page pays 6 of these: session, user, the Teachers-group check, and the
# session refresh of a first request (savepoint, update, release). HTML pages
# pay two more Teachers-group checks for the navigation bar, and one for its count of
# reviews due (review.context_processors; cached after the first page).
BOUNDS = {
    "teach_home": 11,
    # The grid's own 8: the class, its lessons with their due dates, the count, the
    # page of students (by name) and their totals, progress cells, open and extra
    # attempts (one query), column summaries. Other orders and the attention filter
    # pick the page with the totals: no more.
    "class_grid": 15,
    "class_csv": 11,
    "student_record": 15,
    "stats": 17,  # 14, and the pool with its choices for the item checks, and the reports
}


@pytest.fixture(params=[3, 30], ids=["3 students", "30 students"])
def classroom(request, teacher, db):
    course, quizzes = make_course(lessons=3, questions=4)
    students = make_students(request.param)
    classroom = make_class(teachers=[teacher], courses=[course], students=students)
    make_class(teachers=[teacher], courses=[course], students=students[:2], name="Second class")
    bulk_attempts(students, quizzes, attempts=2)
    classroom.quizzes = quizzes
    classroom.first_student = students[0]
    return classroom


def page_url(name, classroom):
    if name == "teach_home":
        return reverse("teaching:teach")
    if name == "student_record":
        return reverse("teaching:student_record", args=[classroom.pk, classroom.first_student.pk])
    if name == "stats":
        quiz = classroom.quizzes[0]
        return reverse("teaching:stats", args=[quiz.pk]) + f"?class={classroom.pk}&attempts=all"
    return reverse(f"teaching:{name}", args=[classroom.pk])


@pytest.mark.parametrize("name", BOUNDS)
def test_page_query_count_does_not_grow_with_the_class(
    client, teacher, classroom, django_assert_max_num_queries, name
):
    client.force_login(teacher)

    with django_assert_max_num_queries(BOUNDS[name]):
        response = client.get(page_url(name, classroom))

    assert response.status_code == 200


@pytest.mark.parametrize("query", ["?sort=progress", "?sort=activity&attention=on", "?page=2"])
def test_grid_sorted_filtered_or_paged_keeps_its_bound(
    client, teacher, classroom, django_assert_max_num_queries, query
):
    client.force_login(teacher)

    with django_assert_max_num_queries(BOUNDS["class_grid"]):
        response = client.get(reverse("teaching:class_grid", args=[classroom.pk]) + query)

    assert response.status_code == 200


# The grid and the CSV also show due dates, open attempts and extra attempts, and
# group lessons by course: the same bound for a small class of one short course and
# a large class of three courses, with all of those in it.
GROWING = {
    "class_grid": BOUNDS["class_grid"],
    "class_csv": BOUNDS["class_csv"],
    "due_dates": 9,
    "archived_classes": 8,
}


@pytest.fixture(params=[(3, 2, 1), (30, 6, 3)], ids=["3 students, 2 lessons, 1 course", "30, 6, 3"])
def busy_class(request, teacher, db):
    students_count, lessons, courses = request.param
    made = [make_course(lessons=lessons // courses, questions=4) for _ in range(courses)]
    quizzes = [quiz for _course, course_quizzes in made for quiz in course_quizzes]
    students = make_students(students_count)
    classroom = make_class(
        teachers=[teacher], courses=[course for course, _ in made], students=students
    )
    bulk_attempts(students, quizzes[:-1], attempts=2)
    now = timezone.now()
    LessonDueDate.objects.bulk_create(
        LessonDueDate(classroom=classroom, lesson=quiz.lesson, due_at=now + timedelta(days=n - 2))
        for n, quiz in enumerate(quizzes)
    )
    AttemptAllowance.objects.bulk_create(
        AttemptAllowance(quiz=quiz, user=student, extra_attempts=1)
        for quiz in quizzes
        for student in students[::2]
    )
    for student in students[: len(students) // 2]:
        start_attempt(user=student, quiz=quizzes[-1])
    archived = make_class(teachers=[teacher], courses=[made[0][0]], name="Last year")
    archived.archived_at = now
    archived.save()
    return classroom


@pytest.mark.parametrize("name", GROWING)
def test_class_pages_do_not_grow_with_students_lessons_or_courses(
    client, teacher, busy_class, django_assert_max_num_queries, name
):
    client.force_login(teacher)
    args = [] if name == "archived_classes" else [busy_class.pk]

    with django_assert_max_num_queries(GROWING[name]):
        response = client.get(reverse(f"teaching:{name}", args=args))

    assert response.status_code == 200
    if name == "class_grid":
        assert "In progress" in response.content.decode()
        assert "+1 attempt" in response.content.decode()
