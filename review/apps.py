from django.apps import AppConfig


class ReviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = "Spaced review"

    def ready(self):
        # Every graded quiz answer feeds the scheduler; quizzes itself never names review.
        from learning import extensions as learning_extensions
        from quizzes import extensions

        from .mastery_panels import mastery_badges
        from .scheduling import record_quiz_answers

        if record_quiz_answers not in extensions.after_grading:
            extensions.after_grading.append(record_quiz_answers)
        # The course and progress pages show each lesson's mastery, and a link to practise.
        if mastery_badges not in learning_extensions.lesson_mastery:
            learning_extensions.lesson_mastery.append(mastery_badges)
