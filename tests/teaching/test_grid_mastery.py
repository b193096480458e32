"""The class grid's "Mastery now" view, its per-lesson share of fading recall, and the
review section of a student's record.

The pages read the clock (timezone.now()), so each answer here is recorded at a time
relative to it: days ago, never a fixed date that would drift into the past.
"""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from learning.progress import record_result
from review.mastery import MATURE_STABILITY_DAYS, Level, mastery_grid
from review.models import Card, Source
from review.scheduling import record_answers
from teaching.grid import class_lessons
from teaching.mastery_grid import MEANINGS, fading_shares, review_annotations, review_record
from tests.factories import UserFactory
from tests.pages import row_for, table_rows, visible_text
from tests.teaching.test_due_dates import viewing_in
from tests.teaching.test_teacher_query_counts import BOUNDS
from tests.teaching_data import make_class, make_course, make_students

# The grid in mastery mode: progress mode's queries less its two for the cells
# (progress, open and extra attempts), plus mastery_grid's two (progress, cards) and
# the footer's share over the whole class.
MASTERY_GRID_BOUND = BOUNDS["class_grid"] + 1
# The record's review section rides on its lessons query: no query of its own.
RECORD_BOUND = BOUNDS["student_record"]


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def ids(quiz):
    return list(quiz.questions.order_by("position").values_list("pk", flat=True))


def passed(user, quiz, at):
    record_result(user=user, lesson=quiz.lesson, score=100, passed=True, at=at, attempts_left=2)


def answer_all(user, quiz, at, *, right=True, source=Source.QUIZ):
    record_answers(user, dict.fromkeys(ids(quiz), right), now=at, source=source)


def review_until_mature(user, quiz, start):
    """Answer every question right whenever one falls due, until all are mature."""
    answer_all(user, quiz, start)
    while Card.objects.filter(user=user, stability__lt=MATURE_STABILITY_DAYS).exists():
        at = max(Card.objects.filter(user=user).values_list("due", flat=True))
        answer_all(user, quiz, at, source=Source.REVIEW)
    return at


def grid_url(classroom, query="?show=mastery"):
    return reverse("teaching:class_grid", args=[classroom.pk]) + query


def record_url(classroom, user):
    return reverse("teaching:student_record", args=[classroom.pk, user.pk])


def footer(html):
    """The footer row of the shares, from its first cell on."""
    return row_for(html, "Recall below 70%")


@pytest.fixture
def course_and_quizzes(db):
    return make_course(lessons=2, questions=3)


@pytest.fixture
def levels_class(teacher, course_and_quizzes):
    """One student at each level of lesson 1; nobody has touched lesson 2."""
    course, (quiz, _second) = course_and_quizzes
    names = ["nina", "ann", "ben", "cat", "dan", "eve"]
    nina, ann, ben, cat, dan, eve = (UserFactory(username=name) for name in names)
    record_result(user=ann, lesson=quiz.lesson, score=0, passed=False, at=days_ago(1))
    answer_all(ann, quiz, days_ago(1), right=False)
    passed(ben, quiz, days_ago(1))
    first, *rest = ids(quiz)
    record_answers(ben, {first: False, **dict.fromkeys(rest, True)}, now=days_ago(1), source="quiz")
    passed(cat, quiz, days_ago(1))
    answer_all(cat, quiz, days_ago(1))
    passed(dan, quiz, days_ago(60))
    last = review_until_mature(dan, quiz, days_ago(60))
    assert last < timezone.now()
    passed(eve, quiz, days_ago(400))
    answer_all(eve, quiz, days_ago(400))  # learned once, more than a year ago: faded
    return make_class(
        teachers=[teacher], courses=[course], students=[nina, ann, ben, cat, dan, eve]
    )


# ---------------------------------------------------------------- the cells


def test_mastery_cells_name_each_students_level(teacher_client, levels_class):
    html = teacher_client.get(grid_url(levels_class)).content.decode()

    cells = {name: row_for(html, name)[4:6] for name in ["nina", "ann", "ben", "cat", "dan", "eve"]}
    assert cells == {
        "nina": ["Not started", "Not started"],
        "ann": ["Attempted", "Not started"],
        "ben": ["Familiar", "Not started"],
        "cat": ["Proficient", "Not started"],
        "dan": ["Mastered", "Not started"],
        "eve": ["Needs review", "Not started"],
    }


def test_levels_differ_in_colour_and_the_key_explains_each(teacher_client, levels_class):
    html = teacher_client.get(grid_url(levels_class)).content.decode()

    table = html.split("<tbody>")[1].split("</tbody>")[0]
    styles = {
        label: re.search(rf'<span class="badge ([^"]+)">{label}</span>', table).group(1)
        for label in ["Attempted", "Familiar", "Proficient", "Mastered", "Needs review"]
    }
    assert len(set(styles.values())) == 5
    key = visible_text(html.split('<h2 class="h6 mt-3">Key</h2>')[1])
    for level in Level:
        assert level.label in key
        assert escape(MEANINGS[level]) in key
    assert "below 70%" in key
    assert "Done late" not in key  # progress mode's key


