"""The attempt page: all questions on one page, the right inputs, a navigator; own attempts only."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from quizzes.grading import submit_attempt
from tests.factories import make_quiz


class FieldsetReader(HTMLParser):
    """Collects each fieldset's first child element and its legend text."""

    def __init__(self):
        super().__init__()
        self.fieldsets = []  # [first child tag, legend text]
        self._depth = None
        self._in_legend = False
        self._stack = []

    def handle_starttag(self, tag, attrs):
        if tag in {"input", "br", "meta", "link", "img", "hr"}:
            if self._stack and self._stack[-1] == "fieldset" and self.fieldsets[-1][0] is None:
                self.fieldsets[-1][0] = tag
            return
        if self._stack and self._stack[-1] == "fieldset" and self.fieldsets[-1][0] is None:
            self.fieldsets[-1][0] = tag
        if tag == "fieldset":
            self.fieldsets.append([None, ""])
        if tag == "legend":
            self._in_legend = True
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "legend":
            self._in_legend = False
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self._in_legend:
            self.fieldsets[-1][1] += data


@pytest.fixture
def quiz(db):
    return make_quiz(questions=3)  # questions 1-2 single answer, 3 select-all


def page(client, attempt):
    return client.get(reverse("quizzes:attempt", args=[attempt.pk]))


def test_single_answer_questions_are_radio_buttons(student_client, attempt, quiz):
    html = page(student_client, attempt).content.decode()

    for question in quiz.questions.filter(kind="single"):
        inputs = re.findall(rf'<input[^>]*name="q{question.pk}"[^>]*>', html)
        assert len(inputs) == 4
        assert all('type="radio"' in tag for tag in inputs)


def test_select_all_questions_are_checkboxes_with_a_hint(student_client, attempt, quiz):
    html = page(student_client, attempt).content.decode()

    question = quiz.questions.get(kind="multiple")
    inputs = re.findall(rf'<input[^>]*name="q{question.pk}"[^>]*>', html)
    assert len(inputs) == 4
    assert all('type="checkbox"' in tag for tag in inputs)
    assert "Select all that apply." in html


def test_each_question_is_a_fieldset_led_by_its_legend(student_client, attempt, quiz):
    reader = FieldsetReader()
    reader.feed(page(student_client, attempt).content.decode())

    prompts = list(quiz.questions.order_by("position").values_list("prompt", flat=True))
    assert [first for first, _ in reader.fieldsets] == ["legend"] * 3
    assert [" ".join(legend.split()) for _, legend in reader.fieldsets] == [
        f"{n}. {prompt}" for n, prompt in enumerate(prompts, 1)
    ]


def test_every_choice_has_a_label(student_client, attempt):
    html = page(student_client, attempt).content.decode()

    ids = re.findall(r'<input class="form-check-input"[^>]*id="(c\d+)"', html)
    assert len(ids) == 12
    for input_id in ids:
        assert f'for="{input_id}"' in html


def test_navigator_links_to_every_question_and_counts_answers(student_client, attempt, student):
    first = attempt.paper["questions"][0]
    student_client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"shown": first["id"], f"q{first['id']}": first["choices"][1]["id"]},
    )

    html = page(student_client, attempt).content.decode()

    nav = html[html.index('id="question-nav"') : html.index("</nav>", html.index("question-nav"))]
    assert [int(n) for n in re.findall(r'href="#question-(\d+)"', nav)] == [1, 2, 3]
    assert '<span id="answered-count">1</span> of 3 answered' in nav
    assert nav.count("not answered") == 2
    for n in (1, 2, 3):
        assert f'id="question-{n}"' in html


def test_page_offers_save_and_submit_without_javascript(student_client, attempt):
    html = page(student_client, attempt).content.decode()

    assert f'action="{reverse("quizzes:save", args=[attempt.pk])}"' in html
    assert f'formaction="{reverse("quizzes:submit", args=[attempt.pk])}"' in html
    assert "csrfmiddlewaretoken" in html


def test_submitted_attempt_page_leads_to_its_result(student_client, attempt):
    submit_attempt(attempt=attempt)

    response = page(student_client, attempt)

    assert response.status_code == 302
    assert response.url == reverse("quizzes:result", args=[attempt.pk])


def test_anonymous_visitor_is_sent_to_login(client, attempt):
    url = reverse("quizzes:attempt", args=[attempt.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_unknown_attempt_is_404(student_client):
    assert student_client.get(reverse("quizzes:attempt", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [("attempt", "get"), ("save", "post"), ("submit", "post"), ("result", "get")],
)
def test_another_students_attempt_is_404(client, other_student, attempt, name, method):
    question = attempt.paper["questions"][0]
    data = {"shown": question["id"], f"q{question['id']}": question["choices"][0]["id"]}
    if name == "result":
        submit_attempt(attempt=attempt)
    client.force_login(other_student)

    response = getattr(client, method)(reverse(f"quizzes:{name}", args=[attempt.pk]), data)

    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.responses.exclude(selected=[]).count() == 0
    assert (attempt.submitted_at is None) is (name != "result")


def test_attempt_page_is_get_only(student_client, attempt):
    assert student_client.post(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 405
