"""People who sign in, and the roles they hold in schools and trusts."""

from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_otp.models import Device

from accounts.capabilities import Role, TrustRole


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, full_name, password=None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), full_name=full_name, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """An adult who signs in. Deactivated when they leave, never deleted (audit keeps pointing here)."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # When a link to choose a password was last sent (accounts.invitations); None if never.
    invited_at = models.DateTimeField(null=True, blank=True)
    # J8: the language they chose at a school in Wales ("cy" or "en-gb"); blank until they choose (lib/i18n.py).
    preferred_language = models.CharField(max_length=8, blank=True, default="")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=True, deactivated_at__isnull=True)
                | Q(is_active=False, deactivated_at__isnull=False),
                name="user_deactivated_at_matches_state",
            ),
            models.CheckConstraint(condition=Q(preferred_language__in=["", "en-gb", "cy"]),
                                   name="user_preferred_language_valid"),
        ]

    def __str__(self):
        return self.full_name

    def delete(self, *args, **kwargs):
        raise RuntimeError("Harbour never deletes a user: deactivate them with accounts.actions.deactivate_user.")

    @cached_property
    def access(self):
        """What this user may do, school by school (two queries, once per request)."""
        from accounts.access import UserAccess

        return UserAccess(self)


class Membership(models.Model):
    """A role that a user holds in one school."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    job_title = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]
        indexes = [models.Index(fields=["school", "role"], name="membership_school_role")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} at {self.school}"


class TrustMembership(models.Model):
    """A role that a user holds across every school of a trust."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="trust_memberships")
    trust = models.ForeignKey("schools.Trust", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=TrustRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "trust", "role"], name="trust_membership_unique"),
            models.CheckConstraint(condition=Q(role__in=TrustRole.values), name="trust_membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} at {self.trust}"


class SchoolAccountProvider(models.Model):
    """A trust's Microsoft Entra ID or Google Workspace, connected so that its staff sign in with their school
    account (OpenID Connect). Nobody is created by signing in: a person is matched on their work email address,
    which must end in one of `domains` and belong to a Harbour account in this trust."""

    # The id of the key that sealed the secret: Harbour's own, never typed (harbour/imagery.py skips it).
    MACHINE_TEXT_FIELDS = ("secret_key_id",)

    class Kind(models.TextChoices):
        MICROSOFT = "microsoft", "Microsoft"
        GOOGLE = "google", "Google"

    trust = models.ForeignKey("schools.Trust", on_delete=models.PROTECT, related_name="school_account_providers")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    issuer = models.URLField(max_length=300)
    client_id = models.CharField(max_length=200)
    # The client secret, sealed by lib.sealed under HARBOUR_SECRETS_KEY; never shown again once saved.
    secret_sealed = models.BinaryField()
    secret_key_id = models.CharField(max_length=16)
    # Lower-case email domains, one per line ("riverside.sch.uk").
    domains = models.TextField()
    # Rule S1: the provider's second factor counts in place of Harbour's when its ID token says one was used.
    accept_provider_mfa = models.BooleanField(default=False)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust", "kind"], name="school_account_provider_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.trust}"

    @property
    def domain_list(self):
        return [d for d in self.domains.split() if d]


class ProviderSecondFactor(Device):
    """The second factor a person passed at their school account's provider (its ID token's `amr` said `mfa`),
    counted in place of Harbour's code when their trust chose so (S1). It never accepts a code typed into Harbour:
    accounts.views marks a session verified with it only straight after such a sign-in."""

    kind = models.CharField(max_length=16, choices=SchoolAccountProvider.Kind.choices)

    class Meta(Device.Meta):
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="provider_second_factor_unique")]

    def verify_token(self, token):
        return False
