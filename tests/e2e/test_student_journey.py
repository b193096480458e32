import re

from django.contrib.auth.models import User
from playwright.sync_api import expect

from quizzes.models import Attempt, Response

from .conftest import PASSWORD, correct_choice_ids


def answer(page, question_fieldset, correct):
    """Tick the correct choices of one question (by their values)."""
    for box in question_fieldset.locator("input.form-check-input").all():
        if int(box.get_attribute("value")) in correct:
            box.check()


def test_student_signs_up_learns_takes_quiz_resumes_and_retakes(seeded, new_page):
    lesson = seeded.lessons.get(position=1)
    correct = correct_choice_ids(lesson.quiz)
    page = new_page()

    page.goto("/accounts/signup/")
    page.locator("#id_username").fill("newstudent")
    page.locator("#id_password1").fill(PASSWORD + "x!")
    page.locator("#id_password2").fill(PASSWORD + "x!")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Welcome, newstudent")).to_be_visible()

    page.get_by_role("link", name=seeded.title).click()
    expect(page.get_by_text("0 of 10 lessons passed")).to_be_visible()
    page.get_by_role("link", name=lesson.title).first.click()
    expect(page.get_by_role("heading", name="Key points")).to_be_visible()
    page.get_by_role("link", name="Take the quiz").click()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt_url = page.url

    questions = page.locator("fieldset[data-question]")
    count = questions.count()
    quiz = lesson.quiz
    assert count == quiz.attempt_size(quiz.questions.approved().count())
    half = count // 2
    for i in range(half):
        answer(page, questions.nth(i), correct)
        expect(page.locator("#save-state")).to_have_text(re.compile("saved"))
    user = User.objects.get(username="newstudent")
    expect(page.locator("#answered-count")).to_have_text(str(half))
    page.context.close()

    # Come back later, in a new browser: every saved answer is still chosen.
    page = new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("newstudent")
    page.locator("#id_password").fill(PASSWORD + "x!")
    page.get_by_role("button", name="Log in").click()
    page.goto(attempt_url)
    questions = page.locator("fieldset[data-question]")
    assert Response.objects.filter(attempt__user=user).exclude(selected=[]).count() == half
    for i in range(half):
        checked = questions.nth(i).locator("input:checked")
        expect(checked.first).to_be_checked()
    for i in range(half, count):
        answer(page, questions.nth(i), correct)
    page.get_by_role("button", name="Submit for grading").click()

    expect(page.locator("#result-summary")).to_contain_text("100%")
    expect(page.locator("#result-summary")).to_contain_text("Passed")
    expect(page.get_by_text("Why:").first).to_be_visible()
    assert Attempt.objects.get(user=user).score == 100

    page.get_by_role("link", name="Back to the course").click()
    expect(page.get_by_text("1 of 10 lessons passed")).to_be_visible()

    page.goto(f"/courses/{seeded.slug}/{lesson.slug}/quiz/")
    page.get_by_role("button", name="Start attempt 2").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    assert Attempt.objects.filter(user=user).count() == 2


def test_quiz_works_start_to_result_without_javascript(seeded, new_page, student):
    lesson = seeded.lessons.get(position=2)
    correct = correct_choice_ids(lesson.quiz)
    page = new_page(javascript=False)
    page.goto(f"/courses/{seeded.slug}/{lesson.slug}/quiz/")
    page.get_by_role("link", name="Log in").first.click()
    page.locator("#id_username").fill(student.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/quiz/$"))
    page.get_by_role("button", name="Start the quiz").click()

    questions = page.locator("fieldset[data-question]")
    answer(page, questions.nth(0), correct)
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator(".alert-success")).to_contain_text("Your answers are saved")
    questions = page.locator("fieldset[data-question]")
    expect(questions.nth(0).locator("input:checked").first).to_be_checked()

    # Submitting with unanswered questions asks first, naming them.
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.locator("#confirm-submit")).to_contain_text("You have not answered")
    questions = page.locator("fieldset[data-question]")
    for i in range(1, questions.count()):
        answer(page, questions.nth(i), correct)
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.locator("#result-summary")).to_contain_text("100%")
    assert Attempt.objects.get(user=student).passed is True
