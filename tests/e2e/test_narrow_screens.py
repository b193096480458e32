"""A phone at 375 px: the progress page and the attempt list read without any sideways
scrolling, not even inside a table, and unchecked choices are visible (3:1 borders)."""

import pytest

from quizzes.grading import save_answers, start_attempt, submit_attempt

from .conftest import assert_no_horizontal_overflow, correct_choice_ids, login, screenshot

NO_INNER_SCROLL = """() => [...document.querySelectorAll('main table, main .table-responsive')]
    .filter(el => el.scrollWidth > el.clientWidth + 1)
    .map(el => el.tagName + ' ' + (el.scrollWidth - el.clientWidth) + 'px')"""


def cell_labels(row):
    """The labels the narrow layout writes before each cell (CSS ::before content)."""
    return row.evaluate(
        """(tr) => [...tr.querySelectorAll('td')]
            .map(td => getComputedStyle(td, '::before').content)
            .filter(c => c && c !== 'none' && c !== 'normal')
            .map(c => c.replace(/^"|"$/g, '').replace(/: $/, ''))"""
    )


def fail(student, quiz):
    attempt = start_attempt(user=student, quiz=quiz)
    right = correct_choice_ids(quiz)
    for question in attempt.paper["questions"]:
        wrong = next(c["id"] for c in question["choices"] if c["id"] not in right)
        save_answers(attempt=attempt, answers={question["id"]: [wrong]})
    return submit_attempt(attempt=attempt)


@pytest.fixture
def history(seeded, student):
    """Three attempts at the first quiz (long prompts among the missed questions)."""
    quiz = seeded.lessons.get(position=1).quiz
    for _ in range(3):
        fail(student, quiz)
    return quiz


def test_the_progress_page_fits_a_phone(history, new_page, student):
    page = new_page(width=375)
    login(page, student.username)
    page.goto("/progress/")

    assert_no_horizontal_overflow(page)
    assert page.evaluate(NO_INNER_SCROLL) == []
    # Each lesson reads as a labelled card: the header row is not what labels the cells.
    first_row = page.locator("main table tbody tr").first
    assert "Best score" in cell_labels(first_row)
    assert "No attempts left" in first_row.inner_text()
    screenshot(page, "progress-phone")


def test_the_attempt_list_fits_a_phone(history, new_page, student):
    page = new_page(width=375)
    login(page, student.username)
    page.goto(history.get_absolute_url())

    assert_no_horizontal_overflow(page)
    assert page.evaluate(NO_INNER_SCROLL) == []
    assert page.locator("main table tbody tr").count() == 3
    assert "Score" in cell_labels(page.locator("main table tbody tr").first)
    screenshot(page, "attempt-list-phone")


def test_the_attempt_list_stays_a_table_on_a_wide_screen(history, new_page, student):
    page = new_page(width=1280)
    login(page, student.username)
    page.goto(history.get_absolute_url())

    assert page.locator("main table thead").is_visible()
    assert cell_labels(page.locator("main table tbody tr").first) == []


CONTRAST = """(el) => {
  const channel = c => { c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = rgb => { const [r, g, b] = rgb.match(/\\d+/g).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b); };
  const border = luminance(getComputedStyle(el).borderTopColor);
  let node = el.parentElement, background = 'rgb(255, 255, 255)';
  while (node) { const c = getComputedStyle(node).backgroundColor;
    if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { background = c; break; }
    node = node.parentElement; }
  const back = luminance(background);
  return (Math.max(border, back) + 0.05) / (Math.min(border, back) + 0.05);
}"""


def test_unchecked_choices_have_borders_of_at_least_3_to_1(seeded, new_page, student):
    attempt = start_attempt(user=student, quiz=seeded.lessons.get(position=1).quiz)
    page = new_page()
    login(page, student.username)
    page.goto(f"/attempts/{attempt.pk}/")

    choices = page.locator("input.form-check-input:not(:checked)")
    assert choices.count() > 0
    ratios = [choices.nth(i).evaluate(CONTRAST) for i in range(choices.count())]
    assert min(ratios) >= 3, f"weakest unchecked border contrast {min(ratios):.2f}:1"
