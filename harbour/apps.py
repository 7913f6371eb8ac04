from django.apps import AppConfig


class HarbourConfig(AppConfig):
    name = "harbour"

    def ready(self):
        from harbour import checks  # noqa: F401  (registers the system checks)
