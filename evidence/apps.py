from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cases.actions import opening
        from evidence.actions import carry_from_concern

        # 20.2: what the reporter gave goes into the case's records, which this app keeps (cases cannot import it).
        opening.carry_from_concern.provide(carry_from_concern)
