"""Issue 24: `get_<field>_display` from a map built once says exactly what Django's own says."""

from django.db import models

from cases.models import Case
from concerns.models import ChildRole, ConcernChild, IncidentType


def test_the_kind_status_and_role_read_as_djangos_display_for_every_choice_and_an_unknown_value():
    for value in [*IncidentType.values, "no-such-kind"]:
        case = Case(incident_type=value)
        assert case.get_incident_type_display() == models.Model._get_FIELD_display(
            case, Case._meta.get_field("incident_type")), value
    for value in [*Case.Status.values, "gone"]:
        case = Case(status=value)
        assert case.get_status_display() == models.Model._get_FIELD_display(case, Case._meta.get_field("status"))
    for value in [*ChildRole.values, "bystander"]:
        link = ConcernChild(role=value)
        assert link.get_role_display() == models.Model._get_FIELD_display(link, ConcernChild._meta.get_field("role"))
    assert ConcernChild(role=ChildRole.PICTURED).get_role_display() == "Pictured in the imagery"
    assert ConcernChild(role="bystander").get_role_display() == "bystander"
