"""Demo back office: the demo advising physician delegates the compulsory insurance's health data to the
demo medical delegate, so the delegation can be seen at work (the demo staff accounts come from accounts)."""

import datetime

from django.utils import timezone

from guichet.accounts.models import StaffRole, User
from guichet.backoffice.models import Delegation
from guichet.backoffice.services import grant_delegation


def create_demo_backoffice() -> Delegation | None:
    """The demo delegation, once (None when the demo staff accounts are missing)."""
    physician = User.objects.filter(staff_role=StaffRole.ADVISING_PHYSICIAN).order_by("pk").first()
    delegate = User.objects.filter(staff_role=StaffRole.MEDICAL_DELEGATE).order_by("pk").first()
    if physician is None or delegate is None:
        return None
    existing = Delegation.objects.current().filter(physician=physician, delegate=delegate).first()
    if existing is not None:
        return existing
    return grant_delegation(
        physician, delegate, scope="compulsory", expires_at=timezone.now() + datetime.timedelta(days=180)
    )
