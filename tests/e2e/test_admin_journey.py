import re

from playwright.sync_api import expect

from learning.models import Course
from quizzes.models import QuestionKind

from .conftest import login


def test_admin_edits_question_sees_validation_error_then_change_on_site(
    seeded, new_page, admin_user, tmp_path
):
    quiz = seeded.lessons.get(position=1).quiz
    quiz.questions_per_attempt = None  # every attempt shows the whole pool, so the edit
    quiz.save()
    question = quiz.questions.filter(kind=QuestionKind.SINGLE).order_by("position").first()
    choices = list(question.choices.order_by("position"))
    wrong = next(c for c in choices if not c.is_correct)
    wrong_index = choices.index(wrong)

    page = new_page()
    page.goto("/admin/")
    page.locator("#id_username").fill(admin_user.username)
    page.locator("#id_password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/quizzes/question/{question.pk}/change/")
    page.locator("#id_prompt").fill("Edited: " + question.prompt)
    page.locator(f"#id_choices-{wrong_index}-is_correct").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("exactly one correct choice")
    question.refresh_from_db()
    assert not question.prompt.startswith("Edited")

    page.locator(f"#id_choices-{wrong_index}-is_correct").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # The edited prompt is what a student now sees.
    page.goto(f"/courses/{seeded.slug}/{quiz.lesson.slug}/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_text("Edited: " + question.prompt)).to_be_visible()


def test_admin_imports_an_explainer_through_the_admin_page(seeded, new_page, admin_user, tmp_path):
    explainer = tmp_path / "tides.md"
    explainer.write_text(
        "# How tides work\n\n"
        "## The Moon pulls\nThe Moon's gravity pulls the sea. It makes a bulge.\n\n"
        "## Two tides a day\nThe Earth turns under two bulges. So most coasts get two tides.\n",
        encoding="utf-8",
    )
    page = new_page()
    login(page, admin_user.username)
    page.goto("/admin/learning/course/")
    page.get_by_role("link", name="Import explainer").click()
    page.locator("#id_file").set_input_files(str(explainer))
    page.locator("#id_publish").check()
    page.get_by_role("button", name="Preview lessons and questions").click()
    expect(page.get_by_text("Sections found: 2")).to_be_visible()
    assert not Course.objects.filter(title="How tides work").exists()
    page.get_by_role("button", name="Create the course").click()
    expect(page.locator(".messagelist")).to_contain_text("Imported 'How tides work'")

    course = Course.objects.get(title="How tides work")
    page.goto(f"/courses/{course.slug}/")
    expect(page.get_by_role("link", name="Two tides a day")).to_be_visible()
    page.get_by_role("link", name="The Moon pulls", exact=True).click()
    expect(page).to_have_url(re.compile(r"/courses/how-tides-work/the-moon-pulls/$"))
