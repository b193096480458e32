"""An editor's question bank, end to end in Chromium: upload a GIFT file in the
admin, preview it, import it, approve its drafts in the review queue, and a student
takes the quiz made of them."""

from playwright.sync_api import expect

from quizzes.models import Question, QuestionStatus
from teaching.roles import editors_group
from tests.conftest import make_user
from tests.factories import LessonFactory, QuizFactory

from .conftest import PASSWORD, correct_choice_ids, login, screenshot
from .test_student_journey import answer

SECTION = (
    "Harbour towns are rebuilding their sea walls after the winter storms. "
    "Engineers say the new walls will stand two metres higher than the old ones. "
    "The towns pay for the work with a regional flood fund."
)
BANK = """// Sea walls: a teacher's own questions.
$CATEGORY: sea-walls/why

::Why:: Why are the harbour towns rebuilding their sea walls? {
  =After the winter storms#Yes: the storms prompted the work.
  ~After a new tourism plan
  ~After a shipping accident
  ####The towns rebuild after the winter storms.
}

::Height:: How much higher will the new walls stand, engineers say? {
  =Two metres higher than the old ones
  ~Half a metre higher than the old ones
  ~Five metres higher than the old ones
  ####Engineers say the new walls will stand two metres higher.
}

::Money:: What pays for the work? {
  =A regional flood fund
  ~A national lottery
  ~A harbour toll on ships
  ####The towns pay with a regional flood fund.
}

::Essay:: Describe your own harbour. {}
"""


def test_editor_imports_a_gift_file_approves_it_and_a_student_takes_it(
    transactional_db, new_page, tmp_path
):
    lesson = LessonFactory(position=1, title="Sea walls", source_text=SECTION, body=SECTION)
    quiz = QuizFactory(lesson=lesson, questions_per_attempt=None)
    editor = make_user("edie")
    editor.is_staff = True  # an editor, not a superuser
    editor.save()
    editor.groups.add(editors_group())
    bank = tmp_path / "sea-walls.gift"
    bank.write_text(BANK, encoding="utf-8")
    page = new_page()
    login(page, editor.username)

    page.goto(f"/admin/learning/course/{lesson.course.pk}/change/")
    page.get_by_role("link", name="Import questions").click()
    page.locator("#id_file").set_input_files(str(bank))
    page.get_by_role("button", name="Preview questions").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        "Preview (GIFT): 3 questions to import, 1 that cannot be imported."
    )
    expect(page.locator(".import-skipped")).to_contain_text(
        "Essay — Line 25 (“Essay”): an essay question"
    )
    expect(page.locator(".import-planned > li")).to_have_count(3)
    screenshot(page, "import-questions-preview")
    assert not Question.objects.exists()  # the preview writes nothing
    page.get_by_role("button", name="Import 3 questions").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Imported 3 questions into lesson 1, Sea walls (as drafts to review); "
        "1 could not be imported."
    )
    drafts = page.locator("section.draft")
    expect(drafts).to_have_count(3)
    for i in range(3):
        drafts.nth(i).get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Apply these decisions").click()
    expect(page.locator(".messagelist")).to_contain_text("3 approved")
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.APPROVED}

    student = make_user("stu")
    student_page = new_page()
    login(student_page, student.username, PASSWORD)
    student_page.goto(f"/courses/{lesson.course.slug}/{lesson.slug}/quiz/")
    student_page.get_by_role("button", name="Start the quiz").click()
    questions = student_page.locator("fieldset[data-question]")
    expect(questions).to_have_count(3)
    expect(student_page.get_by_text("What pays for the work?")).to_be_visible()
    correct = correct_choice_ids(quiz)
    for i in range(3):
        answer(student_page, questions.nth(i), correct)
    student_page.get_by_role("button", name="Submit for grading").click()
    expect(student_page.locator("#result-summary")).to_contain_text("100%")
