"""What a teacher can do from a student's record: extra attempts, closing an open
attempt, a new attempt after a failed last one, a new one-time password. Each is a
confirmation page (GET) and a POST from it, logged in the record's history."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from learning.models import LessonProgress
from quizzes.attempt_limits import grant_extra_attempts as allow
from quizzes.grading import save_answers, start_attempt
from quizzes.models import Attempt, AttemptAllowance
from teaching import actions
from teaching.models import ActionKind, TeacherAction
from teaching.roles import teachers_group
from tests.pages import row_for, visible_text
from tests.teaching_data import answer_key, make_class, make_course, take_quiz


@pytest.fixture
def course_and_quizzes(db):
    """Two lessons, each quiz with 3 questions, 3 attempts, pass mark 50%."""
    return make_course(lessons=2, questions=3)


@pytest.fixture
def quiz(course_and_quizzes):
    return course_and_quizzes[1][0]


@pytest.fixture
def classroom(teacher, student, course_and_quizzes):
    return make_class(teachers=[teacher], courses=[course_and_quizzes[0]], students=[student])


@pytest.fixture
def failed_out(student, quiz, classroom):
    """alice failed all 3 attempts at the first quiz."""
    for _ in range(3):
        take_quiz(student, quiz, right=0)


@pytest.fixture
def open_attempt(student, quiz, classroom):
    """alice's open attempt at the first quiz, with the first question answered right."""
    attempt = start_attempt(user=student, quiz=quiz)
    first, (right, _wrong) = next(iter(answer_key(quiz).items()))
    save_answers(attempt=attempt, answers={first: right})
    return attempt


def record_url(classroom, user):
    return reverse("teaching:student_record", args=[classroom.pk, user.pk])


def grant_url(classroom, user, quiz):
    return reverse("teaching:grant_attempts", args=[classroom.pk, user.pk, quiz.pk])


def new_attempt_url(classroom, user, quiz):
    return reverse("teaching:new_attempt", args=[classroom.pk, user.pk, quiz.pk])


def close_url(classroom, user, attempt):
    return reverse("teaching:close_attempt", args=[classroom.pk, user.pk, attempt.pk])


def reset_url(classroom, user):
    return reverse("teaching:reset_password", args=[classroom.pk, user.pk])


def record_text(client, classroom, student):
    return visible_text(client.get(record_url(classroom, student)), status=200)


# ---------------------------------------------------------------- extra attempts


def test_record_shows_attempts_used_and_allowed_per_quiz(
    teacher_client, classroom, student, quiz, failed_out
):
    html = teacher_client.get(record_url(classroom, student)).content.decode()

    row = row_for(html, f"Lesson 1: {quiz.lesson.title}")
    assert row[1:4] == ["3", "3", "None"]
    assert "Failed, no attempts left" in row[0]
    assert "Give a new attempt" in row[4] and "Extra attempts" in row[4]


def test_extra_attempts_page_asks_before_it_changes_anything(
    teacher_client, classroom, student, quiz
):
    response = teacher_client.get(grant_url(classroom, student, quiz))

    text = visible_text(response, status=200)
    assert "Extra attempts for alice" in text
    assert "0 used of 3" in text
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert re.search(r'<label\s+for="id_count"', response.content.decode())
    assert not AttemptAllowance.objects.exists()


def test_granting_extra_attempts_is_shown_and_logged(
    teacher_client, teacher, classroom, student, quiz, failed_out
):
    response = teacher_client.post(grant_url(classroom, student, quiz), {"count": "2"})

    assert response.status_code == 302
    assert response.url == record_url(classroom, student) + "#quiz-attempts"
    assert AttemptAllowance.objects.get(user=student, quiz=quiz).extra_attempts == 2
    action = TeacherAction.objects.get()
    assert (action.kind, action.teacher, action.student, action.quiz, action.classroom) == (
        ActionKind.EXTRA_ATTEMPTS,
        teacher,
        student,
        quiz,
        classroom,
    )
    page = teacher_client.get(response.url)
    html = page.content.decode()
    assert "may take 2 more attempts at the quiz of lesson 1: 2 left, 5 in all." in html
    assert row_for(html, f"Lesson 1: {quiz.lesson.title}")[2] == "5 (3 + 2 extra)"
    assert "Granted extra attempts · lesson 1 · 2 extra attempt(s): 5 allowed in all" in (
        visible_text(page)
    )
    assert "tess" in row_for(html, action.created_at.strftime("%-d %b %Y"))


