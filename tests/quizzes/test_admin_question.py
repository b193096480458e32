"""Editing questions and choices in the admin: every rule shows as a form error."""

import pytest
from django.urls import reverse

from learning.models import Lesson
from quizzes.grading import start_attempt
from quizzes.models import Choice, Question, QuestionKind, QuestionStatus, Response
from tests.factories import make_question, make_quiz


@pytest.fixture
def quiz(db):
    return make_quiz(questions=2)


@pytest.fixture
def question(quiz):
    return quiz.questions.get(position=1)  # single answer, first of four choices right


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def as_post_value(value):
    if value is True:
        return "on"
    if value is None:
        return ""
    return value


def form_data(client, url):
    """What the change page would send back unedited: main form, then each inline
    formset with its management form (the Choice inline's prefix is "choices")."""
    context = client.get(url).context
    data = {}
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = as_post_value(form[name].value())
            if value is not False:
                data[form.add_prefix(name)] = value
    return data


def correct_positions(question):
    return set(question.choices.filter(is_correct=True).values_list("position", flat=True))


def choice_index(question, position):
    """The inline form index of the choice at `position` (forms follow choice order)."""
    return list(question.choices.order_by("position").values_list("position", flat=True)).index(
        position
    )


def set_correct(data, question, positions):
    for choice in question.choices.all():
        key = f"choices-{choice_index(question, choice.position)}-is_correct"
        if choice.position in positions:
            data[key] = "on"
        else:
            data.pop(key, None)


def test_change_page_posts_back_unchanged_without_errors(admin_client, question):
    url = change_url(question)
    data = form_data(admin_client, url)
    assert data["choices-TOTAL_FORMS"] == 4

    response = admin_client.post(url, data)

    assert response.status_code == 302


def test_single_answer_with_no_correct_choice_shows_an_error_and_saves_nothing(
    admin_client, question
):
    url = change_url(question)
    data = form_data(admin_client, url)
    set_correct(data, question, set())
    data["prompt"] = "A new prompt that must not be saved?"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "needs exactly one correct choice; it has 0" in response.content.decode()
    question.refresh_from_db()
    assert question.prompt != "A new prompt that must not be saved?"
    assert correct_positions(question) == {1}


def test_single_answer_with_two_correct_choices_shows_an_error(admin_client, question):
    url = change_url(question)
    data = form_data(admin_client, url)
    set_correct(data, question, {1, 2})

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "needs exactly one correct choice; it has 2" in response.content.decode()
    assert correct_positions(question) == {1}


