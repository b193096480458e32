"""In Chromium, a student reports a problem with a question from their result page."""

from playwright.sync_api import expect

from quizzes.grading import start_attempt, submit_attempt
from quizzes.models import QuestionReport, ReportReason
from tests.factories import make_quiz

from .conftest import login, screenshot


def test_student_reports_a_question_from_the_result_page(transactional_db, new_page, student):
    quiz = make_quiz(questions=3)
    attempt = submit_attempt(attempt=start_attempt(user=student, quiz=quiz))
    first = quiz.questions.get(pk=attempt.paper["questions"][0]["id"])

    page = new_page()
    login(page, student.username)
    page.goto(f"/attempts/{attempt.pk}/result/")
    card = page.locator("section", has=page.get_by_role("heading", name=f"1. {first.prompt}"))
    report = card.locator("details.report-question")
    expect(report.get_by_role("button", name="Send the report")).to_be_hidden()

    report.locator("summary").click()
    report.get_by_label("The question or its choices are unclear").check()
    report.get_by_label("Tell us more (optional)").fill("Choices 2 and 3 say the same.")
    screenshot(page, "report-question-open")
    report.get_by_role("button", name="Send the report").click()

    expect(page.get_by_text("Thank you: an editor will look at this question.")).to_be_visible()
    expect(card.get_by_text("You reported a problem with this question.")).to_be_visible()
    expect(card.locator("details.report-question")).to_have_count(0)
    expect(page.locator("details.report-question")).to_have_count(2)
    saved = QuestionReport.objects.get()
    assert (saved.user, saved.question, saved.reason) == (student, first, ReportReason.UNCLEAR)
    assert saved.comment == "Choices 2 and 3 say the same."