def test_the_student_can_start_again_once_granted(
    teacher_client, classroom, student, quiz, failed_out
):
    assert LessonProgress.objects.get(user=student, lesson=quiz.lesson).out_of_attempts

    teacher_client.post(grant_url(classroom, student, quiz), {"count": "1"})

    assert not LessonProgress.objects.get(user=student, lesson=quiz.lesson).out_of_attempts
    client = Client()
    client.force_login(student)
    started = client.post(
        reverse("quizzes:start", args=[quiz.lesson.course.slug, quiz.lesson.slug])
    )
    assert started.status_code == 302
    assert Attempt.objects.get(user=student, submitted_at__isnull=True).number == 4


@pytest.mark.parametrize("count", ["0", "11", "two", ""])
def test_a_bad_number_of_attempts_is_refused_and_changes_nothing(
    teacher_client, classroom, student, quiz, count
):
    response = teacher_client.post(grant_url(classroom, student, quiz), {"count": count})

    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not AttemptAllowance.objects.exists()
    assert not TeacherAction.objects.exists()


def test_a_quiz_without_a_limit_needs_no_extra_attempts(teacher_client, classroom, student, quiz):
    quiz.max_attempts = None
    quiz.save()

    page = teacher_client.get(grant_url(classroom, student, quiz))
    posted = teacher_client.post(grant_url(classroom, student, quiz), {"count": "1"})

    assert (page.status_code, posted.status_code) == (200, 409)
    assert "This cannot be done: This quiz has no attempt limit" in visible_text(page)
    assert "no attempt limit" in visible_text(posted)
    assert 'name="count"' not in page.content.decode()
    assert not AttemptAllowance.objects.exists()


def test_a_quiz_outside_the_classs_courses_is_404(teacher_client, classroom, student):
    _other, [elsewhere] = make_course(lessons=1)

    response = teacher_client.post(grant_url(classroom, student, elsewhere), {"count": "1"})

    assert response.status_code == 404
    assert not AttemptAllowance.objects.exists()


# ---------------------------------------------------------------- a new attempt


def test_a_new_attempt_after_a_failed_last_one_keeps_the_history(
    teacher_client, classroom, student, quiz, failed_out
):
    confirm = visible_text(
        teacher_client.get(new_attempt_url(classroom, student, quiz)), status=200
    )
    response = teacher_client.post(new_attempt_url(classroom, student, quiz))

    assert "A new attempt for alice" in confirm and "3 used of 3" in confirm
    assert response.status_code == 302
    assert AttemptAllowance.objects.get(user=student, quiz=quiz).extra_attempts == 1
    assert TeacherAction.objects.get().kind == ActionKind.NEW_ATTEMPT
    assert Attempt.objects.filter(user=student, quiz=quiz).count() == 3
    client = Client()
    client.force_login(student)
    quiz_page = visible_text(client.get(quiz.get_absolute_url()), status=200)
    assert "Start attempt 4" in quiz_page and "1 attempt left." in quiz_page
    record = record_text(teacher_client, classroom, student)
    assert "Gave a new attempt · lesson 1" in record
    assert all(f"Lesson 1, attempt {n}: 0% Not passed" in record for n in (1, 2, 3))


def test_a_new_attempt_is_refused_while_attempts_remain(teacher_client, classroom, student, quiz):
    take_quiz(student, quiz, right=0)

    page = teacher_client.get(new_attempt_url(classroom, student, quiz))
    posted = teacher_client.post(new_attempt_url(classroom, student, quiz))

    assert (page.status_code, posted.status_code) == (200, 409)
    assert "still has 2 attempts left" in visible_text(page)
    assert "Give a new attempt" not in visible_text(page)  # nothing to confirm
    assert "still has 2 attempts left" in visible_text(posted)
    assert not AttemptAllowance.objects.exists() and not TeacherAction.objects.exists()


