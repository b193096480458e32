"""Reviewing questions in the admin: approve, retire, the item checks beside each question,
the choice rules as form errors, questions added from the quiz, and the report queue."""

from html import unescape

import pytest
from django.urls import reverse

from quizzes.grading import start_attempt, submit_attempt
from quizzes.models import Choice, Question, QuestionReport, QuestionStatus
from tests.factories import CourseFactory, LessonFactory, make_question
from tests.pages import table_rows, visible_text
from tests.well_written import PROMPT, add_well_written, well_written_quiz

CHANGELIST = reverse("admin:quizzes_question_changelist")
REPORTS = reverse("admin:quizzes_questionreport_changelist")


@pytest.fixture
def quiz(db):
    """Q1 clean, Q2 with two warnings (source passage and explanation), both drafts."""
    quiz = well_written_quiz()
    add_well_written(quiz, 1, status=QuestionStatus.DRAFT)
    flawed = make_question(quiz, 2)
    Question.objects.filter(pk=flawed.pk).update(status=QuestionStatus.DRAFT)
    return quiz


def question_at(quiz, position):
    return quiz.questions.get(position=position)


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def act(client, url, action, objects):
    """Run an admin action on `objects` from their change list; the page it lands on."""
    data = {"action": action, "_selected_action": [o.pk for o in objects], "index": 0}
    return client.post(url, data, follow=True)


def row_of(html, text):
    [row] = [row for row in table_rows(html) if any(cell.startswith(text) for cell in row)]
    return row


def text_of(response):
    """The page's visible text, entities read as characters."""
    return unescape(visible_text(response, status=200))


def form_data(client, url):
    """What the change page would send back unedited, inline formsets included."""
    context = client.get(url).context
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value not in (False, None):
                data[form.add_prefix(name)] = value
    return data


# ---------------------------------------------------------------- approve, retire, draft


def test_approve_makes_valid_drafts_visible_to_students(admin_client, quiz):
    response = act(admin_client, CHANGELIST, "approve", quiz.questions.all())

    assert "Approved 2 question(s)." in visible_text(response, status=200)
    assert set(quiz.questions.values_list("status", flat=True)) == {QuestionStatus.APPROVED}


def test_approve_refuses_a_question_without_a_correct_choice(admin_client, quiz):
    broken = question_at(quiz, 2)
    broken.choices.update(is_correct=False)

    response = act(admin_client, CHANGELIST, "approve", quiz.questions.all())

    text = visible_text(response, status=200)
    assert "Approved 1 question(s)." in text
    assert f"Not approved: {broken}" in text
    assert "needs exactly one correct choice; it has 0" in text
    assert question_at(quiz, 1).status == QuestionStatus.APPROVED
    assert question_at(quiz, 2).status == QuestionStatus.DRAFT


@pytest.mark.parametrize(
    "text, reason",
    [("None of the above", "of the above"), ("Q2 choice 1", "appears 2 times")],
)
def test_approve_refuses_a_question_with_a_hard_error(admin_client, quiz, text, reason):
    broken = question_at(quiz, 2)
    Choice.objects.filter(question=broken, position=4).update(text=text)

    response = act(admin_client, CHANGELIST, "approve", [broken])

    text = text_of(response)
    assert f"Not approved: {broken}" in text and reason in text
    assert "question(s)." not in text  # no "Approved n question(s)."
    assert question_at(quiz, 2).status == QuestionStatus.DRAFT


def test_retire_and_return_to_draft(admin_client, quiz):
    quiz.questions.update(status=QuestionStatus.APPROVED)
    first, second = question_at(quiz, 1), question_at(quiz, 2)

    retired = act(admin_client, CHANGELIST, "retire", [first])
    drafted = act(admin_client, CHANGELIST, "return_to_draft", [second])

    assert "Retired 1 question(s)." in visible_text(retired, status=200)
    assert "Returned 1 question(s) to draft." in visible_text(drafted, status=200)
    assert question_at(quiz, 1).status == QuestionStatus.RETIRED
    assert question_at(quiz, 2).status == QuestionStatus.DRAFT


