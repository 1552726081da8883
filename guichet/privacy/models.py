"""Published versions of the privacy declaration, who has seen them, consent records and DPO cases."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeclarationVersion(models.Model):
    """A published privacy declaration (PRIV-2): the register as it was, frozen, with its digest."""

    version = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField(default=timezone.now)
    register_digest = models.CharField(max_length=64, help_text="sha256 of the canonical register")
    snapshot = models.JSONField(help_text="the register's data when this version was published")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"declaration v{self.version}"


class DeclarationSeen(models.Model):
    """A member has seen this version of the declaration (the notice in their account stops)."""

    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="declarations_seen")
    version = models.ForeignKey(DeclarationVersion, on_delete=models.PROTECT, related_name="seen_by")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "version"], name="declaration_seen_once")]


class ConsentMethod(models.TextChoices):
    WEB = "web", _("web form")
    PAPER = "paper", _("paper form")
    PHONE = "phone", _("phone")


class Consent(models.Model):
    """Consent to one purpose of the register (PRIV-4), given by a member or by a non-member known
    only by a keyed hash of their e-mail address; withdrawing keeps the record and dates the end."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("members.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="consents")
    subject_key = models.CharField(max_length=64, blank=True, help_text="keyed hash of a non-member's e-mail")
    context = models.CharField(max_length=30)
    purpose = models.CharField(max_length=50)
    declaration_version = models.ForeignKey(DeclarationVersion, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    how = models.CharField(max_length=10, choices=ConsentMethod.choices)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "context", "purpose"]),
                   models.Index(fields=["subject_key", "context", "purpose"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False, subject_key="")
                           | models.Q(person__isnull=True) & ~models.Q(subject_key="")),
                name="consent_has_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]


class DpoCaseKind(models.TextChoices):
    ACCESS = "access", _("Access to my data")
    RECTIFICATION = "rectification", _("Correction of my data")
    ERASURE = "erasure", _("Erasure of my data")
    OBJECTION = "objection", _("Objection to processing")
    RESTRICTION = "restriction", _("Restriction of processing")
    PORTABILITY = "portability", _("Portability of my data")
    OTHER = "other", _("Another question about my privacy")


class DpoCaseChannel(models.TextChoices):
    WEB = "web", _("the website")
    ACCOUNT = "account", _("the online account")


class DpoCaseStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class DpoCase(models.Model):
    """A message to the data protection officer (PRIV-3), with the reference given to the sender."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True, null=True)
    person = models.ForeignKey("members.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="dpo_cases")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=2, default="fr")
    kind = models.CharField(max_length=20, choices=DpoCaseKind.choices)
    message = models.TextField(max_length=5000)
    channel = models.CharField(max_length=10, choices=DpoCaseChannel.choices)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=DpoCaseStatus.choices, default=DpoCaseStatus.RECEIVED)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return self.reference or "DPO case"
