"""Models of the retention app: legal holds (RET-4) and the runs of the retention engine with a cursor per
target, so that a run killed half-way resumes where its last committed batch ended (RET-9)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LegalHoldQuerySet(models.QuerySet):
    def active(self, at=None) -> "LegalHoldQuerySet":
        at = at or timezone.now()
        return self.filter(placed_at__lte=at).filter(models.Q(lifted_at__isnull=True) | models.Q(lifted_at__gt=at))


class LegalHold(models.Model):
    """Data of a person kept as evidence in a dispute (RET-4): never erased by the retention run while the
    hold stands, and not used actively. Empty context/category: the hold covers every context/category."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="legal_holds")
    context = models.CharField(_("context"), max_length=40, blank=True)
    category = models.CharField(_("data category"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    case_reference = models.CharField(_("case reference"), max_length=60)
    placed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField(_("reason for lifting"), max_length=300, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal hold")
        indexes = [models.Index(fields=["person", "lifted_at"])]

    def __str__(self) -> str:
        return f"legal hold {self.case_reference}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    FINISHED = "finished", _("finished")


class RetentionRun(models.Model):
    """One run of the engine. `as_of` is fixed when the run starts, so a resumed run erases what the
    interrupted one would have, not more."""

    as_of = models.DateTimeField()
    started_at = models.DateTimeField(default=timezone.now)
    resumed = models.PositiveIntegerField(default=0, help_text="how many times it was resumed after a crash")
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    batch_size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("retention run")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"retention run {self.pk}"


class RunTarget(models.Model):
    """Progress of one run on one target: the last primary key handled (committed with the batch itself)."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="targets")
    target = models.CharField(max_length=80)
    cursor = models.BigIntegerField(default=0)
    erased = models.BigIntegerField(default=0)
    anonymised = models.BigIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)
    done = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "target"], name="retention_run_target_once")]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.target} in run {self.run_id}"
