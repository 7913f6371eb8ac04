from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "communications"
    verbose_name = "Messages to staff, parents and pupils"

    def ready(self):
        from communications import checks  # noqa: F401  (registers the system check)
