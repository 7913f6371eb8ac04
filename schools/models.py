"""Trusts, schools, pupils, and the parents and carers linked to them."""

import secrets
from datetime import time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext


TELL_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a poster without mistakes


def new_tell_code():
    """Ten characters from 31: about 50 random bits, from the operating system's generator."""
    return "".join(secrets.choice(TELL_CODE_ALPHABET) for _ in range(10))


class Trust(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    # Set only by `manage.py seed_demo`: demo mode shows second-factor codes for this trust's accounts alone.
    is_demo = models.BooleanField(default=False)

    def __str__(self):
        return self.name


class School(models.Model):
    class Phase(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"

    class Nation(models.TextChoices):
        """The nation decides the school's statutory guidance and the words its procedures use (rule J8)."""

        ENGLAND = "england", "England"
        WALES = "wales", "Wales"
        SCOTLAND = "scotland", "Scotland"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"

    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    urn = models.CharField("unique reference number", max_length=8, unique=True)
    phase = models.CharField(max_length=16, choices=Phase.choices)
    nation = models.CharField(max_length=16, choices=Nation.choices, default=Nation.ENGLAND)
    # Issue 20.5: governors see numbers, never names, so they are not offered as the witness to a viewing of
    # imagery nor as someone at the initial review meeting, unless the school says they may be.
    governors_in_case_pickers = models.BooleanField(
        "Governors can be chosen as a witness or a review meeting attendee", default=False)
    # What letters to families print under the school's name (issue 20.9), edited on "School details".
    address = models.TextField("postal address", blank=True)
    phone = models.CharField("telephone", max_length=30, blank=True)
    email = models.EmailField("email for families", max_length=200, blank=True)
    safeguarding_contact = models.CharField(
        "safeguarding contact", max_length=200, blank=True,
        help_text="Who families should ask for, e.g. “Ms A Khan, designated safeguarding lead”.")
    safeguarding_phone = models.CharField("safeguarding telephone", max_length=30, blank=True)
    # J4: when the school day starts. A key adult is named for a child in a police notice before the next one.
    day_starts_at = models.TimeField("the school day starts at", default=time(8, 30))
    # P1: the code in the pupils' page address (/tell/<code>/): random, so it cannot be guessed from the name. The
    # safeguarding team can make a new one; the old one stops working at once.
    tell_code = models.CharField(max_length=16, unique=True, default=new_tell_code)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=["primary", "secondary", "all_through", "special"]),
                                   name="school_phase_valid"),
            models.CheckConstraint(condition=Q(nation__in=["england", "wales", "scotland", "northern_ireland"]),
                                   name="school_nation_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def address_lines(self):
        return [line.strip() for line in self.address.splitlines() if line.strip()]


class PupilQuerySet(models.QuerySet):
    def on_roll(self):
        return self.filter(left_on__isnull=True)

    def search(self, text):
        """Return pupils whose legal or preferred names start with any word of `text`."""
        query = Q()
        for word in text.split()[:4]:
            query &= (
                Q(legal_first_name__istartswith=word)
                | Q(legal_last_name__istartswith=word)
                | Q(preferred_first_name__istartswith=word)
                | Q(preferred_last_name__istartswith=word)
            )
        return self.filter(query)


class Pupil(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"

    class SEN(models.TextChoices):
        NONE = "N", "No special educational needs"
        SUPPORT = "K", "SEN support"
        EHC_PLAN = "E", "Education, health and care plan"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField("unique pupil number", max_length=13)
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_first_name = models.CharField(max_length=100, blank=True)
    preferred_last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    # -1 nursery, 0 reception, 1..13 national curriculum years.
    year_group = models.SmallIntegerField()
    sen_status = models.CharField("special educational needs", max_length=1, choices=SEN.choices, default=SEN.NONE)
    is_looked_after = models.BooleanField("looked-after child", default=False)
    is_child_in_need = models.BooleanField("child in need", default=False)
    has_child_protection_plan = models.BooleanField("child protection plan", default=False)
    was_looked_after = models.BooleanField("previously looked after", default=False)
    is_young_carer = models.BooleanField("young carer", default=False)
    # How monitoring services name the pupil (A5): their network login and school email, from the MIS or a
    # login file. Matched without regard to case.
    network_login = models.CharField(max_length=200, blank=True)
    school_email = models.EmailField(max_length=254, blank=True)
    left_on = models.DateField(null=True, blank=True)

    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], name="pupil_upn_unique_in_school"),
            models.CheckConstraint(condition=Q(sex__in=["F", "M"]), name="pupil_sex_valid"),
            models.CheckConstraint(condition=Q(sen_status__in=["N", "K", "E"]), name="pupil_sen_valid"),
            models.CheckConstraint(condition=Q(year_group__gte=-1, year_group__lte=14), name="pupil_year_valid"),
        ]
        indexes = [models.Index(fields=["school", "legal_last_name"], name="pupil_school_surname")]

    def __str__(self):
        return self.display_name

    @property
    def first_name(self):
        return self.preferred_first_name or self.legal_first_name

    @property
    def last_name(self):
        return self.preferred_last_name or self.legal_last_name

    @property
    def display_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def has_sen(self):
        return self.sen_status != self.SEN.NONE

    @property
    def year_label(self):
        if self.year_group == -1:
            return gettext("Nursery")
        if self.year_group == 0:
            return gettext("Reception")
        return gettext("Year %(year)s") % {"year": self.year_group}  # J8: in the reader's language


class Carer(models.Model):
    """A parent or carer. Linked to one or more pupils of the same school."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="carers")
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    pupils = models.ManyToManyField(Pupil, through="PupilCarer", related_name="carers")

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class PupilCarer(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE)
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE)
    relationship = models.CharField(max_length=40)
    has_parental_responsibility = models.BooleanField(default=True)
    lives_with_pupil = models.BooleanField(default=True)
    contact_priority = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["contact_priority"]
        constraints = [models.UniqueConstraint(fields=["pupil", "carer"], name="pupil_carer_unique")]
