"""Every page type: no serious or critical axe violation, no sideways scrolling
at 375 px and 1280 px, and a screenshot of each for a human to look at."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.grading import save_answers, start_attempt, submit_attempt
from quizzes.models import AttemptAllowance
from review.models import ReviewLog
from review.scheduling import record_answers
from review.sessions import Sitting
from teaching.models import Classroom, Enrollment, LessonDueDate
from tests.factories import make_quiz
from tests.teaching_data import make_course

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
    """A class of two courses with a student who has one submitted and one open
    attempt, due dates past and to come, and an extra attempt; an archived class."""
    classroom = Classroom.objects.create(name="Year 10")
    classroom.teachers.add(teacher)
    second, quizzes = make_course(lessons=2)
    make_quiz(course=second, lesson_position=3)
    classroom.courses.add(seeded, second)
    Enrollment.objects.create(classroom=classroom, student=student)
    lesson = seeded.lessons.get(position=1)
    done = start_attempt(user=student, quiz=lesson.quiz)
    q = done.paper["questions"][0]
    save_answers(attempt=done, answers={q["id"]: [q["choices"][0]["id"]]})
    submit_attempt(attempt=done)
    open_attempt = start_attempt(user=student, quiz=seeded.lessons.get(position=2).quiz)
    now = timezone.now()
    for n, dated in enumerate(seeded.lessons.order_by("position")[:4]):
        LessonDueDate.objects.create(
            classroom=classroom, lesson=dated, due_at=now + timedelta(days=3 * n - 2)
        )
    AttemptAllowance.objects.create(quiz=lesson.quiz, user=student, extra_attempts=1)
    archived = Classroom.objects.create(name="Year 9 (last year)", archived_at=now)
    archived.teachers.add(teacher)
    # Review: the second course's first quiz missed yesterday, one question reviewed since.
    reviewed = quizzes[0]
    ids = list(reviewed.questions.values_list("pk", flat=True))
    record_answers(student, dict.fromkeys(ids, False), now=now - timedelta(days=1), source="quiz")
    first = reviewed.questions.get(pk=ids[0]).choices.first().pk
    record_answers(student, {ids[0]: True}, now=now, source="review", selected={ids[0]: [first]})
    return {
        "reviewed": reviewed,
        "review_log": ReviewLog.objects.filter(source="review").get(),
        "course": seeded,
        "lesson": lesson,
        "classroom": classroom,
        "done": done,
        "open": open_attempt,
    }


def student_pages(w):
    course, lesson, practised = w["course"], w["lesson"], w["reviewed"].lesson
    return {
        "home": "/",
        "course": f"/courses/{course.slug}/",
        "lesson": f"/courses/{course.slug}/{lesson.slug}/",
        "quiz": f"/courses/{course.slug}/{lesson.slug}/quiz/",
        "attempt": f"/attempts/{w['open'].pk}/",
        "result": f"/attempts/{w['done'].pk}/result/",
        "progress": "/progress/",
        "join": "/classes/join/",
        "my-classes": "/classes/",
        "leave-class": f"/classes/{w['classroom'].pk}/leave/",
        "profile": "/accounts/profile/",
        "password-change": "/accounts/password/",
        "review": "/review/",
        "review-feedback": f"/review/answered/{w['review_log'].pk}/",
        "review-finished": f"/review/?s={Sitting('review', (), 3, 2).sign()}",
        "practice": f"/review/practice/{practised.course.slug}/{practised.slug}/",
        "practice-nothing-yet": f"/review/practice/{course.slug}/{lesson.slug}/",
    }


def teacher_pages(w, student):
    c = w["classroom"]
    return {
        "teacher-home": "/teach/",
        "grid": f"/teach/classes/{c.pk}/",
        "grid-mastery": f"/teach/classes/{c.pk}/?show=mastery",
        "student-record": f"/teach/classes/{c.pk}/students/{student.pk}/",
        "statistics": f"/teach/quizzes/{w['lesson'].quiz.pk}/stats/?class={c.pk}",
        "new-class": "/teach/classes/new/",
        "due-dates": f"/teach/classes/{c.pk}/due-dates/",
        "confirm-remove": f"/teach/classes/{c.pk}/students/{student.pk}/remove/confirm/",
        "confirm-code": f"/teach/classes/{c.pk}/code/confirm/",
        "confirm-archive": f"/teach/classes/{c.pk}/archive/",
        "archived-classes": "/teach/classes/archived/",
        "roster": f"/teach/classes/{c.pk}/roster/",
        "new-passwords": f"/teach/classes/{c.pk}/passwords/",
        "extra-attempts": (
            f"/teach/classes/{c.pk}/students/{student.pk}/quizzes/"
            f"{w['lesson'].quiz.pk}/extra-attempts/"
        ),
        "close-attempt": (
            f"/teach/classes/{c.pk}/students/{student.pk}/attempts/{w['open'].pk}/close/"
        ),
        "reset-password": f"/teach/classes/{c.pk}/students/{student.pk}/password/",
    }


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_type_is_accessible_and_fits(world, new_page, student, teacher, width):
    problems = {}
    anonymous = new_page(width=width)
    for name, url in {
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "password-reset": "/accounts/password/reset/",
        "password-reset-sent": "/accounts/password/reset/sent/",
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


def test_the_grid_keeps_students_in_view_while_lessons_scroll(world, new_page, teacher):
    page = new_page(width=1280)
    login(page, teacher.username)
    page.goto(f"/teach/classes/{world['classroom'].pk}/")
    region = page.locator(".grid-scroll")
    student = page.locator("tbody th.grid-student").first

    # The student and their totals are on screen before any scrolling.
    for name in ("Student", "Passed", "Average", "Last activity"):
        box = page.get_by_role("columnheader", name=name, exact=True).bounding_box()
        assert box and 0 <= box["x"] and box["x"] + box["width"] <= 1280, name
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the lessons do not scroll"
    before = student.bounding_box()["x"]
    region.evaluate("r => r.scrollLeft = r.scrollWidth")
    after = student.bounding_box()["x"]
    assert abs(after - before) < 1, "the student column scrolled away"
    screenshot(page, "grid-scrolled")

    # A shortened lesson title shows in full on keyboard focus; a screen reader reads it.
    lesson = world["lesson"]
    stats = page.locator(f'a[href^="/teach/quizzes/{lesson.quiz.pk}/stats/"]')
    head = page.locator("th.grid-lesson", has=stats).locator(".lesson-head")
    full = head.locator(".lesson-full")
    assert full.bounding_box()["width"] <= 1  # visually hidden until focused
    head.focus()
    expect(full).to_be_visible()
    assert full.bounding_box()["width"] > 50
    expect(full).to_have_text(f"Lesson 1: {lesson.title} ({world['course'].title})")
    expect(page.get_by_role("columnheader", name=lesson.title)).to_have_count(1)
