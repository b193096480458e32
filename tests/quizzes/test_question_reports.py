"""Reporting a problem with a question from the result page: filed once, refused clearly
otherwise, shown as reported, and open again once an editor has resolved it."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.grading import start_attempt, submit_attempt
from quizzes.models import QuestionReport, ReportReason
from tests.factories import make_quiz
from tests.pages import visible_text

THANKS = "Thank you: an editor will look at this question."
REPORTED = "You reported a problem with this question."
ALREADY = "You have already reported this question; an editor will look at it."
REPORT_LINK = "Report a problem with this question"


class ReportForms(HTMLParser):
    """Each report form of a page as a browser would send it: its action, its hidden and
    text fields as they are, and the values its radio buttons offer."""

    def __init__(self):
        super().__init__()
        self.forms, self._form = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "/report/" in attrs.get("action", ""):
            self._form = {"action": attrs["action"], "fields": {}, "reasons": []}
            self.forms.append(self._form)
        elif self._form is not None and tag == "input":
            if attrs.get("type") == "radio":
                self._form["reasons"].append(attrs["value"])
            else:
                self._form["fields"][attrs["name"]] = attrs.get("value", "")
        elif self._form is not None and tag == "textarea":
            self._form["fields"][attrs["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def report_forms(html):
    parser = ReportForms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def quiz(db):
    return make_quiz(questions=3, max_attempts=3)


@pytest.fixture
def graded(quiz, student):
    """`student`'s submitted first attempt, nothing answered."""
    return submit_attempt(attempt=start_attempt(user=student, quiz=quiz))


def report_url(attempt):
    return reverse("quizzes:report", args=[attempt.pk])


def result_url(attempt):
    return reverse("quizzes:result", args=[attempt.pk])


def first_question(attempt):
    return attempt.paper["questions"][0]["id"]


def post_report(client, attempt, question, reason=ReportReason.TYPO, comment=""):
    data = {"question": question, "reason": reason, "comment": comment}
    return client.post(report_url(attempt), {k: v for k, v in data.items() if v is not None})


# ---------------------------------------------------------------- filing


def test_result_page_offers_a_report_form_per_question(student_client, graded):
    response = student_client.get(result_url(graded))

    forms = report_forms(response.content.decode())
    assert visible_text(response, status=200).count(REPORT_LINK) == 3
    assert [form["fields"]["question"] for form in forms] == [
        str(q["id"]) for q in graded.paper["questions"]
    ]
    assert all(form["action"] == report_url(graded) for form in forms)
    assert forms[0]["reasons"] == list(ReportReason.values)


def test_the_form_as_a_browser_sends_it_files_a_report(student, graded):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(student)
    [form, *_] = report_forms(browser.get(result_url(graded)).content.decode())
    data = {**form["fields"], "reason": ReportReason.WRONG_KEY, "comment": "Choice 2 is right."}

    response = browser.post(form["action"], data, follow=True)

    assert response.redirect_chain == [(result_url(graded), 302)]
    assert THANKS in visible_text(response, status=200)
    report = QuestionReport.objects.get()
    assert (report.user, report.attempt, report.question_id) == (
        student,
        graded,
        first_question(graded),
    )
    assert (report.reason, report.comment) == (ReportReason.WRONG_KEY, "Choice 2 is right.")
    assert report.is_open


def test_a_reported_question_says_so_and_offers_no_second_form(student_client, graded):
    post_report(student_client, graded, first_question(graded))

    response = student_client.get(result_url(graded))

    text = visible_text(response, status=200)
    assert text.count(REPORTED) == 1
    assert text.count(REPORT_LINK) == 2
    forms = report_forms(response.content.decode())
    assert str(first_question(graded)) not in [form["fields"]["question"] for form in forms]


def test_the_reported_state_shows_on_a_later_attempt_too(student_client, student, quiz, graded):
    post_report(student_client, graded, first_question(graded))
    retake = submit_attempt(attempt=start_attempt(user=student, quiz=quiz))

    text = visible_text(student_client.get(result_url(retake)), status=200)

    assert text.count(REPORTED) == 1


def test_another_students_report_does_not_mark_mine(student_client, other_student, quiz, graded):
    theirs = submit_attempt(attempt=start_attempt(user=other_student, quiz=quiz))
    QuestionReport.objects.create(
        user=other_student, attempt=theirs, question_id=first_question(theirs), reason="typo"
    )

    text = visible_text(student_client.get(result_url(graded)), status=200)

    assert REPORTED not in text
    assert text.count(REPORT_LINK) == 3


