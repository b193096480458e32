"""The teacher pages run a fixed number of queries, whatever the size of the class.

Each page is measured at 3 and at 30 students (each with two attempts at each
of three quizzes) against one bound: a query per student would break it.
"""

import pytest
from django.urls import reverse

from tests.teaching_data import bulk_attempts, make_class, make_course, make_students

# Every page pays 6 of these: session, user, the Teachers-group check, and the
# session refresh of a first request (savepoint, update, release). HTML pages
# pay two more Teachers-group checks for the navigation bar.
BOUNDS = {
    "teach_home": 11,
    "class_grid": 15,
    "class_csv": 10,
    "student_record": 14,
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
