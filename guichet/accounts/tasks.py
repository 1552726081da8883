"""Scheduled account jobs (Celery beat): the inactivity rule and the clean-up of dead codes and sessions."""

from celery import shared_task
from django.utils import timezone

from guichet.accounts import services
from guichet.accounts.models import OneTimeCode, UserSession


@shared_task
def apply_inactivity_rule() -> dict:
    report = services.apply_inactivity_rule()
    return {"warned": report.warned, "removed": report.removed}


@shared_task
def clear_expired_credentials() -> dict:
    now = timezone.now()
    codes, _ = OneTimeCode.objects.filter(expires_at__lt=now).delete()
    sessions, _ = UserSession.objects.filter(expire_date__lt=now).delete()
    return {"codes": codes, "sessions": sessions}