def test_deleting_down_to_one_choice_shows_an_error(admin_client, question):
    url = change_url(question)
    data = form_data(admin_client, url)
    for position in (2, 3, 4):
        data[f"choices-{choice_index(question, position)}-DELETE"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "at least two choices" in response.content.decode()
    assert question.choices.count() == 4


def test_multiple_answer_with_no_correct_choice_shows_an_error(admin_client, quiz):
    question = quiz.questions.get(position=2)  # select-all, choices 1 and 2 right
    url = change_url(question)
    data = form_data(admin_client, url)
    assert data["kind"] == QuestionKind.MULTIPLE
    set_correct(data, question, set())

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "needs at least one correct choice" in response.content.decode()
    assert correct_positions(question) == {1, 2}


def test_switching_to_single_answer_with_two_correct_choices_shows_an_error(admin_client, quiz):
    question = quiz.questions.get(position=2)
    url = change_url(question)
    data = form_data(admin_client, url)
    data["kind"] = QuestionKind.SINGLE

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "it has 2" in response.content.decode()
    question.refresh_from_db()
    assert question.kind == QuestionKind.MULTIPLE


def test_valid_edit_is_saved_and_shown(admin_client, question):
    url = change_url(question)
    data = form_data(admin_client, url)
    set_correct(data, question, {3})
    data[f"choices-{choice_index(question, 3)}-text"] = "Twenty-six European countries"

    response = admin_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "was changed successfully" in response.content.decode()
    assert correct_positions(question) == {3}
    assert question.choices.get(position=3).text == "Twenty-six European countries"
    assert "Twenty-six European countries" in admin_client.get(url).content.decode()


def test_new_question_needs_valid_choices_too(admin_client, quiz):
    url = reverse("admin:quizzes_question_add")
    data = {
        "quiz": quiz.pk,
        "position": 9,
        "kind": QuestionKind.SINGLE,
        "prompt": "Who pledged troops?",
        "status": QuestionStatus.DRAFT,
        "choices-TOTAL_FORMS": 2,
        "choices-INITIAL_FORMS": 0,
        "choices-0-position": 1,
        "choices-0-text": "Twenty-six countries",
        "choices-1-position": 2,
        "choices-1-text": "NATO",
    }

    refused = admin_client.post(url, data)
    data["choices-0-is_correct"] = "on"
    created = admin_client.post(url, data)

    assert refused.status_code == 200
    assert "it has 0" in refused.content.decode()
    assert created.status_code == 302
    question = Question.objects.get(quiz=quiz, position=9)
    assert correct_positions(question) == {1}


def test_quiz_inline_refuses_kind_single_for_a_question_with_two_correct(admin_client, quiz):
    url = change_url(quiz)
    data = form_data(admin_client, url)
    index = [q.pk for q in quiz.questions.order_by("position")].index(
        quiz.questions.get(position=2).pk
    )
    assert data[f"questions-{index}-kind"] == QuestionKind.MULTIPLE
    data[f"questions-{index}-kind"] = QuestionKind.SINGLE

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "needs exactly one correct choice; it has 2" in response.content.decode()
    assert quiz.questions.get(position=2).kind == QuestionKind.MULTIPLE


def test_quiz_inline_accepts_kind_multiple_for_a_single_answer_question(admin_client, quiz):
    url = change_url(quiz)
    data = form_data(admin_client, url)
    data["questions-0-kind"] = QuestionKind.MULTIPLE

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert quiz.questions.get(position=1).kind == QuestionKind.MULTIPLE


# Answered questions and lessons with attempts are history: the admin refuses to delete them.


@pytest.fixture
def answered(quiz, student):
    attempt = start_attempt(user=student, quiz=quiz)
    question = quiz.questions.get(position=1)
    Response.objects.create(
        attempt=attempt, question=question, selected=[question.choices.first().pk]
    )
    return question


def delete_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def test_deleting_an_answered_question_is_refused_with_a_page(admin_client, answered):
    response = admin_client.post(delete_url(answered), {"post": "yes"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in page
    assert Question.objects.filter(pk=answered.pk).exists()


def test_deleting_a_lesson_with_attempts_is_refused_with_a_page(admin_client, answered):
    lesson = answered.quiz.lesson

    response = admin_client.post(delete_url(lesson), {"post": "yes"})

    assert response.status_code == 200
    assert "protected related objects" in response.content.decode()
    assert Lesson.objects.filter(pk=lesson.pk).exists()


def test_deleting_an_answered_question_from_the_quiz_inline_is_refused(admin_client, answered):
    url = change_url(answered.quiz)
    data = form_data(admin_client, url)
    data["questions-0-DELETE"] = "on"

    response = admin_client.post(url, data)

    # The inline offers no delete once students took the quiz; a forged one is ignored.
    assert response.status_code in (200, 302)
    assert "questions-0-DELETE" not in admin_client.get(url).content.decode()
    assert Question.objects.filter(pk=answered.pk).exists()


def test_question_without_answers_can_be_deleted(admin_client, quiz):
    question = make_question(quiz, 5)

    response = admin_client.post(delete_url(question), {"post": "yes"})

    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Choice.objects.filter(question_id=question.pk).exists()


def test_deleting_a_question_shown_in_an_unanswered_attempt_is_refused(admin_client, student):
    from quizzes.grading import start_attempt
    from quizzes.models import Question
    from tests.factories import make_quiz

    quiz = make_quiz(questions=2)
    start_attempt(user=student, quiz=quiz)  # shown, nothing answered yet
    question = quiz.questions.first()

    page = admin_client.get(f"/admin/quizzes/question/{question.pk}/delete/")
    refused = admin_client.post(f"/admin/quizzes/question/{question.pk}/delete/", {"post": "yes"})

    assert b"protected" in page.content
    assert refused.status_code in (200, 403)
    assert Question.objects.filter(pk=question.pk).exists()


def test_quiz_inline_offers_no_delete_once_students_took_the_quiz(admin_client, student):
    from quizzes.grading import start_attempt
    from tests.factories import make_quiz

    quiz = make_quiz(questions=2)
    before = admin_client.get(f"/admin/quizzes/quiz/{quiz.pk}/change/")
    start_attempt(user=student, quiz=quiz)
    after = admin_client.get(f"/admin/quizzes/quiz/{quiz.pk}/change/")

    assert b"questions-0-DELETE" in before.content
    assert b"questions-0-DELETE" not in after.content
