import csv
import io
import re

from playwright.sync_api import expect

from quizzes.grading import save_answers, start_attempt, submit_attempt
from teaching.models import Classroom

from .conftest import login


def test_teacher_creates_class_sees_student_record_csv_and_statistics(
    seeded, new_page, teacher, student
):
    page = new_page()
    login(page, teacher.username)
    page.get_by_role("link", name="Teaching").click()
    page.get_by_role("link", name="New class").first.click()
    page.locator("#id_name").fill("Year 10 History")
    page.get_by_label(seeded.title).check()
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", name="Year 10 History")).to_be_visible()
    code = Classroom.objects.get(name="Year 10 History").join_code
    expect(page.locator("code").first).to_have_text(code)

    # The student joins with the code and takes a quiz.
    student_page = new_page()
    login(student_page, student.username)
    student_page.goto("/classes/join/")
    student_page.locator("#id_code").fill(code.lower())
    student_page.get_by_role("button", name="Join").click()
    expect(student_page.get_by_text("You joined Year 10 History")).to_be_visible()
    quiz = seeded.lessons.get(position=1).quiz
    attempt = start_attempt(user=student, quiz=quiz)
    first = attempt.paper["questions"][0]
    save_answers(attempt=attempt, answers={first["id"]: [first["choices"][0]["id"]]})
    submit_attempt(attempt=attempt)

    page.reload()
    row = page.get_by_role("row", name=re.compile(student.username))
    expect(row).to_contain_text("Not passed yet")
    page.get_by_role("link", name=student.username).click()
    expect(page.get_by_role("heading", name=student.username)).to_be_visible()
    expect(page.get_by_text("attempt 1", exact=False).first).to_be_visible()

    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    content = open(download_info.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][0] == "username"
    assert rows[1][0] == student.username

    page.get_by_role("link", name=re.compile("^stats")).first.click()
    expect(page.get_by_role("heading", name=re.compile("Question statistics"))).to_be_visible()
    expect(page.get_by_text("Attempts counted")).to_be_visible()
