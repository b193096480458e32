"""A teacher who acts, end to end in Chromium: make a class roster, hand out a
one-time password, and give a new attempt to a student who used every one; the
student changes the password at first sign-in, fails, is unblocked and passes."""

import re

from playwright.sync_api import expect

from quizzes.models import Choice
from teaching.models import ActionKind, TeacherAction
from tests.e2e.conftest import correct_choice_ids, login, screenshot
from tests.e2e.test_student_journey import answer
from tests.teaching_data import make_class, make_course


def wrong_choice_ids(quiz):
    return set(
        Choice.objects.filter(question__quiz=quiz, is_correct=False).values_list("pk", flat=True)
    )


def test_teacher_makes_a_roster_and_gives_a_failed_student_a_new_attempt(
    transactional_db, new_page, teacher
):
    course, [quiz] = make_course(lessons=1, questions=3)
    quiz.max_attempts = 1
    quiz.pass_mark = 100
    quiz.save()
    lesson = quiz.lesson
    classroom = make_class(teachers=[teacher], courses=[course], name="Year 9 History")

    # The teacher adds two students by pasting their names.
    page = new_page()
    login(page, teacher.username)
    page.goto(f"/teach/classes/{classroom.pk}/")
    page.get_by_role("link", name="Add students").click()
    page.get_by_label("Names").fill("Ada Lovelace, ada@example.org\nGrace Hopper")
    page.get_by_role("button", name="Add the students").click()
    expect(page.get_by_role("heading", name="One-time passwords")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    username = rows.first.locator("td").nth(0).inner_text().strip()
    password = rows.first.locator("td").nth(2).inner_text().strip()
    assert username == "ada.lovelace"
    screenshot(page, "roster-passwords")

    # Ada signs in with it and must choose her own password first.
    student = new_page()
    login(student, username, password)
    expect(student).to_have_url(re.compile(r"/accounts/password/"))
    student.goto(f"/courses/{course.slug}/")  # every other page waits
    expect(student).to_have_url(re.compile(r"/accounts/password/"))
    student.locator("#id_old_password").fill(password)
    student.locator("#id_new_password1").fill("my own long passphrase 42")
    student.locator("#id_new_password2").fill("my own long passphrase 42")
    student.get_by_role("button", name="Change password").click()
    expect(student.get_by_text("changed", exact=False).first).to_be_visible()

    # She fails the quiz's only attempt.
    student.goto(f"/courses/{course.slug}/{lesson.slug}/quiz/")
    student.get_by_role("button", name="Start the quiz").click()
    questions = student.locator("fieldset[data-question]")
    expect(questions).to_have_count(3)
    wrong = wrong_choice_ids(quiz)
    for i in range(3):
        answer(student, questions.nth(i), wrong)
    student.get_by_role("button", name="Submit for grading").click()
    expect(student.locator("#result-summary")).to_contain_text("0%")
    student.goto(f"/courses/{course.slug}/{lesson.slug}/quiz/")
    expect(student.get_by_role("button", name=re.compile("^Start"))).to_have_count(0)

    # Her teacher gives her a new attempt from her record.
    page.goto(f"/teach/classes/{classroom.pk}/")
    page.get_by_role("link", name=re.compile("Ada Lovelace")).first.click()
    page.get_by_role("link", name=re.compile("Give a new attempt")).click()
    page.get_by_role("button", name=re.compile("new attempt", re.I)).click()
    expect(page.locator("body")).to_contain_text("Gave a new attempt")
    assert TeacherAction.objects.filter(kind=ActionKind.NEW_ATTEMPT, teacher=teacher).exists()

    # And she passes.
    student.goto(f"/courses/{course.slug}/{lesson.slug}/quiz/")
    student.get_by_role("button", name="Start attempt 2").click()
    correct = correct_choice_ids(quiz)
    for i in range(3):
        answer(student, questions.nth(i), correct)
    student.get_by_role("button", name="Submit for grading").click()
    expect(student.locator("#result-summary")).to_contain_text("100%")