def test_change_list_shows_status_and_can_filter_by_it(admin_client, quiz):
    Question.objects.filter(pk=question_at(quiz, 1).pk).update(status=QuestionStatus.APPROVED)

    html = admin_client.get(CHANGELIST).content.decode()
    approved_only = admin_client.get(CHANGELIST + "?status__exact=approved").content.decode()

    assert "Approved" in row_of(html, "Q1. According")
    assert "Draft" in row_of(html, "Q2. ")
    assert "Q1. According" in approved_only and "Q2. " not in visible_text(approved_only)


# ---------------------------------------------------------------- the item checks


def test_checks_column_counts_each_questions_findings(admin_client, quiz):
    html = admin_client.get(CHANGELIST).content.decode()

    assert row_of(html, "Q1. According")[-1] == "✓"
    assert row_of(html, "Q2. ")[-1] == "2 findings"


def test_checks_column_counts_hard_errors(admin_client, quiz):
    Choice.objects.filter(question=question_at(quiz, 2), position=4).update(text="All of the above")

    html = admin_client.get(CHANGELIST).content.decode()

    assert row_of(html, "Q2. ")[-1] == "4 findings (1 error)"  # also: 'all' only in a distractor


def test_needs_checking_filter(admin_client, quiz):
    needed = visible_text(admin_client.get(CHANGELIST + "?checks=needed"), status=200)
    clean = visible_text(admin_client.get(CHANGELIST + "?checks=clean"), status=200)

    assert "Q2. " in needed and PROMPT[:30] not in needed
    assert PROMPT[:30] in clean and "Q2. " not in clean
    assert "Needs checking" in needed  # the filter is offered by name


def test_change_page_shows_the_questions_findings(admin_client, quiz):
    flawed = text_of(admin_client.get(change_url(question_at(quiz, 2))))
    clean = text_of(admin_client.get(change_url(question_at(quiz, 1))))

    assert "Item checks: rule 1 The source passage 'The section, verbatim.' is not in" in flawed
    assert "rule 7 The explanation does not point to a sentence" in flawed
    assert "Item checks: No findings." in clean


def test_change_page_links_to_the_questions_open_reports(admin_client, quiz, student):
    question = question_at(quiz, 1)
    QuestionReport.objects.create(user=student, question=question, reason="typo")

    html = admin_client.get(change_url(question)).content.decode()

    assert "1 open report</a>" in html
    assert f"{REPORTS}?question__id__exact={question.pk}&amp;open=yes" in html


# ---------------------------------------------------------------- choices as form errors


@pytest.mark.parametrize(
    "text, error",
    [
        ("All of the above", "'all/none of the above' rewards test-taking"),
        ("Q2 choice 1", "'Q2 choice 1' appears 2 times."),
        ("q2 CHOICE 1 ", "'Q2 choice 1' appears 2 times."),
    ],
)
def test_hard_errors_in_the_choices_are_form_errors(admin_client, quiz, text, error):
    question = question_at(quiz, 2)
    url = change_url(question)
    data = form_data(admin_client, url)
    data["choices-3-text"] = text

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert error in text_of(response)
    assert question.choices.get(position=4).text == "Q2 choice 4"


def test_a_new_question_starts_with_four_choice_rows(admin_client, quiz):
    response = admin_client.get(reverse("admin:quizzes_question_add"))

    [choices] = response.context["inline_admin_formsets"]
    assert len(choices.formset.forms) == 4
    assert 'name="choices-TOTAL_FORMS" value="4"' in response.content.decode()


def test_an_existing_question_gets_no_empty_choice_rows(admin_client, quiz):
    response = admin_client.get(change_url(question_at(quiz, 2)))

    [choices] = response.context["inline_admin_formsets"]
    assert len(choices.formset.forms) == 4  # its four choices, nothing extra


