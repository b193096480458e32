"""/teach/classes/<id>/progress.csv: the grid as a spreadsheet-safe UTF-8 CSV."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.teaching_data import make_class, make_course, take_quiz

# The file's first line as a spreadsheet shows it, up to the lesson columns.
HEADER = (
    "username,first name,last name,lessons passed,average best score,last activity,needs attention"
).split(",")


@pytest.fixture
def course_and_quizzes(db):
    return make_course(lessons=2, questions=4)


def csv_url(classroom):
    return reverse("teaching:class_csv", args=[classroom.pk])


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_url_is_the_documented_path(teacher, course_and_quizzes):
    classroom = make_class(teachers=[teacher], courses=[course_and_quizzes[0]])

    assert csv_url(classroom) == f"/teach/classes/{classroom.pk}/progress.csv"


def test_csv_is_a_utf8_attachment(teacher_client, teacher, course_and_quizzes):
    classroom = make_class(teachers=[teacher], courses=[course_and_quizzes[0]])

    response = teacher_client.get(csv_url(classroom))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".csv" in response["Content-Disposition"]


def test_csv_has_a_header_and_one_row_per_student(teacher_client, teacher, course_and_quizzes):
    course, quizzes = course_and_quizzes
    zoe = UserFactory(username="zoe", first_name="Zoë", last_name="Müller")
    ann = UserFactory(username="ann")
    classroom = make_class(teachers=[teacher], courses=[course], students=[zoe, ann])
    take_quiz(zoe, quizzes[0], right=4)
    take_quiz(zoe, quizzes[1], right=0)

    header, *rows = read_csv(teacher_client.get(csv_url(classroom)))

    lessons = [quiz.lesson for quiz in quizzes]
    assert header == HEADER + [f"{lesson.position}. {lesson.title}" for lesson in lessons]
    assert [row[0] for row in rows] == ["ann", "zoe"]
    ann_row, zoe_row = rows
    assert ann_row[3:5] == ["0", ""]
    assert ann_row[7:] == ["not started", "not started"]
    assert zoe_row[:5] == ["zoe", "Zoë", "Müller", "1", "50.0"]
    assert zoe_row[5]  # an ISO date and time
    assert zoe_row[6] == "yes"
    assert zoe_row[7:] == ["passed 100%", "not passed yet 0%"]


@pytest.mark.parametrize(
    "dangerous", ["=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1"]
)
def test_formula_like_cells_are_neutralised(teacher_client, teacher, course_and_quizzes, dangerous):
    student = UserFactory(username="mallory", first_name=dangerous, last_name=dangerous)
    classroom = make_class(teachers=[teacher], courses=[course_and_quizzes[0]], students=[student])

    _header, row = read_csv(teacher_client.get(csv_url(classroom)))

    assert row[1] == "'" + dangerous
    assert row[2] == "'" + dangerous


def test_a_username_starting_with_a_formula_sign_is_neutralised(
    teacher_client, teacher, course_and_quizzes
):
    student = UserFactory(username="@mallory")
    classroom = make_class(teachers=[teacher], courses=[course_and_quizzes[0]], students=[student])

    _header, row = read_csv(teacher_client.get(csv_url(classroom)))

    assert row[0] == "'@mallory"


def test_lesson_titles_are_neutralised_too(teacher_client, teacher, course_and_quizzes):
    course, quizzes = course_and_quizzes
    lesson = quizzes[0].lesson
    lesson.title = '=HYPERLINK("http://evil")'
    lesson.save()
    classroom = make_class(teachers=[teacher], courses=[course])

    header, *_ = read_csv(teacher_client.get(csv_url(classroom)))

    assert header[7] == '1. =HYPERLINK("http://evil")'  # starts with a digit: safe as is
    assert all(cell[:1] not in "=+-@" for cell in header)
