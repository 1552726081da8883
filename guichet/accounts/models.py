"""Login accounts and what protects them: sessions tied to their user, one-time codes, restrictions."""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    AGENT = "agent", _("agency or service-centre agent")
    DPO_OFFICE = "dpo_office", _("data protection office")
    MODERATOR = "moderator", _("moderator")
    ADVISING_PHYSICIAN = "advising_physician", _("advising physician")
    MEDICAL_DELEGATE = "medical_delegate", _("delegated medical staff")
    FRAUD_UNIT = "fraud_unit", _("fraud unit")
    ADMINISTRATOR = "administrator", _("administrator")
    PROCESSOR_CALL_CENTRE = "call_centre", _("call centre (processor)")
    PROCESSOR_PRINT_HOUSE = "print_house", _("print house (processor)")


class SecondFactor(models.TextChoices):
    NONE = "none", _("none")
    SMS = "sms", _("a code by SMS")
    TOTP = "totp", _("an authenticator app")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields) -> "User":
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields) -> "User":
        fields.update(is_superuser=True, staff_role=StaffRole.ADMINISTRATOR)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A login access. A member's is tied to their registry person; a staff member's has a role.

    Removing access (inactivity, ACC-6) keeps this row and the person; only the credentials go.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    username = models.CharField(_("login"), max_length=150, unique=True)
    person = models.OneToOneField(
        "members.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="account"
    )
    staff_role = models.CharField(_("staff role"), max_length=20, choices=StaffRole.choices, blank=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    second_factor = models.CharField(max_length=4, choices=SecondFactor.choices, default=SecondFactor.NONE)
    inactivity_warned_at = models.DateTimeField(null=True, blank=True)
    access_removed_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("account")
        indexes = [models.Index(fields=["is_active", "last_login"])]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_staff(self) -> bool:
        """Django admin access: administrators only."""
        return self.staff_role == StaffRole.ADMINISTRATOR

    @property
    def is_member(self) -> bool:
        return self.person_id is not None

    @property
    def requires_totp(self) -> bool:
        return bool(self.staff_role) or self.second_factor == SecondFactor.TOTP


class UserSession(AbstractBaseSession):
    """Django's database session, with the user it belongs to, so that all of a user's sessions can
    be ended at once (logout, password change, restriction)."""

    user = models.ForeignKey(User, null=True, on_delete=models.CASCADE, related_name="sessions")

    @classmethod
    def get_session_store_class(cls):
        from guichet.accounts.sessions import SessionStore

        return SessionStore


class CodePurpose(models.TextChoices):
    REGISTRATION = "registration", _("registration")
    PASSWORD_RESET = "password_reset", _("password reset")
    LOGIN = "login", _("login")
    VERIFY_CONTACT = "verify_contact", _("verification of a contact")


class OneTimeCode(models.Model):
    """A code sent by SMS. Only its keyed hash is stored; it is bound to the attempt that asked for it
    (the attempt id lives in that browser's session), used once, valid 10 minutes, 5 tries at most."""

    attempt = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(max_length=20, choices=CodePurpose.choices)
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="one_time_codes")
    destination = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]


class RestrictionScope(models.TextChoices):
    PRIVATE_AREA = "private_area", _("the whole private area")
    INTERACTIVE = "interactive", _("the interactive part (comments and content)")


class RestrictionReason(models.TextChoices):
    """ACC-5 and ACC-11: the only reasons for which the mutual limits access."""

    BREACH_OF_TERMS = "breach_of_terms", _("breach of the terms of use")
    BREACH_OF_CONDITIONS = "breach_of_conditions", _("breach of a service's specific conditions")
    VIOLATION_OF_RIGHTS = "violation_of_rights", _("violation of the rights of the mutual or of other members")
    SECURITY_RISK = "security_risk", _("a security risk")
    AFFILIATION_SUSPENDED = "affiliation_suspended", _("suspension of your affiliation")
    AFFILIATION_ENDED = "affiliation_ended", _("end of your affiliation")
    CHARTER_BREACH = "charter_breach", _("breach of the user charter")


class RestrictionQuerySet(models.QuerySet):
    def in_force(self) -> "RestrictionQuerySet":
        return self.filter(lifted_at__isnull=True)


class Restriction(models.Model):
    """A limit staff put on a member's access, with reason, author and time; lifting is recorded too.
    It belongs to the person, so it survives the loss and re-creation of their login access."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="restrictions")
    scope = models.CharField(max_length=20, choices=RestrictionScope.choices)
    reason = models.CharField(max_length=30, choices=RestrictionReason.choices)
    note = models.TextField(_("internal note"), blank=True, max_length=2000)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_note = models.TextField(blank=True, max_length=2000)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["person", "lifted_at"])]
        ordering = ["-created_at"]
