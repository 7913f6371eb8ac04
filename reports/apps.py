from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Dashboards, trends and reports"

    def ready(self):
        from reports import checks  # noqa: F401  (registers the system check)
