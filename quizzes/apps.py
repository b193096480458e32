from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes"

    def ready(self):
        # The lesson page offers the lesson's quiz; learning itself never names it.
        from learning import extensions

        from . import attempt_limits  # noqa: F401  (connects its receiver)
        from .panels import APPROVED_QUESTIONS, approved_questions, quiz_call

        if quiz_call not in extensions.lesson_panels:
            extensions.lesson_related.append("quiz")
            extensions.lesson_annotations[APPROVED_QUESTIONS] = approved_questions()
            extensions.lesson_panels.append(quiz_call)
