"""One row per page seen: the connection data of ACC-9, never the full IP address."""

from django.db import models
from django.utils import timezone


class DeviceFamily(models.TextChoices):
    DESKTOP = "desktop", "desktop"
    MOBILE = "mobile", "mobile"
    TABLET = "tablet", "tablet"
    BOT = "bot", "bot"
    OTHER = "other", "other"


class Connection(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_prefix = models.CharField(max_length=45, blank=True)
    browser_family = models.CharField(max_length=50, blank=True)
    device_family = models.CharField(max_length=10, choices=DeviceFamily.choices, default=DeviceFamily.OTHER)
    path = models.CharField(max_length=255)
    language = models.CharField(max_length=5, blank=True)
    authenticated = models.BooleanField(default=False)