def test_a_question_added_from_the_quiz_page_is_a_draft(admin_client, quiz):
    quiz.questions.update(status=QuestionStatus.APPROVED)
    url = change_url(quiz)
    data = form_data(admin_client, url)
    data.update(
        {
            "questions-2-position": 3,
            "questions-2-prompt": "Who leads?",
            "questions-2-kind": "single",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert question_at(quiz, 3).prompt == "Who leads?"
    assert question_at(quiz, 3).status == QuestionStatus.DRAFT


def test_the_lesson_list_of_a_quiz_names_each_lessons_course(admin_client, db):
    LessonFactory(course=CourseFactory(title="Ceasefire"), position=1, title="Who pays")
    LessonFactory(course=CourseFactory(title="Coalition"), position=1, title="Who pays")

    html = admin_client.get(reverse("admin:quizzes_quiz_add")).content.decode()

    assert ">Ceasefire · 1. Who pays</option>" in html
    assert ">Coalition · 1. Who pays</option>" in html


def test_the_quiz_list_counts_approved_questions(admin_client, quiz):
    Question.objects.filter(pk=question_at(quiz, 1).pk).update(status=QuestionStatus.APPROVED)

    html = admin_client.get(reverse("admin:quizzes_quiz_changelist")).content.decode()

    row = row_of(html, str(quiz.lesson))
    headers = next(r for r in table_rows(html) if "Approved" in r)
    assert row[headers.index("Questions")] == "2"
    assert row[headers.index("Approved")] == "1"


# ---------------------------------------------------------------- the report queue


@pytest.fixture
def reports(quiz, student, other_student):
    """One open report by each student on Q1, from their submitted attempts."""
    quiz.questions.update(status=QuestionStatus.APPROVED)
    made = []
    for user, reason in [(student, "wrong_key"), (other_student, "typo")]:
        attempt = submit_attempt(attempt=start_attempt(user=user, quiz=quiz))
        made.append(
            QuestionReport.objects.create(
                user=user, attempt=attempt, question=question_at(quiz, 1), reason=reason
            )
        )
    return made


def test_the_queue_lists_open_reports_and_filters_by_state(admin_client, reports, admin_user):
    resolved = reports[1]
    QuestionReport.objects.filter(pk=resolved.pk).update(resolved_at=resolved.created_at)

    open_only = visible_text(admin_client.get(REPORTS + "?open=yes"), status=200)
    resolved_only = visible_text(admin_client.get(REPORTS + "?open=no"), status=200)

    assert "alice" in open_only and "bob" not in open_only
    assert "bob" in resolved_only and "alice" not in resolved_only


def test_resolving_with_a_note_records_who_and_when(admin_client, reports, admin_user):
    report = reports[0]
    url = change_url(report)

    response = admin_client.post(url, {"resolution": "Rewrote choice 2.", "resolve": "on"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolution == "Rewrote choice 2."
    assert report.resolved_by == admin_user
    assert report.resolved_at is not None
    assert QuestionReport.objects.open().get() == reports[1]


def test_a_note_without_resolve_keeps_the_report_open(admin_client, reports):
    report = reports[0]

    admin_client.post(change_url(report), {"resolution": "Asked the author."})

    report.refresh_from_db()
    assert report.resolution == "Asked the author."
    assert report.is_open and report.resolved_by is None


def test_the_report_page_shows_the_questions_checks_and_statistics(admin_client, reports):
    flawed = make_question(reports[0].question.quiz, 3)
    on_flawed = QuestionReport.objects.create(user=reports[0].user, question=flawed, reason="typo")

    clean = text_of(admin_client.get(change_url(reports[0])))
    other = text_of(admin_client.get(change_url(on_flawed)))

    assert "Item checks: No findings." in clean
    assert "Statistics (all submitted attempts): 2 answers · facility 0% · discrimination" in clean
    assert "rule 7 The explanation does not point to a sentence" in other
    assert "Not answered yet." in other


def test_mark_resolved_action_resolves_open_reports_only(admin_client, reports, admin_user):
    earlier = reports[1]
    QuestionReport.objects.filter(pk=earlier.pk).update(resolved_at=earlier.created_at)

    response = act(admin_client, REPORTS, "mark_resolved", reports)

    assert "Resolved 1 report(s)." in visible_text(response, status=200)
    assert not QuestionReport.objects.open().exists()
    reports[0].refresh_from_db()
    earlier.refresh_from_db()
    assert reports[0].resolved_by == admin_user
    assert earlier.resolved_by is None and earlier.resolved_at == earlier.created_at


def test_reports_cannot_be_added_in_the_admin(admin_client, db):
    response = admin_client.get(reverse("admin:quizzes_questionreport_add"))

    assert response.status_code == 403
