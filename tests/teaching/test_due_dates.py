"""Due dates: a teacher dates the lessons of a class (/teach/classes/<id>/due-dates/);
its students see each date on the course and home pages, in their own time zone."""

import zoneinfo
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.profiles import TIME_ZONE_KEY
from teaching.due_dates import due_label, set_due_dates, student_due_dates
from teaching.models import LessonDueDate
from tests.pages import visible_text
from tests.teaching_data import make_class, make_course, take_quiz

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@contextmanager
def viewing_in(client, zone):
    """Requests of `client` in time zone `zone`, as accounts' time zone middleware
    activates it (from the session); also active here, where the test runs. Make
    every request of that client inside the block: the middleware leaves the zone
    of its last request active in the thread."""
    session = client.session
    session[TIME_ZONE_KEY] = zone
    session.save()
    try:
        with timezone.override(zone):
            yield
    finally:
        session = client.session
        session.pop(TIME_ZONE_KEY, None)
        session.save()


@pytest.fixture
def course_and_quizzes(db):
    return make_course(lessons=3, questions=4)


@pytest.fixture
def classroom(teacher, student, course_and_quizzes):
    return make_class(teachers=[teacher], courses=[course_and_quizzes[0]], students=[student])


def lessons_of(course_and_quizzes):
    return [quiz.lesson for quiz in course_and_quizzes[1]]


def due_url(classroom):
    return reverse("teaching:due_dates", args=[classroom.pk])


def form_data(lessons, **dates):
    """Every field of the form empty, except `date_<n>` / `time_<n>` for lesson n (1-based)."""
    data = {}
    for n, lesson in enumerate(lessons, start=1):
        data[f"date_{lesson.pk}"] = dates.get(f"date_{n}", "")
        data[f"time_{lesson.pk}"] = dates.get(f"time_{n}", "")
    return data


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def end_of(day):
    return datetime.combine(day, time(23, 59), tzinfo=timezone.get_current_timezone())


# ---------------------------------------------------------------- the teacher's page


def test_due_dates_page_is_under_the_class(classroom):
    assert due_url(classroom) == f"/teach/classes/{classroom.pk}/due-dates/"


def test_the_page_has_a_date_and_a_time_for_each_lesson(
    teacher_client, classroom, course_and_quizzes
):
    response = teacher_client.get(due_url(classroom))

    html = response.content.decode()
    assert response.status_code == 200
    for lesson in lessons_of(course_and_quizzes):
        assert f'name="date_{lesson.pk}"' in html and f'name="time_{lesson.pk}"' in html
        assert f"Due date of {lesson.course.title}, lesson {lesson.position}" in html
    assert "in yours: UTC" in visible_text(html)


def test_the_grid_links_to_the_due_dates(teacher_client, classroom):
    grid = teacher_client.get(reverse("teaching:class_grid", args=[classroom.pk]))

    assert due_url(classroom) in grid.content.decode()


def test_a_date_and_time_are_read_in_the_teachers_time_zone(
    teacher_client, classroom, course_and_quizzes
):
    lessons = lessons_of(course_and_quizzes)
    day = in_days(10)

    with viewing_in(teacher_client, "Europe/Paris"):
        response = teacher_client.post(
            due_url(classroom), form_data(lessons, date_1=day.isoformat(), time_1="14:30")
        )
        page = teacher_client.get(response.url).content.decode()

    assert response.status_code == 302
    assert response.url == reverse("teaching:class_grid", args=[classroom.pk])
    saved = LessonDueDate.objects.get(classroom=classroom)
    assert saved.lesson == lessons[0]
    assert saved.due_at == datetime.combine(day, time(14, 30), tzinfo=PARIS)
    assert "Due dates of Year 9 History saved: 1 set, 0 removed." in page


def test_a_date_without_a_time_is_due_at_the_end_of_that_day(
    teacher_client, classroom, course_and_quizzes
):
    lessons = lessons_of(course_and_quizzes)
    day = in_days(3)

    with viewing_in(teacher_client, "Europe/Paris"):
        teacher_client.post(due_url(classroom), form_data(lessons, date_2=day.isoformat()))

    saved = LessonDueDate.objects.get(classroom=classroom, lesson=lessons[1])
    assert saved.due_at == datetime.combine(day, time(23, 59), tzinfo=PARIS)


