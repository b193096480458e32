"""/teach/classes/<id>/: students x lessons, with totals, summaries, sorting, filter, pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import LessonProgress
from learning.progress import record_visit
from teaching.models import Enrollment
from tests.factories import UserFactory
from tests.pages import row_for, table_rows
from tests.teaching_data import make_class, make_course, make_students, take_quiz


@pytest.fixture
def course_and_quizzes(db):
    return make_course(lessons=3, questions=4)


@pytest.fixture
def classroom(teacher, course_and_quizzes):
    """ann passed L1 (100%) and failed L2 (0%); ben read L1; cat did nothing."""
    course, quizzes = course_and_quizzes
    ann, ben, cat = (UserFactory(username=name) for name in ("ann", "ben", "cat"))
    classroom = make_class(teachers=[teacher], courses=[course], students=[ann, ben, cat])
    take_quiz(ann, quizzes[0], right=4)
    take_quiz(ann, quizzes[1], right=0)
    record_visit(ben, quizzes[0].lesson)
    return classroom


def grid_url(classroom, query=""):
    return reverse("teaching:class_grid", args=[classroom.pk]) + query


def student_names(html):
    """Student names in the order of the grid's rows."""
    return [row[0].split()[0] for row in table_rows(html)[1:-1]]


def test_grid_url_is_the_documented_path(classroom):
    assert grid_url(classroom) == f"/teach/classes/{classroom.pk}/"


def test_one_row_per_student_and_one_column_per_lesson(teacher_client, classroom):
    rows = table_rows(teacher_client.get(grid_url(classroom)).content.decode())

    header, *students, footer = rows
    assert [cell.split()[0] for cell in header[1:4]] == ["L1", "L2", "L3"]
    assert header[4:7] == ["Passed", "Average", "Last activity"]
    assert [row[0] for row in students] == ["ann Needs attention", "ben", "cat"]
    assert all(len(row) == len(header) for row in students)
    assert footer[0] == "Completion · average"


def test_cells_show_status_in_words_and_best_score(teacher_client, classroom):
    html = teacher_client.get(grid_url(classroom)).content.decode()

    assert row_for(html, "ann")[1:4] == ["Passed · 100%", "Not passed yet · 0%", "Not started"]
    assert row_for(html, "ben")[1:4] == ["Read", "Not started", "Not started"]
    assert row_for(html, "cat")[1:4] == ["Not started", "Not started", "Not started"]


def test_row_totals(teacher_client, classroom):
    html = teacher_client.get(grid_url(classroom)).content.decode()

    today = timezone.now()
    assert row_for(html, "ann")[4:7] == ["1 / 3", "50%", f"{today.day} {today:%b %Y}"]
    assert row_for(html, "ben")[4:6] == ["0 / 3", "–"]
    assert row_for(html, "cat")[4:7] == ["0 / 3", "–", "Never"]


def test_column_summaries(teacher_client, classroom):
    """L1: 1 of 3 passed, best 100; L2: none passed, best 0; L3: nobody."""
    rows = table_rows(teacher_client.get(grid_url(classroom)).content.decode())

    assert rows[-1][1:4] == ["33% · 100%", "0% · 0%", "0% · –"]


def test_work_of_students_outside_the_class_is_not_summarised(
    teacher_client, classroom, course_and_quizzes
):
    outsider = UserFactory(username="outsider")
    take_quiz(outsider, course_and_quizzes[1][1], right=4)

    html = teacher_client.get(grid_url(classroom)).content.decode()

    assert "outsider" not in html
    assert table_rows(html)[-1][2] == "0% · 0%"


def test_grid_links_each_student_to_their_record_and_each_quiz_to_its_statistics(
    teacher_client, classroom, course_and_quizzes
):
    html = teacher_client.get(grid_url(classroom)).content.decode()

    for student in classroom.students.all():
        assert reverse("teaching:student_record", args=[classroom.pk, student.pk]) in html
    for quiz in course_and_quizzes[1]:
        assert f"{reverse('teaching:stats', args=[quiz.pk])}?class={classroom.pk}" in html


