"""Spaced review end to end in Chromium: a student passes a quiz but misses a question,
finds it due on /review/ once its ten minutes are up, answers it right without
JavaScript, and sees the navigation's due count fall."""

import re
from datetime import timedelta

from django.db.models import F
from playwright.sync_api import expect

from quizzes.models import Choice, Question, RevealAnswers
from review.due_counts import forget_due_summary
from review.models import Card
from tests.e2e.conftest import correct_choice_ids, login, screenshot
from tests.e2e.test_student_journey import answer
from tests.teaching_data import make_course


def ten_minutes_pass(user):
    """The clock moves on for `user`'s cards: their times move back instead. The cached
    count would have lapsed by itself when the first card fell due; here it is dropped."""
    eleven = timedelta(minutes=11)
    Card.objects.filter(user=user).update(
        due=F("due") - eleven, last_review=F("last_review") - eleven
    )
    forget_due_summary(user.pk)


def test_a_missed_question_comes_back_for_review_and_the_due_count_falls(
    transactional_db, new_page, student
):
    course, [quiz] = make_course(lessons=1, questions=3)
    # The key is shown once passed: review waits for it too.
    quiz.reveal_answers = RevealAnswers.PASSED_OR_NO_ATTEMPTS_LEFT
    quiz.pass_mark = 60
    quiz.save()
    lesson = quiz.lesson
    missed = Question.objects.filter(quiz=quiz).order_by("position").first()
    right = correct_choice_ids(quiz)
    wrong = set(
        Choice.objects.filter(question=missed, is_correct=False).values_list("pk", flat=True)
    )

    page = new_page()
    login(page, student.username)
    page.goto(f"/courses/{course.slug}/{lesson.slug}/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    questions = page.locator("fieldset[data-question]")
    expect(questions).to_have_count(3)
    for i in range(3):
        fieldset = questions.nth(i)
        is_missed = int(fieldset.get_attribute("data-question")) == missed.pk
        answer(page, fieldset, wrong if is_missed else right)
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.locator("#result-summary")).to_contain_text("Passed")

    # Missed a moment ago: not due yet, and the review page says when it will be.
    page.goto("/review/")
    expect(page.locator("#nothing-due")).to_contain_text("Your next review is due")
    expect(page.locator("#review-due-count")).to_have_count(0)

    ten_minutes_pass(student)

    # Without JavaScript, as the quiz works: the count, the question, the feedback.
    plain = new_page(javascript=False)
    login(plain, student.username)
    plain.goto("/")
    expect(plain.locator("#review-due-count")).to_have_text("1 due now")
    plain.locator("#nav-review").click()
    expect(plain.locator("#review-question legend")).to_have_text(missed.prompt)
    html = plain.content()
    assert missed.explanation not in html and "Correct answer" not in html
    screenshot(plain, "review-question")
    answer(plain, plain.locator("#review-question"), right)
    plain.get_by_role("button", name="Check my answer").click()

    feedback = plain.locator("#review-feedback")
    expect(feedback).to_contain_text("Right")
    expect(feedback).to_contain_text(missed.explanation)
    expect(feedback.get_by_role("link", name=re.compile(lesson.title))).to_be_visible()
    expect(plain.locator("#review-due-count")).to_have_count(0)
    screenshot(plain, "review-feedback")
    plain.locator("#next-question").click()
    expect(plain.locator("#sitting-summary")).to_have_text("You answered 1 question: 1 right.")
    expect(plain.locator("#nothing-due")).to_be_visible()
    card = Card.objects.get(user=student, question=missed)
    assert card.logs.count() == 2  # the quiz's miss, the review's right answer
