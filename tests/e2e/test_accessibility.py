"""Every page type: no serious or critical axe violation, no sideways scrolling
at 375 px and 1280 px, and a screenshot of each for a human to look at."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from quizzes.grading import save_answers, start_attempt, submit_attempt
from teaching.models import Classroom, Enrollment

from .conftest import assert_no_horizontal_overflow, login, screenshot

AXE = Axe()


def serious_violations(page):
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def world(seeded, teacher, student):
    """A class with a student who has one submitted and one open attempt."""
    classroom = Classroom.objects.create(name="Year 10")
    classroom.teachers.add(teacher)
    classroom.courses.add(seeded)
    Enrollment.objects.create(classroom=classroom, student=student)
    lesson = seeded.lessons.get(position=1)
    done = start_attempt(user=student, quiz=lesson.quiz)
    q = done.paper["questions"][0]
    save_answers(attempt=done, answers={q["id"]: [q["choices"][0]["id"]]})
    submit_attempt(attempt=done)
    open_attempt = start_attempt(user=student, quiz=seeded.lessons.get(position=2).quiz)
    return {
        "course": seeded,
        "lesson": lesson,
        "classroom": classroom,
        "done": done,
        "open": open_attempt,
    }


def student_pages(w):
    course, lesson = w["course"], w["lesson"]
    return {
        "home": "/",
        "course": f"/courses/{course.slug}/",
        "lesson": f"/courses/{course.slug}/{lesson.slug}/",
        "quiz": f"/courses/{course.slug}/{lesson.slug}/quiz/",
        "attempt": f"/attempts/{w['open'].pk}/",
        "result": f"/attempts/{w['done'].pk}/result/",
        "progress": "/progress/",
        "join": "/classes/join/",
    }


def teacher_pages(w, student):
    c = w["classroom"]
    return {
        "teacher-home": "/teach/",
        "grid": f"/teach/classes/{c.pk}/",
        "student-record": f"/teach/classes/{c.pk}/students/{student.pk}/",
        "statistics": f"/teach/quizzes/{w['lesson'].quiz.pk}/stats/?class={c.pk}",
        "new-class": "/teach/classes/new/",
    }


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_type_is_accessible_and_fits(world, new_page, student, teacher, width):
    problems = {}
    anonymous = new_page(width=width)
    for name, url in {
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "not-found": "/courses/no-such-course/",
    }.items():
        anonymous.goto(url)
        problems[name] = serious_violations(anonymous)
        assert_no_horizontal_overflow(anonymous)
        screenshot(anonymous, name)

    page = new_page(width=width)
    login(page, student.username)
    for name, url in student_pages(world).items():
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        problems[name] = serious_violations(page)
        assert_no_horizontal_overflow(page)
        screenshot(page, name)

    page = new_page(width=width)
    login(page, teacher.username)
    for name, url in teacher_pages(world, student).items():
        page.goto(url)
        problems[name] = serious_violations(page)
        assert_no_horizontal_overflow(page)
        screenshot(page, name)

    assert {name: found for name, found in problems.items() if found} == {}


def test_quiz_can_be_finished_with_the_keyboard_alone(world, new_page, student):
    page = new_page()
    login(page, student.username)
    page.goto(f"/attempts/{world['open'].pk}/")
    count = page.locator("fieldset[data-question]").count()
    page.locator("#c" + str(world["open"].paper["questions"][0]["choices"][0]["id"])).focus()
    for number in range(1, count + 1):
        focused = page.evaluate("document.activeElement.closest('fieldset').id")
        assert focused == f"question-{number}"
        page.keyboard.press("Space")  # choose the focused option
        page.keyboard.press("Tab")  # radios: next question; checkboxes: next box
        while (
            number < count
            and page.evaluate("document.activeElement.closest('fieldset')?.id")
            == f"question-{number}"
        ):
            page.keyboard.press("Tab")
    # Focus is now past the last question: Tab reaches Save, then Submit.
    while page.evaluate("document.activeElement.id") != "submit-button":
        page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focused button shows no focus ring"
    page.keyboard.press("Enter")
    expect(page.locator("#result-summary")).to_be_visible()
    expect(page.locator("#result-summary")).to_have_attribute("aria-live", "polite")