def test_the_form_shows_saved_dates_in_the_teachers_time_zone(
    teacher_client, classroom, course_and_quizzes
):
    lesson = lessons_of(course_and_quizzes)[0]
    due_at = datetime(2027, 1, 15, 23, 30, tzinfo=UTC)  # 00:30 on the 16th in Paris
    LessonDueDate.objects.create(classroom=classroom, lesson=lesson, due_at=due_at)

    with viewing_in(teacher_client, "Europe/Paris"):
        html = teacher_client.get(due_url(classroom)).content.decode()

    assert f'name="date_{lesson.pk}" value="2027-01-16"' in html
    assert f'name="time_{lesson.pk}" value="00:30"' in html


def test_clearing_a_date_removes_it_and_leaves_the_others(
    teacher_client, classroom, course_and_quizzes
):
    first, second, third = lessons_of(course_and_quizzes)
    for lesson in (first, second):
        LessonDueDate.objects.create(classroom=classroom, lesson=lesson, due_at=end_of(in_days(2)))
    kept = LessonDueDate.objects.get(lesson=second)
    local = timezone.localtime(kept.due_at)

    response = teacher_client.post(
        due_url(classroom),
        form_data(
            [first, second, third],
            date_1="",
            time_1="10:00",  # a time left behind does not keep the date
            date_2=local.date().isoformat(),
            time_2=local.strftime("%H:%M"),
        ),
    )

    assert response.status_code == 302
    assert list(LessonDueDate.objects.values_list("lesson", flat=True)) == [second.pk]
    page = teacher_client.get(response.url).content.decode()
    assert "0 set, 1 removed" in page


def test_saving_an_unchanged_form_says_so(teacher_client, classroom, course_and_quizzes):
    response = teacher_client.post(due_url(classroom), form_data(lessons_of(course_and_quizzes)))

    assert "No due date changed." in teacher_client.get(response.url).content.decode()
    assert not LessonDueDate.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"date_1": "2027-02-30"}, "Enter a valid date."),
        ({"date_1": "next friday"}, "Enter a valid date."),
        ({"date_1": "2999-01-01"}, "Choose a date within 5 years of today."),
        ({"date_1": "0001-01-01"}, "Choose a date within 5 years of today."),
        ({"date_1": "2027-02-01", "time_1": "25:00"}, "Enter a valid time."),
    ],
)
def test_a_date_that_cannot_be_read_is_refused_and_nothing_changes(
    teacher_client, classroom, course_and_quizzes, typed, message
):
    lessons = lessons_of(course_and_quizzes)
    existing = LessonDueDate.objects.create(
        classroom=classroom, lesson=lessons[1], due_at=timezone.now() + timedelta(days=1)
    )
    # Lesson 2 cleared, lesson 3 dated: neither is saved while lesson 1 is wrong.
    data = form_data(lessons, date_3=in_days(4).isoformat(), **typed)

    response = teacher_client.post(due_url(classroom), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "nothing was saved" in html
    assert 'aria-invalid="true"' in html
    assert list(LessonDueDate.objects.all()) == [existing]
    assert LessonDueDate.objects.get().due_at == existing.due_at


def test_a_class_without_lessons_says_what_to_do(teacher_client, teacher):
    course, _ = make_course(lessons=1)
    course.lessons.update(published=False)
    classroom = make_class(teachers=[teacher], courses=[course])

    html = teacher_client.get(due_url(classroom)).content.decode()

    assert "This class follows no published lesson yet." in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_who_is_refused(
    client, student, other_teacher, classroom, course_and_quizzes, method, admin_user
):
    data = form_data(lessons_of(course_and_quizzes), date_1=in_days(2).isoformat())
    send = getattr(client, method)

    anonymous = send(due_url(classroom), data)
    client.force_login(student)
    as_student = send(due_url(classroom), data)
    client.force_login(other_teacher)
    as_other_teacher = send(due_url(classroom), data)

    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login") + "?next=")
    assert as_student.status_code == 403
    assert as_other_teacher.status_code == 404
    assert not LessonDueDate.objects.exists()


def test_set_due_dates_counts_what_it_changed(classroom, course_and_quizzes):
    first, second, third = lessons_of(course_and_quizzes)
    soon = timezone.now() + timedelta(days=1)

    made = set_due_dates(classroom=classroom, due_dates={first: soon, second: soon})
    again = set_due_dates(classroom=classroom, due_dates={first: soon, second: None, third: None})
    moved = set_due_dates(classroom=classroom, due_dates={first: soon + timedelta(hours=1)})

    assert (made.set, made.cleared) == (2, 0)
    assert (again.set, again.cleared) == (0, 1)
    assert (moved.set, moved.cleared) == (1, 0)
    assert LessonDueDate.objects.get().due_at == soon + timedelta(hours=1)


# ---------------------------------------------------------------- how a date reads


NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("due_at", "label"),
    [
        (datetime(2026, 12, 2, 23, 59, tzinfo=UTC), "due today"),
        (datetime(2026, 12, 3, 23, 59, tzinfo=UTC), "due tomorrow"),
        (datetime(2026, 12, 4, 23, 59, tzinfo=UTC), "due Friday"),
        (datetime(2026, 12, 8, 23, 59, tzinfo=UTC), "due Tuesday"),
        (datetime(2026, 12, 9, 23, 59, tzinfo=UTC), "due 9 Dec"),
        (datetime(2027, 1, 20, 23, 59, tzinfo=UTC), "due 20 Jan 2027"),
        (datetime(2026, 12, 4, 14, 0, tzinfo=UTC), "due Friday, 14:00"),
    ],
)
def test_due_label(due_at, label):
    with timezone.override(UTC):
        assert due_label(due_at, overdue=False, now=NOW) == label


