"""Models of the decisions app: each automated decision with its inputs, rule-set version, outcome and
explanation; the human reviews asked against them; the data the decisions read (situations, incomes,
care lines, BIM requests and their signatures) and what they produce (BIM rights, MAF counters, refunds)."""

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Decision(models.Model):
    """One automated decision about a person (AUTO-9): what was read, under which rule set, the outcome
    and the plain-words explanation in FR/NL/EN. Never changed afterwards; a review is kept beside it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=40)
    context = models.CharField(max_length=20, default="compulsory")
    subject = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="decisions")
    rule_set = models.CharField(max_length=40)
    inputs = models.JSONField(default=dict)
    outcome = models.CharField(max_length=40)
    result = models.JSONField(default=dict)
    explanation = models.JSONField(default=dict)  # {"fr": ..., "nl": ..., "en": ...}
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("automated decision")
        indexes = [models.Index(fields=["subject", "decided_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id}"

    def explanation_text(self, language: str | None = None) -> str:
        language = (language or get_language() or "fr")[:2]
        return self.explanation.get(language) or self.explanation.get("en", "")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a reviewer")
    CONFIRMED = "confirmed", _("decision confirmed")
    OVERRIDDEN = "overridden", _("decision overridden")


class Review(models.Model):
    """A person's request for a human review of an automated decision (AUTO-9, DSR-9) and its answer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="reviews")
    requested_by = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="decision_reviews")
    reasons = models.TextField()
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    reviewer = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="decision_reviews")
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_document = models.UUIDField(null=True, blank=True, help_text="the e-Box document of the answer")

    class Meta:
        verbose_name = _("review of a decision")
        constraints = [
            models.UniqueConstraint(fields=["decision"], condition=models.Q(status="pending"),
                                    name="one_pending_review_per_decision"),
        ]

    def __str__(self) -> str:
        return f"review {self.public_id}"


class Scheme(models.TextChoices):
    GENERAL = "general", _("general scheme (employees)")
    SELF_EMPLOYED = "self_employed", _("self-employed scheme")


class InsuranceStatus(models.Model):
    """The scheme and status a person is insured under, as recorded by the mutual (input of AUTO-1)."""

    person = models.OneToOneField("members.Person", on_delete=models.CASCADE, related_name="insurance_status")
    scheme = models.CharField(max_length=20, choices=Scheme.choices)
    status = models.CharField(max_length=30)
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.scheme}/{self.status}"


class Situation(models.Model):
    """An allowance or situation recorded on a person (AUTO-2: BIM by automatic right follows from it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="situations")
    ground = models.CharField(max_length=40)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=40)
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.ground} from {self.start}"


class BimSource(models.TextChoices):
    AUTOMATIC = "automatic", _("automatic right")
    INCOME_TEST = "income_test", _("after an income test")


class BimRight(models.Model):
    """A person's right to increased reimbursement (BIM) over a period, and the decision that gave it."""

    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="bim_rights")
    source = models.CharField(max_length=12, choices=BimSource.choices)
    ground = models.CharField(max_length=40)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    effects = models.JSONField(default=list)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="bim_rights")

    class Meta:
        indexes = [models.Index(fields=["person", "start"])]

    def __str__(self) -> str:
        return f"BIM {self.source} from {self.start}"


class HouseholdIncome(models.Model):
    """A household's net taxable income of a year, as received from the tax administration (MAF input)."""

    household = models.ForeignKey("members.Household", on_delete=models.CASCADE, related_name="incomes")
    year = models.PositiveSmallIntegerField()
    amount_cents = models.BigIntegerField()
    source = models.CharField(max_length=40, default="tax_administration")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="one_income_per_household_year")]

    def __str__(self) -> str:
        return f"income {self.year}"


class BimRequestStatus(models.TextChoices):
    AWAITING_SIGNATURES = "awaiting", _("waiting for the signatures of the household")
    DECIDED = "decided", _("decided")


class BimRequest(models.Model):
    """A request for BIM after an income test (AUTO-3): the sworn statement and its supporting documents,
    signed by every adult of the household before the decision is taken."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="bim_requests")
    household = models.ForeignKey("members.Household", on_delete=models.PROTECT, related_name="bim_requests")
    requested_on = models.DateField()
    statement = models.JSONField()  # {"incomes": {public_id: cents}, "documents": [names]}
    status = models.CharField(max_length=10, choices=BimRequestStatus.choices,
                              default=BimRequestStatus.AWAITING_SIGNATURES)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return f"BIM request {self.public_id}"


class BimSignature(models.Model):
    """One adult's signature of the sworn statement, through the signing app."""

    request = models.ForeignKey(BimRequest, on_delete=models.CASCADE, related_name="signatures")
    signer = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="bim_signatures")
    reference = models.CharField(max_length=100, unique=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.reference


class CareLine(models.Model):
    """A co-payment (ticket modérateur / remgeld) paid for a person's care on a date, in cents (MAF input)."""

    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="care_lines")
    care_date = models.DateField()
    amount_cents = models.BigIntegerField()
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["person", "care_date"])]

    def __str__(self) -> str:
        return f"care line of {self.care_date}"


class MafAccount(models.Model):
    """A MAF household's counter for a year: its ceiling, co-payments counted and refunds paid so far."""

    household = models.ForeignKey("members.Household", on_delete=models.PROTECT, related_name="maf_accounts")
    year = models.PositiveSmallIntegerField()
    ceiling_cents = models.BigIntegerField()
    counted_cents = models.BigIntegerField(default=0)
    refunded_cents = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="one_maf_account_per_year")]

    def __str__(self) -> str:
        return f"MAF {self.year} of household {self.household_id}"


class MafRefund(models.Model):
    """One refund paid to a MAF household: the difference between what is due above the ceiling and what
    was already refunded, so a rerun finds nothing more to pay."""

    account = models.ForeignKey(MafAccount, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.BigIntegerField()
    due_cents = models.BigIntegerField()
    run = models.CharField(max_length=40)
    created_at = models.DateTimeField()
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return f"refund {self.run}"


class IncapacityBlock(models.Model):
    """Incapacity benefits blocked for a case a work-accident insurer covers (AUTO-8)."""

    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="incapacity_blocks")
    insurer = models.CharField(max_length=100)
    case_reference = models.CharField(max_length=60)
    since = models.DateField()
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return f"{self.insurer} {self.case_reference}"