def test_a_new_attempt_is_refused_once_passed(teacher_client, classroom, student, quiz):
    take_quiz(student, quiz, right=0)
    take_quiz(student, quiz, right=0)
    take_quiz(student, quiz, right=3)

    response = teacher_client.post(new_attempt_url(classroom, student, quiz))

    assert response.status_code == 409
    assert "passed this quiz already" in visible_text(response)
    assert not AttemptAllowance.objects.exists()


def test_a_new_attempt_is_refused_while_one_is_open(
    teacher_client, classroom, student, quiz, open_attempt
):
    response = teacher_client.post(new_attempt_url(classroom, student, quiz))

    assert response.status_code == 409
    assert "has an attempt open" in visible_text(response)


# ---------------------------------------------------------------- closing an open attempt


def test_closing_an_open_attempt_grades_what_the_student_saved(
    teacher_client, teacher, classroom, student, quiz, open_attempt
):
    confirm = visible_text(
        teacher_client.get(close_url(classroom, student, open_attempt)), status=200
    )
    response = teacher_client.post(close_url(classroom, student, open_attempt))

    assert "Close attempt 1 of alice" in confirm and "1 of 3 questions answered" in confirm
    assert response.status_code == 302
    open_attempt.refresh_from_db()
    assert open_attempt.is_submitted and float(open_attempt.score) == pytest.approx(33.33)
    assert open_attempt.responses.get(is_correct=True).selected  # the saved answer counted
    action = TeacherAction.objects.get()
    assert (action.kind, action.teacher, action.quiz) == (ActionKind.CLOSE_ATTEMPT, teacher, quiz)
    record = record_text(teacher_client, classroom, student)
    assert "is closed and graded with the answers saved: 33%." in record
    assert "Closed an open attempt · lesson 1 · attempt 1 graded with the answers saved" in record


def test_record_offers_to_close_an_open_attempt(
    teacher_client, classroom, student, quiz, open_attempt
):
    html = teacher_client.get(record_url(classroom, student)).content.decode()

    assert close_url(classroom, student, open_attempt) in html
    assert row_for(html, f"Lesson 1: {quiz.lesson.title}")[3] == "Attempt 1"


def test_closing_a_submitted_attempt_is_refused(teacher_client, classroom, student, quiz):
    attempt = take_quiz(student, quiz, right=2)

    response = teacher_client.post(close_url(classroom, student, attempt))

    assert response.status_code == 409
    assert "submitted already" in visible_text(response)
    assert not TeacherAction.objects.exists()


