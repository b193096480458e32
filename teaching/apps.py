from django.apps import AppConfig


class TeachingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "teaching"

    def ready(self):
        # Students see their classes' due dates on learning's pages; learning never
        # names this room, so the room adds them there.
        from learning import extensions

        from .due_dates import lesson_due_dates

        if lesson_due_dates not in extensions.lesson_due_dates:
            extensions.lesson_due_dates.append(lesson_due_dates)
