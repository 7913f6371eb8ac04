"""`get_<field>_display` from a map built once (issue 24).

Django's own rebuilds the {value: label} map of the field's choices on every call; on the case page that is dozens
of calls a request (each earlier case's kind, each child's role). The choices of these fields are constants of the
code, so the map is built on first use and kept; the labels are returned exactly as Django's would return them
(lazy labels are still translated on each call, in the reader's language).

    class Case(models.Model):
        incident_type = models.CharField(choices=IncidentType.choices)
        get_incident_type_display = choices.display("incident_type")
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def display(field_name):
    """A `get_<field_name>_display` method for a field whose choices are a fixed list (not a callable)."""
    labels = None

    def get_display(self):
        nonlocal labels
        if labels is None:
            field = self._meta.get_field(field_name)
            if not isinstance(field.choices, list | tuple):
                raise TypeError(f"{field_name}: choices must be a fixed list for a display map")
            labels = dict(make_hashable(field.flatchoices))
        value = getattr(self, self._meta.get_field(field_name).attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    get_display.__name__ = f"get_{field_name}_display"
    return get_display