def test_progress_is_still_the_default(teacher_client, levels_class):
    html = teacher_client.get(grid_url(levels_class, "")).content.decode()

    assert row_for(html, "cat")[4:6] == ["Passed · 100%", "Not started"]
    assert "Recall below" not in html
    assert '<option value="progress" selected>' in html


def test_an_unknown_show_value_falls_back_to_progress(teacher_client, levels_class):
    response = teacher_client.get(grid_url(levels_class, "?show=everything"))

    assert response.status_code == 200
    assert row_for(response.content.decode(), "cat")[4] == "Passed · 100%"


def test_the_choice_is_kept_in_the_form_and_the_page_links(teacher_client, teacher):
    course, _quizzes = make_course(lessons=1, questions=3)
    classroom = make_class(teachers=[teacher], courses=[course], students=make_students(55))

    html = teacher_client.get(grid_url(classroom, "?show=mastery&sort=name")).content.decode()

    assert '<option value="mastery" selected>' in html
    assert "?sort=name&amp;show=mastery&amp;page=2" in html
    second = teacher_client.get(
        grid_url(classroom, "?sort=name&show=mastery&page=2")
    ).content.decode()
    assert "?sort=name&amp;show=mastery&amp;page=1" in second
    assert len(table_rows(second)) == 1 + 5 + 2  # header, 5 students, two footer rows


# ---------------------------------------------------------------- the footer's share


def test_the_share_counts_students_whose_recall_faded(teacher_client, levels_class):
    html = teacher_client.get(grid_url(levels_class)).content.decode()

    # eve, a year without a review, is below 70%; ann and ben missed questions only a
    # day ago, cat and dan remember; nina has no cards and is not counted.
    assert footer(html)[2:4] == ["1 of 5 · 20%", "no cards yet"]


def test_the_share_covers_the_whole_class_and_only_the_class(teacher, course_and_quizzes):
    course, (quiz, second) = course_and_quizzes
    fresh, faded, no_cards = make_students(3)
    outsider = UserFactory(username="outsider")
    classroom = make_class(teachers=[teacher], courses=[course], students=[fresh, faded, no_cards])
    make_class(teachers=[teacher], courses=[course], students=[outsider], name="Other class")
    answer_all(fresh, quiz, days_ago(1))
    answer_all(faded, quiz, days_ago(400))
    answer_all(outsider, quiz, days_ago(400))
    answer_all(outsider, second, days_ago(400))

    shares = fading_shares(classroom, list(class_lessons(classroom)), now=timezone.now())

    assert (shares[quiz.lesson_id].below, shares[quiz.lesson_id].students) == (1, 2)
    assert shares[quiz.lesson_id].label == "1 of 2 · 50%"
    assert shares[second.lesson_id].label == "no cards yet"


def test_the_share_is_of_the_whole_class_not_the_page(teacher_client, teacher):
    course, (quiz,) = make_course(lessons=1, questions=2)
    students = make_students(60)
    classroom = make_class(teachers=[teacher], courses=[course], students=students)
    for student in students[50:]:  # page 2 by name
        answer_all(student, quiz, days_ago(400))

    html = teacher_client.get(grid_url(classroom, "?show=mastery&page=1")).content.decode()

    assert footer(html)[2] == "10 of 10 · 100%"


def test_the_share_leaves_out_unapproved_questions(teacher, course_and_quizzes):
    course, (quiz, _second) = course_and_quizzes
    (student,) = make_students(1)
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])
    answer_all(student, quiz, days_ago(400))
    quiz.questions.update(status="retired")

    shares = fading_shares(classroom, list(class_lessons(classroom)), now=timezone.now())

    assert shares[quiz.lesson_id].label == "no cards yet"


# ---------------------------------------------------------------- the record


@pytest.fixture
def reviewed(teacher, student, course_and_quizzes):
    """alice answered lesson 1's quiz 10 days ago, reviewed it 3 days ago, missed one
    question in practice yesterday; lesson 2 untouched."""
    course, (quiz, _second) = course_and_quizzes
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])
    passed(student, quiz, days_ago(10))
    answer_all(student, quiz, days_ago(10))
    answer_all(student, quiz, days_ago(3), source=Source.REVIEW)
    record_answers(student, {ids(quiz)[0]: False}, now=days_ago(1), source=Source.PRACTICE)
    return classroom