def test_sort_by_name_progress_and_activity(teacher_client, classroom):
    ben = classroom.students.get(username="ben")
    LessonProgress.objects.filter(user=ben).update(last_activity_at=timezone.now() + timedelta(1))

    def order(sort):
        return student_names(
            teacher_client.get(grid_url(classroom, f"?sort={sort}")).content.decode()
        )

    assert order("name") == ["ann", "ben", "cat"]
    assert order("progress") == ["ann", "ben", "cat"]
    assert order("activity") == ["ben", "ann", "cat"]


def test_progress_sort_puts_most_lessons_passed_first(
    teacher_client, classroom, course_and_quizzes
):
    cat = classroom.students.get(username="cat")
    for quiz in course_and_quizzes[1][:2]:
        take_quiz(cat, quiz, right=4)

    html = teacher_client.get(grid_url(classroom, "?sort=progress")).content.decode()

    assert student_names(html) == ["cat", "ann", "ben"]


def test_name_sort_follows_the_name_the_teacher_sees(teacher_client, classroom):
    classroom.students.filter(username="cat").update(first_name="Aaron", last_name="Zed")

    html = teacher_client.get(grid_url(classroom, "?sort=name")).content.decode()

    assert student_names(html) == ["Aaron", "ann", "ben"]


def test_invalid_sort_falls_back_to_name(teacher_client, classroom):
    response = teacher_client.get(grid_url(classroom, "?sort=password&page=zz&attention=maybe"))

    assert response.status_code == 200
    assert student_names(teacher_client.get(grid_url(classroom, "?sort=x")).content.decode()) == [
        "ann",
        "ben",
        "cat",
    ]


def test_attention_filter_shows_only_students_who_need_it(teacher_client, classroom):
    cat = classroom.students.get(username="cat")
    Enrollment.objects.filter(student=cat).update(joined_at=timezone.now() - timedelta(days=8))

    html = teacher_client.get(grid_url(classroom, "?attention=on")).content.decode()

    assert student_names(html) == ["ann", "cat"]


def test_attention_filter_with_nobody_to_show(teacher_client, teacher, course_and_quizzes):
    classroom = make_class(teachers=[teacher], courses=[course_and_quizzes[0]])

    html = teacher_client.get(grid_url(classroom, "?attention=on")).content.decode()

    assert "No student needs attention right now." in html


def test_large_class_is_paged_by_fifty(teacher_client, teacher, course_and_quizzes):
    classroom = make_class(
        teachers=[teacher], courses=[course_and_quizzes[0]], students=make_students(51)
    )

    first = teacher_client.get(grid_url(classroom)).content.decode()
    second = teacher_client.get(grid_url(classroom, "?sort=name&page=2")).content.decode()

    assert len(student_names(first)) == 50
    assert "Page 1 of 2" in first
    assert "?sort=name&amp;page=2" in first
    assert student_names(second) == ["pupil051"]
    assert "51 students" in second


def test_empty_class_shows_the_join_code(teacher_client, teacher, course_and_quizzes):
    classroom = make_class(teachers=[teacher], courses=[course_and_quizzes[0]])

    html = teacher_client.get(grid_url(classroom)).content.decode()

    assert "No students yet" in html
    assert classroom.join_code in html


def test_unpublished_lessons_are_not_columns(teacher_client, classroom, course_and_quizzes):
    course_and_quizzes[1][2].lesson.__class__.objects.filter(
        pk=course_and_quizzes[1][2].lesson.pk
    ).update(published=False)

    header = table_rows(teacher_client.get(grid_url(classroom)).content.decode())[0]

    assert [cell.split()[0] for cell in header[1:3]] == ["L1", "L2"]
    assert header[3] == "Passed"


def test_student_names_are_escaped(teacher_client, classroom):
    classroom.students.filter(username="cat").update(first_name="<script>alert(1)</script>")

    html = teacher_client.get(grid_url(classroom)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
