"""The case half of triage on a concern's page (concerns/triage.py), which concerns cannot import: cases
provides it from CasesConfig.ready(), with `cases.actions.open_case` as it is."""

from django.utils import timezone
from django.utils.translation import gettext

from lib.i18n import date_in_words

from cases.access import get_case_to_manage, open_cases_for
from cases.actions import attach_to_case


def add_to_case(*, user, concern, case_id):
    """Add the concern to the open case `case_id`, which `user` must run (a stranger gets the 404, H3)."""
    return attach_to_case(user=user, concern=concern, case=get_case_to_manage(user, case_id))


def cases_to_join(user, concern):
    """[(case id, words)]: the open cases at the concern's school, on its route, that `user` runs."""
    return [(c.id, gettext("%(reference)s: %(kind)s, opened %(date)s") % {
                "reference": c.reference, "kind": gettext(c.get_incident_type_display()),
                "date": date_in_words(timezone.localtime(c.opened_at))})
            for c in open_cases_for(user, concern)]
