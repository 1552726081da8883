"""Records of who may act for whom: mandates (one row per grantor and agent of a grant form), what
happened to them, acts waiting for joint approval, parental authority and the court decisions that
give one parent exclusive charge (MIN-3)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MandateStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the agent's acceptance")
    ACTIVE = "active", _("in force")
    SUSPENDED = "suspended", _("suspended by the mutual")
    REVOKED = "revoked", _("revoked")
    REFUSED = "refused", _("refused by the agent")
    ENDED = "ended", _("ended")


class EndReason(models.TextChoices):
    REVOKED = "revoked", _("revoked by the grantor")
    MUTUAL_REVOCATION = "mutual_revocation", _("mutual mandates revoked together")
    REFUSED = "refused", _("refused by the agent")
    EXPIRED = "expired", _("end date reached")
    DEATH = "death", _("death of the grantor or the agent")
    LEGAL_INCAPACITY = "legal_incapacity", _("legal incapacity of the grantor or the agent")
    BANKRUPTCY = "bankruptcy", _("bankruptcy of the grantor or the agent")
    STAFF = "staff", _("ended by the mutual")


class MandateQuerySet(models.QuerySet):
    def for_subject(self, subject) -> "MandateQuerySet":
        """The mandates the person gave or received (both sides see them)."""
        return self.filter(Q(grantor=subject) | Q(agent=subject))

    def open(self) -> "MandateQuerySet":
        """Not finished: pending, in force or suspended."""
        return self.filter(status__in=[MandateStatus.PENDING, MandateStatus.ACTIVE, MandateStatus.SUSPENDED])


class Mandate(models.Model):
    """A grantor lets an agent act in their name within `scopes` (MAND-1), from `starts_on` until
    `ends_on` (exclusive; open when empty). The rows of one grant form share `form`: several agents
    (MAND-3, `joint`: they must act together) or several grantors (MAND-7: each revokes their own row)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.UUIDField(db_index=True, help_text="the grant form the row comes from")
    grantor = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="mandates_given")
    agent = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="mandates_received")
    scopes = models.JSONField(_("scopes"), default=list)
    amount_limit = models.DecimalField(
        _("ceiling per transaction (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    joint = models.BooleanField(_("the agents must act jointly"), default=False)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=MandateStatus.choices, default=MandateStatus.PENDING)
    granted_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    staff_reason = models.CharField(_("reason given by the mutual"), max_length=500, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        indexes = [models.Index(fields=["agent", "grantor"]), models.Index(fields=["grantor", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(grantor=models.F("agent")), name="mandate_not_to_oneself"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="mandate_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantor} -> {self.agent} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in (MandateStatus.PENDING, MandateStatus.ACTIVE, MandateStatus.SUSPENDED)


class MandateLogKind(models.TextChoices):
    GRANTED = "granted", _("granted")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")
    REVOKED = "revoked", _("revoked")
    ENDED = "ended", _("ended")
    SUSPENDED = "suspended", _("suspended")
    RESUMED = "resumed", _("resumed")
    ACT = "act", _("act done under the mandate")


class MandateLog(models.Model):
    """What happened to a mandate and what was done under it, for both sides to read; the evidence
    itself is in the ledger."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="log")
    kind = models.CharField(max_length=10, choices=MandateLogKind.choices)
    at = models.DateTimeField()
    by_person = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_staff = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class JointActStatus(models.TextChoices):
    WAITING = "waiting", _("waiting for the other agents")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class JointActQuerySet(models.QuerySet):
    def for_subject(self, subject) -> "JointActQuerySet":
        return self.filter(grantor=subject)


class JointAct(models.Model):
    """An act under a joint mandate (MAND-3): it runs once, when every required agent approved it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.UUIDField(db_index=True)
    grantor = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    approved_by = models.ManyToManyField("members.Person", related_name="+", blank=True)
    proposed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=JointActStatus.choices, default=JointActStatus.WAITING)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = JointActQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.action} ({self.status})"


class ParentalAuthorityQuerySet(models.QuerySet):
    def for_subject(self, subject) -> "ParentalAuthorityQuerySet":
        return self.filter(Q(parent=subject) | Q(child=subject))


class ParentalAuthority(models.Model):
    """A parent holds parental authority over a child from `since`, as the registry says (MIN-1);
    `ended_on` is set when it is withdrawn. Coming of age (MIN-5) needs no row change: the policy
    checks the child's birth date."""

    parent = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="children_in_charge")
    child = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="parental_authorities")
    since = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    objects = ParentalAuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("parental authority")
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="one_parental_authority_per_pair"),
            models.CheckConstraint(condition=~Q(parent=models.F("child")), name="parent_is_not_the_child"),
        ]
        indexes = [models.Index(fields=["child", "parent"])]

    def __str__(self) -> str:
        return f"{self.parent} -> {self.child}"


def court_decision_path(instance, filename: str) -> str:
    # Never the uploaded name: a random one, under the child's random id.
    return f"mandates/court-decisions/{instance.child.public_id}/{uuid.uuid4()}{instance.proof_extension}"


class CourtDecision(models.Model):
    """A court gave one parent exclusive charge of the child's health affairs from `decided_on`
    (MIN-3): from then the other parent(s) can no longer act for the child. Recorded by staff with
    the decision attached as proof."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="court_decisions")
    exclusive_parent = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("date of the decision"))
    court = models.CharField(_("court"), max_length=200)
    proof = models.FileField(upload_to=court_decision_path)
    proof_type = models.CharField(max_length=40)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["child", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.court} {self.decided_on}"

    @property
    def proof_extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(self.proof_type, "")
