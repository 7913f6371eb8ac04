"""Access to the registers (H3): people who manage registers (MANAGE_REGISTERS) at the record's school.

Called first in every view. Anyone else, and any record that does not exist, gets the same 404.
"""

from django.http import Http404

from accounts.capabilities import Capability
from schools.current import current_school


def school_to_manage(request):
    """The school the user is working in now, if they may manage its registers."""
    school = current_school(request)
    if school is None or not request.user.access.can(Capability.MANAGE_REGISTERS, school):
        raise Http404("Not found")
    return school


def get_for(user, model, object_id, *related):
    """`model` row `object_id`, if `user` may manage registers at its school; else 404 (one query)."""
    obj = model.objects.select_related("school", *related).filter(id=object_id).first()
    if obj is None or not user.access.can(Capability.MANAGE_REGISTERS, obj.school_id):
        raise Http404("Not found")
    return obj