def test_after_resolving_a_new_report_can_be_filed(student_client, student, graded):
    question = first_question(graded)
    post_report(student_client, graded, question)
    QuestionReport.objects.update(resolved_at=timezone.now(), resolution="Fixed the typo.")

    page = visible_text(student_client.get(result_url(graded)), status=200)
    again = post_report(student_client, graded, question, reason=ReportReason.UNCLEAR)

    assert REPORTED not in page
    assert page.count(REPORT_LINK) == 3
    assert again.status_code == 302
    assert QuestionReport.objects.filter(user=student, question_id=question).count() == 2
    assert QuestionReport.objects.open().get().reason == ReportReason.UNCLEAR


# ---------------------------------------------------------------- refusals


def test_a_second_open_report_is_refused_and_the_first_kept(student_client, graded):
    question = first_question(graded)
    post_report(student_client, graded, question, reason=ReportReason.TYPO, comment="First.")

    response = post_report(student_client, graded, question, reason=ReportReason.OTHER)

    text = visible_text(response, status=400)
    assert ALREADY in text
    assert text.index(ALREADY) < text.index(REPORTED)  # beside the question it is about
    report = QuestionReport.objects.get()
    assert (report.reason, report.comment) == (ReportReason.TYPO, "First.")


def test_a_report_on_an_open_attempt_is_refused_with_a_message(student_client, student, quiz):
    attempt = start_attempt(user=student, quiz=quiz)

    response = student_client.post(
        report_url(attempt), {"question": first_question(attempt), "reason": "typo"}, follow=True
    )

    assert "Submit the attempt first, then report a problem." in visible_text(response)
    assert not QuestionReport.objects.exists()
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_a_report_on_an_open_attempt_is_a_4xx(student_client, student, quiz):
    attempt = start_attempt(user=student, quiz=quiz)

    response = student_client.post(
        report_url(attempt), {"question": first_question(attempt), "reason": "typo"}
    )

    assert response.status_code == 409
    assert "Submit the attempt first" in visible_text(response)
    assert not QuestionReport.objects.exists()


def test_someone_elses_attempt_is_404(client, other_student, graded):
    client.force_login(other_student)

    response = post_report(client, graded, first_question(graded))

    assert response.status_code == 404
    assert not QuestionReport.objects.exists()


def test_a_question_not_on_the_paper_is_refused(student_client, graded):
    elsewhere = make_quiz(questions=1).questions.get()

    response = post_report(student_client, graded, elsewhere.pk)

    assert response.status_code == 400
    assert not QuestionReport.objects.exists()


def test_a_question_not_on_the_paper_is_refused_with_a_message(student_client, graded):
    elsewhere = make_quiz(questions=1).questions.get()

    response = post_report(student_client, graded, elsewhere.pk)

    assert "That question is not part of this attempt." in visible_text(response, status=400)


def test_a_report_without_a_reason_is_refused_beside_its_question(student_client, graded):
    question = first_question(graded)

    response = post_report(student_client, graded, question, reason=None, comment="Hm.")

    html = response.content.decode()
    assert "This field is required." in visible_text(response, status=400)
    assert html.count('<details class="mt-2 report-question" open>') == 1
    assert f'name="question" value="{question}"' in html.split(" open>")[1].split("</details>")[0]
    assert ">Hm.</textarea>" in html  # what the student wrote is kept for the retry
    assert not QuestionReport.objects.exists()


def test_an_unknown_reason_is_refused(student_client, graded):
    response = post_report(student_client, graded, first_question(graded), reason="boring")

    assert "Select a valid choice." in visible_text(response, status=400)
    assert not QuestionReport.objects.exists()


def test_a_comment_over_1000_characters_is_refused(student_client, graded):
    question = first_question(graded)

    response = post_report(student_client, graded, question, comment="x" * 1001)

    text = visible_text(response, status=400)
    assert "Ensure this value has at most 1000 characters (it has 1001)." in text
    assert f'id="reason-{question}-typo" checked' in response.content.decode()
    assert not QuestionReport.objects.exists()


def test_a_comment_of_exactly_1000_characters_is_filed(student_client, graded):
    response = post_report(student_client, graded, first_question(graded), comment="x" * 1000)

    assert response.status_code == 302
    assert len(QuestionReport.objects.get().comment) == 1000


def test_reporting_is_post_only(student_client, graded):
    response = student_client.get(report_url(graded))

    assert response.status_code == 405
    assert not QuestionReport.objects.exists()


def test_an_anonymous_report_goes_to_login_and_files_nothing(client, graded):
    response = post_report(client, graded, first_question(graded))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not QuestionReport.objects.exists()