def test_the_record_shows_reviews_cards_and_the_last_review(
    teacher_client, reviewed, student, course_and_quizzes
):
    last = Card.objects.filter(user=student).latest("last_review").last_review
    due_now = Card.objects.filter(user=student, due__lte=timezone.now()).count()

    with viewing_in(teacher_client, "Asia/Tokyo"):
        text = visible_text(teacher_client.get(record_url(reviewed, student)), status=200)

    shown = last.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%-d %b %Y, %H:%M")
    assert "Reviews done 7: 3 quiz answers, 4 in review and practice sessions" in text
    assert f"Cards 3 · {due_now} due now" in text
    assert f"Last review {shown}" in text
    assert shown != last.strftime("%-d %b %Y, %H:%M")  # Tokyo's time, not UTC's


def test_the_record_shows_each_lessons_mastery(
    teacher_client, reviewed, student, course_and_quizzes
):
    first, second = (quiz.lesson for quiz in course_and_quizzes[1])
    html = teacher_client.get(record_url(reviewed, student)).content.decode()

    # Passed, and one question being relearned after the miss in practice.
    assert row_for(html, f"{first.title} (lesson 1)")[1:3] == ["Familiar", "3"]
    assert row_for(html, f"{second.title} (lesson 2)")[1:] == ["Not started", "0", "0", "–"]


def test_the_record_agrees_with_the_grid(levels_class, course_and_quizzes):
    lessons = list(class_lessons(levels_class))
    now = timezone.now()
    grid = mastery_grid(
        levels_class.enrollments.values_list("student_id", flat=True), lessons, now=now
    )
    for enrollment in levels_class.enrollments.select_related("student"):
        student = enrollment.student
        annotated = list(
            class_lessons(levels_class).annotate(**review_annotations(student, now=now))
        )
        progress = {p.lesson_id: p for p in student.lesson_progress.all()}
        for lesson, mastery, _badge in review_record(annotated, progress).lessons:
            cell = grid[student.pk, lesson.pk]
            assert (mastery.level, mastery.cards, mastery.due) == (cell.level, cell.cards, cell.due)
            assert mastery.recall == pytest.approx(cell.recall)


def test_a_student_without_cards_has_none_to_show(teacher_client, teacher, course_and_quizzes):
    course, _quizzes = course_and_quizzes
    (student,) = make_students(1)
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])

    text = visible_text(teacher_client.get(record_url(classroom, student)), status=200)

    assert "has no review cards yet" in text
    assert "Reviews done" not in text


# ---------------------------------------------------------------- access


def test_teachers_of_other_classes_get_404(client, other_teacher, levels_class):
    client.force_login(other_teacher)
    student = levels_class.enrollments.first().student

    assert client.get(grid_url(levels_class)).status_code == 404
    assert client.get(record_url(levels_class, student)).status_code == 404


def test_students_get_403(client, student, levels_class):
    client.force_login(student)

    assert client.get(grid_url(levels_class)).status_code == 403


# ---------------------------------------------------------------- queries


@pytest.fixture(params=[3, 30], ids=["3 students", "30 students"])
def carded_class(request, teacher, db):
    """A class whose students each have cards of every lesson, some faded; and a second
    class that shares two of them."""
    course, quizzes = make_course(lessons=3, questions=4)
    students = make_students(request.param)
    classroom = make_class(teachers=[teacher], courses=[course], students=students)
    make_class(teachers=[teacher], courses=[course], students=students[:2], name="Second class")
    for n, student in enumerate(students):
        for quiz in quizzes:
            passed(student, quiz, days_ago(20))
            answer_all(student, quiz, days_ago(400 if n % 3 == 0 else 5), right=n % 2 == 0)
    classroom.first_student = students[0]
    return classroom


@pytest.mark.parametrize("query", ["?show=mastery", "?show=mastery&sort=progress&attention=on"])
def test_the_mastery_grid_does_not_grow_with_the_class(
    client, teacher, carded_class, django_assert_max_num_queries, query
):
    client.force_login(teacher)

    with django_assert_max_num_queries(MASTERY_GRID_BOUND):
        response = client.get(grid_url(carded_class, query))

    assert response.status_code == 200
    assert "Recall below 70%" in response.content.decode()


@pytest.fixture(params=[1, 3], ids=["1 lesson of cards", "3 lessons of cards"])
def record_of(request, teacher, db):
    """One student with cards (and their logs) in `param` lessons of twelve questions."""
    course, quizzes = make_course(lessons=3, questions=12)
    (student,) = make_students(1)
    classroom = make_class(teachers=[teacher], courses=[course], students=[student])
    for quiz in quizzes[: request.param]:
        passed(student, quiz, days_ago(20))
        answer_all(student, quiz, days_ago(20))
        answer_all(student, quiz, days_ago(2), source=Source.REVIEW)
    return classroom, student, 12 * request.param


def test_the_record_does_not_grow_with_the_cards(
    client, teacher, record_of, django_assert_max_num_queries
):
    classroom, student, cards = record_of
    client.force_login(teacher)

    with django_assert_max_num_queries(RECORD_BOUND):
        response = client.get(record_url(classroom, student))

    assert f"Cards {cards} ·" in visible_text(response, status=200)
