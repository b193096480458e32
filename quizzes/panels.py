"""What the quiz room adds to the lesson page (registered in quizzes.apps)."""

from django.template.loader import render_to_string


def quiz_call(request, lesson):
    """The call to take the lesson's quiz, when it has one (fetched with the lesson)."""
    if not hasattr(lesson, "quiz"):
        return ""
    return render_to_string("quizzes/_lesson_quiz_call.html", {"lesson": lesson})
