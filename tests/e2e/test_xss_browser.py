"""In real Chromium, hostile text in a lesson, a quiz, names and a class fires no dialog."""

from playwright.sync_api import expect

from tests.security.xss import PAYLOADS, hostile_world

from .conftest import login

# Four payloads at once, short enough for a class name (120 characters).
PAYLOAD = "".join(PAYLOADS[k] for k in ("script", "event handler", "javascript link", "svg"))


def watch(page):
    """Dialogs that fire, and scripts the Content-Security-Policy had to stop: the policy
    is the second wall, so a page that leans on it has already let markup through."""
    fired = []

    def record(dialog):
        fired.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and fired.append(message.text),
    )
    return fired


def test_no_dialog_fires_on_the_lesson_attempt_and_grid_pages(
    transactional_db, new_page, student, teacher
):
    world = hostile_world(PAYLOAD, student=student, teacher=teacher)

    page = new_page()
    fired = watch(page)
    login(page, student.username)
    page.goto(world.lesson.get_absolute_url())
    expect(page.locator("h1")).to_contain_text("<script>alert(1)</script>")
    page.locator(".lesson-body a", has_text="x").first.click()  # the javascript: link, defused
    page.goto(f"/attempts/{world.attempt.pk}/")
    expect(page.locator("legend").first).to_contain_text("<img src=x onerror=alert(1)>")
    page.locator("input.form-check-input").first.check()  # the background save runs too
    expect(page.locator("#save-state")).to_contain_text("saved")
    page.goto(f"/attempts/{world.graded.pk}/result/")

    teacher_page = new_page()
    teacher_fired = watch(teacher_page)
    login(teacher_page, teacher.username)
    teacher_page.goto(f"/teach/classes/{world.classroom.pk}/")
    expect(teacher_page.locator("h1")).to_contain_text("<svg onload=alert(1)>")
    teacher_page.goto(f"/teach/classes/{world.classroom.pk}/students/{student.pk}/")

    page.wait_for_timeout(300)  # an onload or onerror handler would have run by now
    assert fired == [] and teacher_fired == []
