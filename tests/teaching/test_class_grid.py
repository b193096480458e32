"""/teach/classes/<id>/: students x lessons, with totals, summaries, sorting, filter, pages."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import LessonProgress
from learning.progress import record_visit
from quizzes.grading import start_attempt
from quizzes.models import Attempt, AttemptAllowance
from teaching.models import Enrollment, LessonDueDate
from tests.factories import UserFactory
from tests.pages import row_for, table_rows, visible_text
from tests.teaching.test_due_dates import viewing_in
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
    assert header[:4] == ["Student", "Passed", "Average", "Last activity"]
    assert [cell.split()[0] for cell in header[4:7]] == ["L1", "L2", "L3"]
    assert [row[0] for row in students] == ["ann Needs attention", "ben", "cat"]
    assert all(len(row) == len(header) for row in students)
    assert footer[0] == "Completion · average"


def test_cells_show_status_in_words_and_best_score(teacher_client, classroom):
    html = teacher_client.get(grid_url(classroom)).content.decode()

    assert row_for(html, "ann")[4:7] == ["Passed · 100%", "Not passed yet · 0%", "Not started"]
    assert row_for(html, "ben")[4:7] == ["Read", "Not started", "Not started"]
    assert row_for(html, "cat")[4:7] == ["Not started", "Not started", "Not started"]


def test_row_totals(teacher_client, classroom):
    html = teacher_client.get(grid_url(classroom)).content.decode()

    today = timezone.now()
    assert row_for(html, "ann")[1:4] == ["1 / 3", "50%", f"{today.day} {today:%b %Y}"]
    assert row_for(html, "ben")[1:3] == ["0 / 3", "–"]
    assert row_for(html, "cat")[1:4] == ["0 / 3", "–", "Never"]


def test_column_summaries(teacher_client, classroom):
    """L1: 1 of 3 passed, best 100; L2: none passed, best 0; L3: nobody."""
    rows = table_rows(teacher_client.get(grid_url(classroom)).content.decode())

    assert rows[-1][2:5] == ["33% · 100%", "0% · 0%", "0% · –"]


def test_work_of_students_outside_the_class_is_not_summarised(
    teacher_client, classroom, course_and_quizzes
):
    outsider = UserFactory(username="outsider")
    take_quiz(outsider, course_and_quizzes[1][1], right=4)

    html = teacher_client.get(grid_url(classroom)).content.decode()

    assert "outsider" not in html
    assert table_rows(html)[-1][3] == "0% · 0%"


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

    assert [cell.split()[0] for cell in header[4:6]] == ["L1", "L2"]
    assert header[6] == "Actions"


def test_student_names_are_escaped(teacher_client, classroom):
    classroom.students.filter(username="cat").update(first_name="<script>alert(1)</script>")

    html = teacher_client.get(grid_url(classroom)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---------------------------------------------------------------- statuses a teacher can act on


@pytest.fixture
def dated_class(teacher):
    """A class whose lesson 1 was due yesterday and lesson 2 is due next week."""
    course, quizzes = make_course(lessons=3, questions=4)
    students = [UserFactory(username=name) for name in ("ann", "ben", "cat")]
    classroom = make_class(teachers=[teacher], courses=[course], students=students)
    now = timezone.now()
    LessonDueDate.objects.create(
        classroom=classroom, lesson=quizzes[0].lesson, due_at=now - timedelta(days=1)
    )
    LessonDueDate.objects.create(
        classroom=classroom, lesson=quizzes[1].lesson, due_at=now + timedelta(days=7)
    )
    return classroom, quizzes, students


def test_every_status_reads_in_words(teacher_client, dated_class):
    classroom, quizzes, (ann, ben, cat) = dated_class
    take_quiz(ann, quizzes[0], right=4)  # after yesterday's due date: late
    take_quiz(ann, quizzes[1], right=4)  # before next week's: on time
    start_attempt(user=ann, quiz=quizzes[2])  # open, still running
    for _ in range(3):  # the quiz allows three
        take_quiz(ben, quizzes[1], right=0)
    record_visit(cat, quizzes[0].lesson)

    html = teacher_client.get(grid_url(classroom)).content.decode()

    assert row_for(html, "ann")[4:7] == ["Done late · 100%", "Passed · 100%", "In progress"]
    assert row_for(html, "ben")[4:6] == ["Not started Overdue", "No attempts left · 0%"]
    assert row_for(html, "cat")[4] == "Read Overdue"
    assert row_for(html, "cat")[5:7] == ["Not started", "Not started"]


def test_statuses_differ_in_colour_as_well_as_words(teacher_client, dated_class):
    classroom, quizzes, (ann, _ben, _cat) = dated_class
    take_quiz(ann, quizzes[0], right=4)
    take_quiz(ann, quizzes[1], right=4)

    html = teacher_client.get(grid_url(classroom)).content.decode()

    late = re.search(r'<span class="badge ([^"]+)">Done late', html).group(1)
    passed = re.search(r'<span class="badge ([^"]+)">Passed ·', html).group(1)
    overdue = re.search(r'<span class="badge ([^"]+)">Overdue', html).group(1)
    assert len({late, passed, overdue}) == 3
    legend = visible_text(html.split('<h2 class="h6 mt-3">Key</h2>')[1])
    for words in ("Done late", "In progress", "No attempts left", "Overdue", "+1 attempt"):
        assert words in legend


def test_an_open_attempt_past_its_time_limit_is_not_in_progress(teacher_client, dated_class):
    classroom, quizzes, (ann, _ben, _cat) = dated_class
    attempt = start_attempt(user=ann, quiz=quizzes[2])
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    html = teacher_client.get(grid_url(classroom)).content.decode()

    assert row_for(html, "ann")[6] == "Not started"


def test_extra_attempts_show_in_the_students_cell(teacher_client, dated_class):
    classroom, quizzes, (ann, ben, _cat) = dated_class
    take_quiz(ben, quizzes[1], right=0)
    AttemptAllowance.objects.create(quiz=quizzes[1], user=ben, extra_attempts=1)
    AttemptAllowance.objects.create(quiz=quizzes[2], user=ann, extra_attempts=2)

    html = teacher_client.get(grid_url(classroom)).content.decode()

    assert row_for(html, "ben")[5] == "Not passed yet · 0% +1 attempt"
    assert row_for(html, "ann")[6] == "Not started +2 attempts"
    assert row_for(html, "ann")[5] == "Not started"


def test_column_headers_show_the_due_date_in_the_teachers_time_zone(teacher_client, dated_class):
    classroom, quizzes, _students = dated_class
    due_at = datetime(2030, 3, 1, 23, 30, tzinfo=UTC)
    LessonDueDate.objects.filter(lesson=quizzes[1].lesson).update(due_at=due_at)

    with viewing_in(teacher_client, "Asia/Tokyo"):
        header = table_rows(teacher_client.get(grid_url(classroom)).content.decode())[0]

    assert "due Sat 2 Mar, 08:30" in header[5]


# ---------------------------------------------------------------- headers people can read


def test_lesson_headers_are_shortened_with_the_full_title_for_keyboard_and_screen_reader(
    teacher_client, classroom, course_and_quizzes
):
    lesson = course_and_quizzes[1][0].lesson
    lesson.title = "Why a reassurance force needs a ceasefire before anything else"
    lesson.save()

    html = teacher_client.get(grid_url(classroom)).content.decode()

    head = re.search(r'<span class="lesson-head" tabindex="0">(.*?)</span></span>', html, re.S)
    shown, full = re.findall(r"<span([^>]*)>(.*?)</span>", head.group(1) + "</span>", re.S)
    assert shown == (' aria-hidden="true"', "L1 Why a reassurance force…")  # read once, in full
    assert full == (' class="lesson-full"', f"Lesson 1: {lesson.title}")


def test_a_class_of_several_courses_groups_lessons_under_course_names(teacher_client, teacher):
    first, _ = make_course(lessons=2)
    second, _ = make_course(lessons=3)
    first.title, second.title = "Alliances", "Borders"
    first.save()
    second.save()
    classroom = make_class(
        teachers=[teacher], courses=[first, second], students=[UserFactory(username="ann")]
    )

    html = teacher_client.get(grid_url(classroom)).content.decode()

    groups = re.findall(r'<th scope="colgroup" colspan="(\d+)"[^>]*>([^<]+)</th>', html)
    assert groups == [("2", "Alliances"), ("3", "Borders")]
    courses_row, lessons_row, ann, _footer = table_rows(html)
    assert courses_row[:4] == ["Student", "Passed", "Average", "Last activity"]
    assert [cell.split()[0] for cell in lessons_row] == ["L1", "L2", "L1", "L2", "L3"]
    assert "(Borders)" in lessons_row[2]
    assert len(ann) == 4 + 5 + 1


def test_remove_and_new_code_go_to_confirmation_pages(teacher_client, classroom):
    html = teacher_client.get(grid_url(classroom)).content.decode()
    ann = classroom.students.get(username="ann")

    assert reverse("teaching:confirm_remove", args=[classroom.pk, ann.pk]) in html
    assert reverse("teaching:confirm_code", args=[classroom.pk]) in html
    assert f'action="{reverse("teaching:remove_student", args=[classroom.pk, ann.pk])}"' not in html
    assert f'action="{reverse("teaching:regenerate_code", args=[classroom.pk])}"' not in html


def test_a_class_whose_lessons_are_all_unpublished_still_lists_its_students(
    teacher_client, classroom, course_and_quizzes
):
    course_and_quizzes[0].lessons.update(published=False)

    grid = teacher_client.get(grid_url(classroom))
    csv_file = teacher_client.get(reverse("teaching:class_csv", args=[classroom.pk]))

    assert grid.status_code == 200
    assert student_names(grid.content.decode()) == ["ann", "ben", "cat"]
    assert csv_file.status_code == 200
    assert len(csv_file.content.decode().splitlines()) == 4
