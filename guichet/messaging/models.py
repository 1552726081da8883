"""The development outbox: SMS and e-mails kept for reading instead of being sent (never in production)."""

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "e-mail"

    channel = models.CharField(max_length=5, choices=Channel.choices)
    recipient = models.CharField(max_length=254, db_index=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
