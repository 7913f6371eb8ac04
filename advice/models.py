"""A school's own wording of an advice script, one row per version.

The scripts themselves are files (scripts/*.toml). What a school rewords is stored here, as every text a school
rewords is (schools.rewordings). Rows are never edited: every change is a new row with the next version number, so a
letter can say which words it used.
"""

from django.db import models
from django.db.models import Q

from schools.rewordings import Rewording


class AdviceOverride(Rewording):
    KEY = "script_id"
    WORDS = "paragraphs"

    script_id = models.CharField(max_length=64)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="advice_overrides")
    paragraphs = models.JSONField()

    class Meta:
        ordering = ["script_id", "-version"]
        constraints = [
            *Rewording.shared_constraints("advice_override", "script_id"),
            models.CheckConstraint(condition=~Q(script_id=""), name="advice_override_script_given"),
        ]
