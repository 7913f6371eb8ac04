from django.apps import AppConfig


class AdviceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "advice"
    verbose_name = "Advice for children and families"

    def ready(self):
        from advice import checks  # noqa: F401  (registers the system checks)
        from advice.resources import resources_for
        from cases import agencies

        # A case's referral page lists the national services useful when referring (I7); cases cannot import advice.
        agencies.services_for.provide(resources_for)