def test_due_label_of_a_past_date_not_passed():
    assert due_label(NOW - timedelta(days=1), overdue=True, now=NOW) == "overdue"


def test_due_label_is_in_the_viewers_time_zone():
    due_at = datetime(2026, 12, 3, 23, 59, tzinfo=UTC)  # Thursday in London

    with timezone.override("Pacific/Auckland"):
        label = due_label(due_at, overdue=False, now=NOW)

    assert label == "due Friday, 12:59"  # 13 hours ahead in December


# ---------------------------------------------------------------- what students see


def test_the_course_page_shows_each_lessons_due_date(
    client, student, classroom, course_and_quizzes
):
    first, second, third = lessons_of(course_and_quizzes)
    now = timezone.now()
    LessonDueDate.objects.create(classroom=classroom, lesson=first, due_at=now - timedelta(hours=1))
    with timezone.override("America/New_York"):
        due_at = end_of(in_days(3))
        weekday = in_days(3).strftime("%A")
    LessonDueDate.objects.create(classroom=classroom, lesson=second, due_at=due_at)
    client.force_login(student)

    with viewing_in(client, "America/New_York"):
        html = client.get(first.course.get_absolute_url()).content.decode()

    items = [visible_text(item) for item in html.split('<li class="list-group-item')[1:]]
    assert "Overdue" in items[0]
    assert f"Due {weekday}" in items[1]
    assert "Due" not in items[2] and "Overdue" not in items[2]


def test_a_passed_lesson_shows_no_due_date(client, student, classroom, course_and_quizzes):
    first = course_and_quizzes[1][0].lesson
    LessonDueDate.objects.create(
        classroom=classroom, lesson=first, due_at=timezone.now() - timedelta(days=1)
    )
    take_quiz(student, course_and_quizzes[1][0], right=4)
    client.force_login(student)

    html = client.get(first.course.get_absolute_url()).content.decode()

    assert "Overdue" not in html
    assert "Passed" in html


def test_the_date_reads_in_the_students_time_zone(client, student, classroom, course_and_quizzes):
    lesson = course_and_quizzes[1][0].lesson
    day = in_days(20)
    due_at = datetime.combine(day, time(23, 30), tzinfo=UTC)
    LessonDueDate.objects.create(classroom=classroom, lesson=lesson, due_at=due_at)
    client.force_login(student)

    with viewing_in(client, "Pacific/Auckland"):
        html = client.get(lesson.course.get_absolute_url()).content.decode()

    local = due_at.astimezone(zoneinfo.ZoneInfo("Pacific/Auckland"))
    assert local.date() == day + timedelta(days=1)
    assert f"Due {local.day} {local:%b}" in visible_text(html)


