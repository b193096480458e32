"""/teach/classes/<id>/progress.csv: the grid as a spreadsheet-safe UTF-8 CSV."""

import csv
import io
import zoneinfo
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import LessonProgress
from quizzes.grading import start_attempt
from quizzes.models import AttemptAllowance
from teaching.models import LessonDueDate
from tests.factories import UserFactory
from tests.teaching.test_due_dates import viewing_in
from tests.teaching_data import make_class, make_course, take_quiz

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# The file's first line as a spreadsheet shows it, up to the lesson columns.
HEADER = (
    "username,first name,last name,lessons passed,average best score,last activity (UTC),"
    "needs attention"
).split(",")


def lesson_columns(lesson, due=""):
    name = f"{lesson.course.title} – {lesson.position}. {lesson.title}"
    return [f"status{due}: {name}", f"score: {name}"]


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
    assert header == HEADER + lesson_columns(lessons[0]) + lesson_columns(lessons[1])
    assert [row[0] for row in rows] == ["ann", "zoe"]
    ann_row, zoe_row = rows
    assert ann_row[3:5] == ["0", ""]
    assert ann_row[7:] == ["not started", "", "not started", ""]
    assert zoe_row[:5] == ["zoe", "Zoë", "Müller", "1", "50.0"]
    assert zoe_row[5] == timezone.localtime().strftime("%Y-%m-%d %H:%M")  # in the teacher's zone
    assert zoe_row[6] == "yes"
    assert zoe_row[7:] == ["passed", "100", "not passed yet", "0"]


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

    # Inside the header, after the course's name: safe as it is.
    assert header[7] == f'status: {course.title} – 1. =HYPERLINK("http://evil")'
    assert all(cell[:1] not in "=+-@" for cell in header)


def test_scores_are_numbers_a_spreadsheet_can_sum(teacher_client, teacher, course_and_quizzes):
    course, quizzes = course_and_quizzes
    zoe = UserFactory(username="zoe")
    classroom = make_class(teachers=[teacher], courses=[course], students=[zoe])
    take_quiz(zoe, quizzes[0], right=1)  # 1 of 4
    LessonProgress.objects.create(
        user=zoe, lesson=quizzes[1].lesson, best_score=Decimal("66.67"), attempts_submitted=1
    )

    _header, row = read_csv(teacher_client.get(csv_url(classroom)))

    assert row[8] == "25"
    assert row[9:11] == ["not passed yet", "66.67"]


def test_every_status_and_the_due_dates_are_in_the_file(
    teacher_client, teacher, course_and_quizzes
):
    course, quizzes = course_and_quizzes
    ann, ben = UserFactory(username="ann"), UserFactory(username="ben")
    classroom = make_class(teachers=[teacher], courses=[course], students=[ann, ben])
    first, second = (quiz.lesson for quiz in quizzes)
    LessonDueDate.objects.create(
        classroom=classroom, lesson=first, due_at=timezone.now() - timedelta(days=1)
    )
    due_at = datetime(2030, 6, 30, 22, 0, tzinfo=UTC)
    LessonDueDate.objects.create(classroom=classroom, lesson=second, due_at=due_at)
    take_quiz(ann, quizzes[0], right=4)  # after its due date
    start_attempt(user=ann, quiz=quizzes[1])
    AttemptAllowance.objects.create(quiz=quizzes[0], user=ben, extra_attempts=2)

    with viewing_in(teacher_client, "Europe/Paris"):
        header, ann_row, ben_row = read_csv(teacher_client.get(csv_url(classroom)))

    first_due = in_paris(LessonDueDate.objects.get(lesson=first).due_at)
    assert header[5] == "last activity (Europe/Paris)"
    assert header[7:9] == lesson_columns(first, due=f" (due {first_due})")
    assert header[9:11] == lesson_columns(second, due=" (due 2030-07-01 00:00)")
    assert ann_row[7:11] == ["done late", "100", "in progress", ""]
    assert ben_row[7:11] == ["not started; overdue; +2 attempts extra", "", "not started", ""]
    progress = LessonProgress.objects.get(user=ann, lesson=first)
    assert ann_row[5] == in_paris(progress.last_activity_at)


def in_paris(moment):
    return moment.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


def test_course_names_head_the_lessons_of_each_course(teacher_client, teacher):
    first, [quiz_a] = make_course(lessons=1)
    second, [quiz_b] = make_course(lessons=1)
    classroom = make_class(teachers=[teacher], courses=[first, second])

    header, *_rows = read_csv(teacher_client.get(csv_url(classroom)))

    assert header[7:] == lesson_columns(quiz_a.lesson) + lesson_columns(quiz_b.lesson)
    assert header[7].startswith(f"status: {first.title} – 1.")
    assert header[9].startswith(f"status: {second.title} – 1.")
