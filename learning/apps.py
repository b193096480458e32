from django.apps import AppConfig


class LearningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "learning"

    def ready(self):
        from . import security_log, throttles  # noqa: F401  (connect their signal receivers)
