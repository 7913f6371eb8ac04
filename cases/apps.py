from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        from cases import checks  # noqa: F401  (registers the system check)
        from cases import triage
        from cases.actions import open_case
        from concerns import triage as concern_triage

        # The concern page opens a case or adds the concern to one; only cases can (concerns/triage.py).
        concern_triage.open_case.provide(open_case)
        concern_triage.add_to_case.provide(triage.add_to_case)
        concern_triage.cases_to_join.provide(triage.cases_to_join)
        # J4: the sweep also escalates police notices whose key adult is overdue, if their queued job was lost.
        from cases.sweep import also_sweep
        from concerns.encompass import sweep_key_adults

        also_sweep(sweep_key_adults)
