from django.apps import AppConfig


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = "Records: retention, disposal and subject access"

    def ready(self):
        from records import checks  # noqa: F401  (registers the system check)
