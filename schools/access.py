"""Access to pupils: called first in every view that shows one (rule H3).

A pupil the user may not see raises Http404, exactly like a pupil that does not exist.
"""

from django.http import Http404

from accounts.capabilities import Capability
from schools.models import Pupil


def get_pupil_for(user, pupil_id):
    pupil = Pupil.objects.select_related("school").filter(id=pupil_id).first()
    if pupil is None or not user.access.can(Capability.VIEW_PUPIL_RECORDS, pupil.school_id):
        raise Http404("No such pupil")
    return pupil


def require(user, capability, school):
    """Raise Http404 unless `user` holds `capability` in `school` (a missing page, not a refusal)."""
    if school is None or not user.access.can(capability, school):
        raise Http404("Not found")
