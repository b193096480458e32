"""In a real browser: two quick changes whose saves reach the server in the wrong order
leave the later choice stored."""

import re

from django.contrib.auth.models import User
from playwright.sync_api import expect

from quizzes.grading import start_attempt
from quizzes.models import Response
from tests.factories import make_quiz

from .conftest import PASSWORD

SAVE = re.compile(r"/attempts/\d+/save/$")


def stored(attempt, qid):
    return (
        Response.objects.filter(attempt=attempt, question_id=qid)
        .values_list("selected", flat=True)
        .first()
    )


def test_a_delayed_older_save_does_not_replace_the_later_choice(transactional_db, new_page):
    user = User.objects.create_user("rosa", password=PASSWORD)
    attempt = start_attempt(user=user, quiz=make_quiz(questions=2))
    question = attempt.paper["questions"][0]
    first, second = (c["id"] for c in question["choices"][:2])
    page = new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("rosa")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/attempts/{attempt.pk}/")

    held = []  # the first save is held back on the network, the second goes through

    def delay_first(route):
        if not held:
            held.append(route)
        else:
            route.continue_()

    page.route(SAVE, delay_first)
    page.locator(f"#c{first}").check()
    page.locator(f"#c{second}").check()
    for _ in range(100):  # until the second save is stored
        if stored(attempt, question["id"]) == [second]:
            break
        page.wait_for_timeout(50)
    assert stored(attempt, question["id"]) == [second]

    with page.expect_response(SAVE):
        held[0].continue_()  # the older save arrives last

    expect(page.locator("#save-state")).to_have_text(re.compile("All answers saved"))
    assert stored(attempt, question["id"]) == [second]
    page.reload()
    expect(page.locator(f"#c{second}")).to_be_checked()
