from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        from cases import checks  # noqa: F401  (registers the system check)
