from django.apps import AppConfig


class AdviceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "advice"
    verbose_name = "Advice for children and families"

    def ready(self):
        from advice import checks  # noqa: F401  (registers the system check)
