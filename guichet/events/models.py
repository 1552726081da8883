"""The outbox: one row per domain event, written in the same transaction as the change it announces."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    """A domain event waiting for (or done with) delivery to its subscribers.

    The id orders the events. `handled_by` lists the subscribers that already succeeded, so a retry
    after a failure calls only the others: no subscriber sees an event twice from the outbox."""

    kind = models.CharField(max_length=60)
    subject = models.UUIDField(help_text="public_id of the person the event is about")
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    handled_by = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("outbox event")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(delivered_at__isnull=True), name="outbox_undelivered"
            ),
            models.Index(fields=["subject", "kind"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.subject}"
