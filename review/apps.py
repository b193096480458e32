from django.apps import AppConfig


class ReviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = "Spaced review"

    def ready(self):
        # Every graded quiz answer feeds the scheduler; quizzes itself never names review.
        from quizzes import extensions

        from .scheduling import record_quiz_answers

        if record_quiz_answers not in extensions.after_grading:
            extensions.after_grading.append(record_quiz_answers)
