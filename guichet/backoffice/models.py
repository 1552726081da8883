"""Back-office records: confidentiality acknowledgements, openings of members' files, health-data
delegations and third parties' disclosure requests. Each is written only by the services, which put
the evidence in the ledger in the same transaction."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.backoffice.roles import REASON_LABELS


class ConfidentialityAcknowledgement(models.Model):
    """ACL-2: a staff member acknowledged a version of the confidentiality undertaking, at a time,
    in a language; the digest proves which text they were shown."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text_version = models.CharField(max_length=20)
    text_sha256 = models.CharField(max_length=64)
    language = models.CharField(max_length=5)
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "text_version"], name="one_acknowledgement_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.text_version}"


class IdentityCheckMethod(models.TextChoices):
    """SEC-2: how a caller's or a visitor's identity was checked before their file was discussed."""

    QUESTIONS = "questions", _("asked national register number, membership number and birth date")
    EID = "eid", _("eID card read at the desk")


class FileAccessQuerySet(models.QuerySet):
    def for_subject(self, subject) -> "FileAccessQuerySet":
        return self.filter(person=subject)

    def shown_to_subject(self) -> "FileAccessQuerySet":
        return self.filter(visible_to_subject=True)

    def current(self, at=None) -> "FileAccessQuerySet":
        return self.filter(expires_at__gt=at or timezone.now())


class FileAccess(models.Model):
    """ACL-1: a staff member opened a member's file for a register purpose, with a reason, until
    `expires_at`. The role is kept as it was, so a later change of role does not rewrite history."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30)
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="file_accesses")
    purpose = models.CharField(max_length=100)  # "context:purpose" of the register
    reason_kind = models.CharField(
        max_length=10, choices=[(kind.value, label) for kind, label in REASON_LABELS.items()]
    )
    reason_reference = models.CharField(max_length=64)
    identity_check = models.CharField(max_length=10, choices=IdentityCheckMethod.choices, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    visible_to_subject = models.BooleanField(default=True)

    objects = FileAccessQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["person", "-opened_at"]),
            models.Index(fields=["staff", "person", "expires_at"]),
        ]
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.role} · {self.purpose} · {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def context(self) -> str:
        return self.purpose.partition(":")[0]


class DelegationQuerySet(models.QuerySet):
    def current(self, at=None) -> "DelegationQuerySet":
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, granted_at__lte=at, expires_at__gt=at)


class Delegation(models.Model):
    """ACL-3: an advising physician lets a staff member process health data of one context of the
    register, under the physician's supervision, until it expires or is revoked."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    physician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=30)  # a context key of the register holding health data
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["delegate", "scope", "expires_at"])]
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.scope} · {self.delegate} · {self.expires_at:%Y-%m-%d}"


class DisclosureStatus(models.TextChoices):
    REFUSED_BY_RULE = "refused_by_rule", _("refused automatically")
    PENDING = "pending", _("waiting for the data protection office")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused by the data protection office")


class DisclosureRequest(models.Model):
    """DISC-1..3: a third party asked for data about a person. Refused by rule when the recipient is
    not one of the context's or the transfer is not allowed; otherwise the DPO office decides."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester_name = models.CharField(max_length=200)
    requester_organisation = models.CharField(max_length=200)
    recipient = models.CharField(max_length=60)  # the kind of requester: a recipient key of the register
    processor = models.CharField(max_length=60, blank=True)  # for a processor: its register processor key
    country = models.CharField(max_length=2)
    context = models.CharField(max_length=30)
    ground = models.CharField(max_length=40)
    transfer_ground = models.CharField(max_length=40, blank=True)  # PRIV-6, outside the EEA only
    categories = models.JSONField(default=list)  # data categories asked
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="disclosure_requests")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=DisclosureStatus.choices)
    reason = models.TextField(max_length=2000, blank=True)  # why it was refused, or why granted
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    sent_categories = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["status", "received_at"])]
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.requester_organisation} · {self.context} · {self.status}"
