from functools import lru_cache

from django.conf import settings
from django.db import connections, router


def harbour(request):
    """What the layout needs on every page: the user's schools and the current one."""
    from lib.i18n import html_lang
    from schools.current import current_school, switchable_schools

    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    school = current_school(request) if signed_in else None
    return {
        "demo_mode": settings.HARBOUR_DEMO_MODE,
        # Read by GOV.UK's page template (its one inline script) and nowhere else.
        "cspNonce": str(request.csp_nonce) if hasattr(request, "csp_nonce") else "",
        "themeColor": "#0b5e62",
        "htmlLang": html_lang(),  # J8: "cy" on a page read in Welsh
        "current_school": school,
        "menu": _menu(user, school),
        "switchable_schools": switchable_schools(request) if signed_in else [],
        "unread_notifications": _unread(user) if signed_in else 0,
        # The sign-in page lists the demo accounts in demo mode (accounts never imports demo).
        "demo_accounts": _demo_accounts() if settings.HARBOUR_DEMO_MODE and not signed_in else None,
    }


# The menu's items that depend on what a person may do at their current school, and the capabilities that show each.
_MENU = {
    "inbox": {"receive_concerns", "receive_staff_allegations", "receive_headteacher_allegations",
              "receive_filtering_alerts"},
    "cases": {"read_cases", "receive_staff_allegations"},
    "dashboard": {"view_school_dashboard"},
    "governor_report": {"view_governor_report"},
    "registers": {"manage_registers"},
}


def _menu(user, school):
    """Which of those items the menu shows: worked out once, from the roles read with the person this request
    (base.html asked `access.can` eight times)."""
    capabilities = user.access.capabilities_in(school) if school is not None else frozenset()
    return {item: not capabilities.isdisjoint(needed) for item, needed in _MENU.items()}


def _unread(user):
    """`Notification.objects.filter(user=user).unread().count()`, one query per page, its text written once."""
    from notifications.models import Notification

    db = router.db_for_read(Notification)
    with connections[db].cursor() as cursor:
        cursor.execute(_unread_sql(db), [user.pk])
        return cursor.fetchone()[0]


@lru_cache(maxsize=None)
def _unread_sql(db):
    """The count's query from the model's own table and column names (the ORM took ~1,000 function calls on every page
    to build it: issue 24). harbour/tests/test_layout_queries.py holds it to the queryset's answer."""
    from notifications.models import Notification

    q, meta = connections[db].ops.quote_name, Notification._meta
    return (f"SELECT COUNT(*) FROM {q(meta.db_table)}"  # nosec B608 - names from the model; the user is a parameter
            f" WHERE {q(meta.get_field('user').column)} = %s AND {q(meta.get_field('read_at').column)} IS NULL")


def _demo_accounts():
    from demo.trust import demo_accounts

    return demo_accounts()