def test_of_several_classes_the_earliest_date_shows(
    client, student, teacher, classroom, course_and_quizzes
):
    lesson = course_and_quizzes[1][0].lesson
    other = make_class(teachers=[teacher], courses=[lesson.course], students=[student], name="Club")
    soon, later = in_days(12), in_days(25)
    for room, day in ((classroom, later), (other, soon)):
        LessonDueDate.objects.create(
            classroom=room, lesson=lesson, due_at=datetime.combine(day, time(23, 59), tzinfo=UTC)
        )

    dues = student_due_dates(student, [lesson])

    assert timezone.localtime(dues[lesson.pk].due_at).date() == soon
    client.force_login(student)
    html = visible_text(client.get(lesson.course.get_absolute_url()))
    assert f"Due {soon.day} {soon:%b}" in html
    assert f"Due {later.day} {later:%b}" not in html


def test_students_outside_the_class_see_no_due_date(
    client, other_student, classroom, course_and_quizzes
):
    lesson = course_and_quizzes[1][0].lesson
    LessonDueDate.objects.create(
        classroom=classroom, lesson=lesson, due_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(other_student)

    html = client.get(lesson.course.get_absolute_url()).content.decode()

    assert "Overdue" not in html and "Due " not in visible_text(html)


def test_the_home_page_lists_due_lessons_by_course(client, student, classroom, course_and_quizzes):
    first, second, _third = lessons_of(course_and_quizzes)
    LessonDueDate.objects.create(
        classroom=classroom, lesson=first, due_at=timezone.now() - timedelta(days=1)
    )
    LessonDueDate.objects.create(classroom=classroom, lesson=second, due_at=end_of(in_days(2)))
    client.force_login(student)

    text = visible_text(client.get(reverse("home")))

    weekday = in_days(2).strftime("%A")
    assert f"Overdue 1. {first.title}" in text
    assert f"Due {weekday} 2. {second.title}" in text


def test_an_anonymous_visitor_sees_no_due_dates_and_costs_no_query(
    client, classroom, course_and_quizzes, django_assert_max_num_queries
):
    lesson = course_and_quizzes[1][0].lesson
    LessonDueDate.objects.create(
        classroom=classroom, lesson=lesson, due_at=timezone.now() - timedelta(days=1)
    )

    with django_assert_max_num_queries(2):
        html = client.get(lesson.course.get_absolute_url()).content.decode()

    assert "Overdue" not in html


def test_dates_of_an_archived_class_no_longer_show(client, student, classroom, course_and_quizzes):
    lesson = course_and_quizzes[1][0].lesson
    LessonDueDate.objects.create(
        classroom=classroom, lesson=lesson, due_at=timezone.now() - timedelta(days=1)
    )
    classroom.archived_at = timezone.now()
    classroom.save()
    client.force_login(student)

    assert "Overdue" not in client.get(lesson.course.get_absolute_url()).content.decode()


def test_a_date_a_long_way_off_is_a_short_date(client, student, classroom, course_and_quizzes):
    lesson = course_and_quizzes[1][0].lesson
    day = date(timezone.localdate().year + 1, 3, 5)
    LessonDueDate.objects.create(
        classroom=classroom, lesson=lesson, due_at=datetime.combine(day, time(23, 59), tzinfo=UTC)
    )
    client.force_login(student)

    text = visible_text(client.get(lesson.course.get_absolute_url()))

    assert f"Due 5 Mar {day.year}" in text


@pytest.mark.parametrize("classes", [1, 4])
def test_due_dates_cost_the_student_pages_one_query(
    client, student, teacher, course_and_quizzes, classes, django_assert_max_num_queries
):
    """The learning pages' bound (tests/learning/test_student_query_counts.py), with
    the student in one class or in four that all date every lesson."""
    course = course_and_quizzes[0]
    for n in range(classes):
        room = make_class(teachers=[teacher], courses=[course], students=[student], name=f"C{n}")
        for lesson in lessons_of(course_and_quizzes):
            LessonDueDate.objects.create(
                classroom=room, lesson=lesson, due_at=end_of(in_days(n + lesson.position))
            )
    client.force_login(student)

    for url in (reverse("home"), course.get_absolute_url()):
        with django_assert_max_num_queries(11):  # and the navigation's reviews due
            html = client.get(url).content.decode()
        assert html.count("<time datetime=") == 3
