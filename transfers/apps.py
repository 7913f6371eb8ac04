from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = "Child protection file transfer"

    def ready(self):
        # What transfers adds to apps below it, which never import it (docs/architecture.md): the leaders'
        # dashboard counts the files awaiting receipt, and the cron sweep chases the late ones (H5).
        from cases.sweep import also_sweep
        from reports.dashboard import add_measure
        from transfers import dashboard
        from transfers.actions import sweep_late_transfers

        add_measure(dashboard.AWAITING, after="due-this-week")
        also_sweep(sweep_late_transfers)
