from django.apps import AppConfig


class HarbourConfig(AppConfig):
    name = "harbour"

    def ready(self):
        from harbour import checks  # noqa: F401  (registers the system checks)
        from django.db.models.signals import pre_save

        from harbour.input import check_lengths

        pre_save.connect(check_lengths, dispatch_uid="harbour.input.check_lengths")

        from harbour.imagery import refuse_imagery

        pre_save.connect(refuse_imagery, dispatch_uid="harbour.imagery.refuse_imagery")
