"""A message to many people about an incident, as the DSL adapted it and who approved it (E2, B10).

Harbour sends nothing to parents, staff or pupils itself: the school sends the message its own way. What is kept is
the text as approved, the template and version it started from, who approved it (name and role) and when, and
whether the police were consulted (with the reason when they were not). Rows are never edited: a changed message is
recorded again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from schools.rewordings import Rewording


class Communication(models.Model):
    class Audience(models.TextChoices):
        STAFF = "staff", "All staff"
        PARENTS = "parents", "All parents and carers"
        PUPILS = "pupils", "Pupils"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="communications")
    template_id = models.CharField(max_length=64)
    template_version = models.PositiveIntegerField()
    # The school's version of the template's words it began from (None: the words as shipped).
    wording_version = models.PositiveIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    title = models.CharField(max_length=200)
    text = models.TextField()
    approved_by_name = models.CharField(max_length=200)
    approved_by_role = models.CharField(max_length=200)
    approved_at = models.DateTimeField()
    police_consulted = models.BooleanField()
    police_contact = models.CharField(max_length=200, blank=True)
    police_not_consulted_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="communication_text_given"),
            models.CheckConstraint(condition=~Q(approved_by_name="") & ~Q(approved_by_role=""),
                                   name="communication_approver_given"),
            # B10: a message not agreed with the police says why.
            models.CheckConstraint(condition=Q(police_consulted=True) | ~Q(police_not_consulted_reason=""),
                                   name="communication_police_reason_given"),
            models.CheckConstraint(condition=Q(audience__in=["staff", "parents", "pupils"]),
                                   name="communication_audience_valid"),
        ]

    def __str__(self):
        return f"{self.get_audience_display()} message on case {self.case_id}"


class Wording(Rewording):
    """A school's own words for a prepared message, one row per version (as a school rewords an advice script: the
    mechanism is schools.rewordings).

    The templates are files (texts/*.toml); what a school rewords is stored here. Rows are never edited: every
    change is a new row with the next version number and its reason, so a message can say which words it began from.
    """

    KEY = "template_id"
    WORDS = "text"

    template_id = models.CharField(max_length=64)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="message_wordings")
    text = models.TextField()

    class Meta:
        ordering = ["template_id", "-version"]
        constraints = [
            *Rewording.shared_constraints("message_wording", "template_id"),
            models.CheckConstraint(condition=~Q(text=""), name="message_wording_text_given"),
        ]
