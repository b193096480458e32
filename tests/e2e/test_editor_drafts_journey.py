"""The editor's path, end to end in Chromium: import an explainer nobody wrote
questions for, review its drafts, publish, and a student takes and passes a quiz."""

import re

from playwright.sync_api import expect

from learning.models import Course
from quizzes.models import Question, QuestionStatus
from tests.authoring.explainers import FOLDER
from tests.conftest import make_user

from .conftest import PASSWORD, correct_choice_ids, login, screenshot
from .test_student_journey import answer

EXPLAINER = FOLDER / "carbon-border-tax.txt"


def test_editor_imports_reviews_publishes_and_a_student_passes(transactional_db, new_page):
    editor = make_user("edna")
    editor.is_staff = editor.is_superuser = True
    editor.save()
    page = new_page()
    login(page, editor.username)

    page.goto("/admin/learning/course/")
    page.get_by_role("link", name="Import explainer").click()
    page.locator("#id_file").set_input_files(str(EXPLAINER))
    page.get_by_role("button", name="Preview lessons and questions").click()
    expect(page.get_by_text("Sections found: 8")).to_be_visible()
    # Plain text without headings: titles are made from each topic, and the page says so.
    expect(page.locator(".import-warning")).to_contain_text("no headings")
    expect(page.locator(".preview-lesson").first).to_contain_text("draft question")
    screenshot(page, "import-preview")
    assert not Course.objects.exists()  # the preview writes nothing
    page.locator("#id_title").fill("The EU's carbon border charge")
    page.get_by_role("button", name="Create the course").click()
    expect(page.locator(".messagelist")).to_contain_text("8 lessons (8 new, 0 updated)")
    expect(page.locator(".messagelist")).to_contain_text("draft questions to review")
    course = Course.objects.get(title="The EU's carbon border charge")

    # Review every lesson: approve the five best drafts, reject the sixth.
    page.get_by_role("link", name=re.compile(r"^Review \d+ drafts?$")).first.click()
    for position in range(1, 9):
        expect(page).to_have_url(re.compile(rf"/review/{position}/$"))
        drafts = page.locator("section.draft")
        for i in range(5):
            drafts.nth(i).get_by_label("Approve", exact=True).check()
        if drafts.count() > 5:
            drafts.nth(5).get_by_label("Reject", exact=True).check()
        if position == 1:
            screenshot(page, "review-lesson")
        page.get_by_role("button", name="Apply these decisions").click()
        expect(page.locator(".messagelist")).to_contain_text("5 approved")
        if position < 8:  # drafts left as drafts keep the editor on the lesson
            page.goto(f"/admin/learning/course/{course.pk}/review/{position + 1}/")
    page.goto(f"/admin/learning/course/{course.pk}/review/")
    page.get_by_role("button", name="Publish the course and its lessons").click()
    expect(page.locator(".messagelist")).to_contain_text("Published")
    course.refresh_from_db()
    assert course.published and set(course.lessons.values_list("published", flat=True)) == {True}
    assert (
        Question.objects.filter(quiz__lesson__course=course, status=QuestionStatus.APPROVED).count()
        == 40
    )

    # A student finds the course, reads lesson 1 and passes its quiz.
    student = make_user("stu")
    student_page = new_page()
    login(student_page, student.username, PASSWORD)
    student_page.goto("/")
    student_page.get_by_role("link", name="The EU's carbon border charge").click()
    lesson = course.lessons.get(position=1)
    student_page.get_by_role("link", name=lesson.title).first.click()
    expect(student_page.locator("#glossary")).to_be_visible()
    expect(student_page.locator(".lesson-body dfn").first).to_be_visible()
    student_page.goto(f"/courses/{course.slug}/{lesson.slug}/quiz/")
    student_page.get_by_role("button", name="Start the quiz").click()
    correct = correct_choice_ids(lesson.quiz)
    questions = student_page.locator("fieldset[data-question]")
    expect(questions).to_have_count(5)
    for i in range(5):
        answer(student_page, questions.nth(i), correct)
    student_page.get_by_role("button", name="Submit for grading").click()
    expect(student_page.locator("#result-summary")).to_contain_text("100%")
    screenshot(student_page, "drafted-quiz-result")
