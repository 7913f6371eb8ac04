from django.apps import AppConfig


class HarbourConfig(AppConfig):
    name = "harbour"

    def ready(self):
        from harbour import checks  # noqa: F401  (registers the system checks)
        from django.db.models.signals import pre_save

        from harbour.imagery import refuse_imagery

        # The one pre_save receiver: the last guard for rule A3 (harbour/imagery.py says why it is kept).
        pre_save.connect(refuse_imagery, dispatch_uid="harbour.imagery.refuse_imagery")