def test_another_students_attempt_cannot_be_closed_through_this_record(
    teacher_client, teacher, classroom, student, other_student, quiz
):
    classroom.enrollments.create(student=other_student)
    theirs = start_attempt(user=other_student, quiz=quiz)

    response = teacher_client.post(close_url(classroom, student, theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_submitted


# ---------------------------------------------------------------- a new password


def test_resetting_a_password_shows_a_one_time_password_once(teacher_client, classroom, student):
    old_hash = student.password
    confirm = visible_text(teacher_client.get(reset_url(classroom, student)), status=200)
    response = teacher_client.post(reset_url(classroom, student))

    assert "A new password for alice" in confirm
    assert response.status_code == 302
    assert response.url == reverse("teaching:new_passwords", args=[classroom.pk])
    shown = teacher_client.get(response.url).content.decode()
    student.refresh_from_db()
    [(username, _name, password)] = _password_rows(shown)
    assert username == "alice"
    assert student.password != old_hash and password not in student.password
    assert student.password.startswith("pbkdf2_onetime$")
    assert Profile.objects.get(user=student).must_change_password
    assert TeacherAction.objects.get().kind == ActionKind.RESET_PASSWORD
    again = teacher_client.get(response.url).content.decode()
    assert password not in again and "No passwords to show" in again
    client = Client()
    logged_in = client.post(reverse("login"), {"username": "alice", "password": password})
    assert logged_in.status_code == 302 and client.session.get("_auth_user_id") == str(student.pk)
    old = Client().post(reverse("login"), {"username": "alice", "password": "pw-for-tests-1"})
    assert old.status_code == 200  # the old password no longer works


def _password_rows(html):
    from tests.pages import table_rows

    return [row for row in table_rows(html) if row and row[0] != "Username"]


def test_reset_password_in_the_domain_function(teacher, classroom, student):
    password = actions.reset_password(classroom=classroom, teacher=teacher, student=student)

    student.refresh_from_db()
    assert student.check_password(password)
    assert Profile.objects.get(user=student).must_change_password


@pytest.mark.parametrize("who", ["teacher", "staff"])
def test_a_teachers_or_staff_password_cannot_be_reset(
    teacher_client, classroom, other_teacher, who
):
    target = other_teacher
    if who == "staff":
        target = User.objects.create_user("stan", password="pw-for-tests-1", is_staff=True)
    classroom.enrollments.create(student=target)
    before = User.objects.get(pk=target.pk).password

    page = teacher_client.get(reset_url(classroom, target))
    posted = teacher_client.post(reset_url(classroom, target))

    assert page.status_code == posted.status_code == 403
    assert "only an administrator can reset its password" in visible_text(posted)
    assert User.objects.get(pk=target.pk).password == before
    assert not TeacherAction.objects.exists()


def test_the_record_offers_no_reset_for_staff(teacher_client, classroom):
    staff = User.objects.create_user("stan", password="pw-for-tests-1", is_staff=True)
    classroom.enrollments.create(student=staff)

    html = teacher_client.get(record_url(classroom, staff)).content.decode()

    assert reset_url(classroom, staff) not in html


def test_a_student_outside_my_classes_cannot_be_reset(
    teacher_client, other_teacher, classroom, other_student, course_and_quizzes
):
    theirs = make_class(
        teachers=[other_teacher], courses=[course_and_quizzes[0]], students=[other_student]
    )
    before = other_student.password

    through_mine = teacher_client.post(reset_url(classroom, other_student))
    through_theirs = teacher_client.post(reset_url(theirs, other_student))

    assert (through_mine.status_code, through_theirs.status_code) == (404, 404)
    other_student.refresh_from_db()
    assert other_student.password == before


# ---------------------------------------------------------------- who may


def action_urls(classroom, student, quiz, attempt):
    return {
        "grant": grant_url(classroom, student, quiz),
        "new_attempt": new_attempt_url(classroom, student, quiz),
        "close": close_url(classroom, student, attempt),
        "reset": reset_url(classroom, student),
    }


ACTIONS = ["grant", "new_attempt", "close", "reset"]


def nothing_changed(student, attempt):
    attempt.refresh_from_db()
    student.refresh_from_db()
    return (
        not AttemptAllowance.objects.exists()
        and not TeacherAction.objects.exists()
        and not attempt.is_submitted
        and student.check_password("pw-for-tests-1")
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_students_get_403(client, classroom, student, quiz, open_attempt, action):
    client.force_login(student)
    url = action_urls(classroom, student, quiz, open_attempt)[action]

    assert client.get(url).status_code == 403
    assert client.post(url, {"count": "1"}).status_code == 403
    assert nothing_changed(student, open_attempt)


@pytest.mark.parametrize("action", ACTIONS)
def test_visitors_are_sent_to_login(client, classroom, student, quiz, open_attempt, action):
    url = action_urls(classroom, student, quiz, open_attempt)[action]

    for response in (client.get(url), client.post(url, {"count": "1"})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
    assert nothing_changed(student, open_attempt)


@pytest.mark.parametrize("action", ACTIONS)
def test_another_teacher_gets_404(
    client, other_teacher, classroom, student, course_and_quizzes, quiz, open_attempt, action
):
    # theo teaches a class on the same course, so only the class check can stop him.
    make_class(teachers=[other_teacher], courses=[course_and_quizzes[0]], name="Theo's class")
    client.force_login(other_teacher)
    url = action_urls(classroom, student, quiz, open_attempt)[action]

    assert client.get(url).status_code == 404
    assert client.post(url, {"count": "1"}).status_code == 404
    assert nothing_changed(student, open_attempt)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_post_without_the_csrf_token_is_refused(
    teacher, classroom, student, quiz, open_attempt, action
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(teacher)

    response = browser.post(
        action_urls(classroom, student, quiz, open_attempt)[action], {"count": "1"}
    )

    assert response.status_code == 403
    assert nothing_changed(student, open_attempt)


@pytest.mark.parametrize("action", ACTIONS)
def test_staff_may_act_in_any_class(
    client, admin_user, classroom, student, quiz, open_attempt, action
):
    client.force_login(admin_user)

    response = client.get(action_urls(classroom, student, quiz, open_attempt)[action])

    # The confirmation page (a new attempt says it is refused: alice has one open).
    assert response.status_code == 200
    assert "alice" in visible_text(response)


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize("actions_taken", [1, 20])
def test_record_with_actions_and_allowances_keeps_its_bound(
    client,
    teacher,
    classroom,
    student,
    course_and_quizzes,
    django_assert_max_num_queries,
    actions_taken,
):
    for quiz in course_and_quizzes[1]:
        take_quiz(student, quiz, right=0)
        allow(user=student, quiz=quiz, count=1)
        start_attempt(user=student, quiz=quiz)
    TeacherAction.objects.bulk_create(
        TeacherAction(
            classroom=classroom,
            teacher=teacher,
            student=student,
            quiz=course_and_quizzes[1][0],
            kind=ActionKind.EXTRA_ATTEMPTS,
        )
        for _ in range(actions_taken)
    )
    client.force_login(teacher)

    # The bound of tests/teaching/test_teacher_query_counts.py.
    with django_assert_max_num_queries(15):
        response = client.get(record_url(classroom, student))

    assert visible_text(response, status=200).count("Close the open attempt") == 2


def test_a_teacher_enrolled_as_a_student_is_refused_in_the_domain_function(
    teacher, classroom, other_teacher
):
    other_teacher.groups.add(teachers_group())

    with pytest.raises(actions.ActionRefused) as refused:
        actions.reset_password(classroom=classroom, teacher=teacher, student=other_teacher)

    assert refused.value.status == 403


# ---------------------------------------------------------------- the rules, without HTTP


def test_standing_counts_used_allowed_and_left(student, quiz, classroom, failed_out):
    allow(user=student, quiz=quiz, count=2)
    start_attempt(user=student, quiz=quiz)

    now = actions.standing(student, quiz)

    assert (now.used, now.extra, now.allowed, now.left) == (4, 2, 5, 1)
    assert now.open_attempt_number == 4 and not now.passed and not now.needs_new_attempt


def test_give_new_attempt_then_refuses_a_second_one(teacher, student, quiz, classroom, failed_out):
    actions.give_new_attempt(classroom=classroom, teacher=teacher, student=student, quiz=quiz)

    with pytest.raises(actions.ActionRefused, match="still has 1 attempt left"):
        actions.give_new_attempt(classroom=classroom, teacher=teacher, student=student, quiz=quiz)
    assert AttemptAllowance.objects.get().extra_attempts == 1
    assert TeacherAction.objects.count() == 1


def test_close_open_attempt_twice_grades_once(teacher, student, classroom, open_attempt):
    graded = actions.close_open_attempt(
        classroom=classroom, teacher=teacher, student=student, attempt=open_attempt
    )

    with pytest.raises(actions.ActionRefused, match="submitted already"):
        actions.close_open_attempt(
            classroom=classroom, teacher=teacher, student=student, attempt=graded
        )
    assert TeacherAction.objects.filter(kind=ActionKind.CLOSE_ATTEMPT).count() == 1
    progress = LessonProgress.objects.get(user=student, lesson=open_attempt.quiz.lesson)
    assert progress.attempts_submitted == 1 and not progress.out_of_attempts
