"""Hostile text in every field a person can write, and a check that no page runs it.

Shared by tests/security/test_xss.py (the HTML) and tests/e2e/test_xss_browser.py
(real Chromium).
"""

from html.parser import HTMLParser
from types import SimpleNamespace

from django.contrib.auth.models import User

from learning.models import Course, Lesson
from quizzes.grading import save_answers, start_attempt, submit_attempt
from quizzes.models import Choice, Question, QuestionStatus, Quiz, RevealAnswers
from teaching.models import Classroom

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "event handler": "<img src=x onerror=alert(1)>",
    "javascript link": "[x](javascript:alert(1))",
    "svg": "<svg onload=alert(1)>",
    "attribute break": '"><script>alert(1)</script>',
    "single-quote break": "' onmouseover='alert(1)",
    "html link": '<a href="javascript:alert(1)">x</a>',
    "mixed-case link": "[y](JaVaScRiPt:alert(1))",
    "image link": "![i](javascript:alert(1))",
    "data link": "[z](data:text/html,<script>alert(1)</script>)",
    "style": "<style>body{display:none}</style>",
    "iframe": "<iframe src=javascript:alert(1)>",
}

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}
RAW = ["<script>alert", "<img src=x onerror", "<svg onload", "<iframe", "<style>body"]


def hostile_world(payload, *, student, teacher):
    """A published course whose every written field carries the payload."""
    course = Course.objects.create(
        title=f"Course {payload}", slug="hostile", summary=f"Summary {payload}", published=True
    )
    lesson = Lesson.objects.create(
        course=course,
        position=1,
        title=f"Lesson {payload}",
        slug="lesson",
        summary=f"Summary {payload}",
        body=f"Body {payload}\n\n{payload}\n\n* {payload}",
        key_points=f"{payload}\nPoint two {payload}",
        source_text=payload,
        published=True,
    )
    quiz = Quiz.objects.create(
        lesson=lesson, pass_mark=100, shuffle_choices=False, reveal_answers=RevealAnswers.ALWAYS
    )
    question = Question.objects.create(
        quiz=quiz,
        position=1,
        prompt=f"Prompt {payload}",
        explanation=f"Explanation {payload}",
        source_passage=f"Passage {payload}",
        status=QuestionStatus.APPROVED,
    )
    right = Choice.objects.create(
        question=question,
        position=1,
        text=f"Right {payload}",
        is_correct=True,
        feedback=f"Feedback {payload}",
    )
    wrong = Choice.objects.create(
        question=question, position=2, text=f"Wrong {payload}", feedback=f"Feedback {payload}"
    )
    User.objects.filter(pk=student.pk).update(first_name=payload[:150], last_name=payload[:150])
    classroom = Classroom.objects.create(name=payload[:120])
    classroom.teachers.add(teacher)
    classroom.courses.add(course)
    classroom.enrollments.create(student=student)
    graded = start_attempt(user=student, quiz=quiz)
    save_answers(attempt=graded, answers={question.pk: [wrong.pk]})  # wrong: feedback shows
    submit_attempt(attempt=graded)
    graded.refresh_from_db()
    open_attempt = start_attempt(user=student, quiz=quiz)
    return SimpleNamespace(
        course=course,
        lesson=lesson,
        quiz=quiz,
        question=question,
        right=right,
        classroom=classroom,
        graded=graded,
        attempt=open_attempt,
    )


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            text = "".join((value or "").split()).lower()
            scripted = text.startswith(("javascript:", "vbscript:"))
            # data: is fine for an icon (the admin's favicon), not for a link or a frame.
            data_page = text.startswith("data:") and tag not in ("link", "img")
            if name in URL_ATTRIBUTES and (scripted or data_page):
                self.problems.append(f"<{tag} {name}={value!r}>")
        attributes = dict(attrs)
        if tag == "script":
            # Every script is a static file; JSON data blocks are not run.
            runnable = attributes.get("type", "text/javascript") != "application/json"
            self._in_script = runnable
            if runnable and not attributes.get("src"):
                self.problems.append("<script> without src")
        if tag in ("iframe", "object", "embed", "base", "style"):
            self.problems.append(f"<{tag}>")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data[:40]!r}")


def unsafe_markup(html):
    """Everything in a page that a browser could run or that breaks out of text."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems + [raw for raw in RAW if raw in html]
