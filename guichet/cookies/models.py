"""A member's cookie choices (COOK-3) and the first-party analytics: visits and their pages (COOK-6,
COOK-7)."""

import uuid

from django.db import models
from django.utils import timezone

from guichet.traffic.models import DeviceFamily


class CookieChoice(models.Model):
    """The record of a logged-in member's cookie choice, with the policy version and categories digest it
    answered (COOK-3, COOK-8); the consents themselves are privacy consent records, per purpose."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="cookie_choices")
    policy_version = models.CharField(max_length=20)
    categories_digest = models.CharField(max_length=64)
    accepted = models.JSONField(default=list, help_text="the optional categories accepted")
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-chosen_at"]
        indexes = [models.Index(fields=["person", "-chosen_at"])]

    def __str__(self) -> str:
        return f"cookie choice of {self.chosen_at:%Y-%m-%d} (policy {self.policy_version})"


class Visit(models.Model):
    """One visit of a browser whose analytics cookie was consented: it ends after 30 minutes without a
    page (COOK-6). The visitor is a keyed hash of the cookie's random value; the IP is truncated (COOK-7)."""

    visitor = models.CharField(max_length=64, help_text="keyed hash of the analytics cookie's random value")
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_seen_at = models.DateTimeField(default=timezone.now)
    pages = models.PositiveIntegerField(default=0)
    device_family = models.CharField(max_length=10, choices=DeviceFamily.choices, default=DeviceFamily.OTHER)
    browser_family = models.CharField(max_length=50, blank=True)
    language = models.CharField(max_length=5, blank=True)
    ip_prefix = models.CharField(max_length=45, blank=True, help_text="the IP address without its last octet")

    class Meta:
        indexes = [models.Index(fields=["visitor", "-last_seen_at"])]

    def __str__(self) -> str:
        return f"visit of {self.started_at:%Y-%m-%d %H:%M} ({self.pages} pages)"


class VisitPage(models.Model):
    """A page seen during a visit (the analytics beacon's report)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="page_views")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    path = models.CharField(max_length=255)

    def __str__(self) -> str:
        return self.path
