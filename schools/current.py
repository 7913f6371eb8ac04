"""The school a signed-in person is working in now (they may belong to several)."""

from schools.models import School

SESSION_KEY = "harbour_school_id"


def switchable_schools(request):
    """Return the schools the user holds any role in (one query, cached on the request)."""
    if not hasattr(request, "_harbour_schools"):
        request._harbour_schools = list(
            School.objects.filter(id__in=request.user.access.school_ids()).only("id", "name", "slug", "nation")
        )
    return request._harbour_schools


def current_school(request):
    schools = switchable_schools(request)
    if not schools:
        return None
    wanted = request.session.get(SESSION_KEY)
    return next((s for s in schools if s.id == wanted), schools[0])
