"""What each staff role may do in the accounts and connection-log pages (the back office extends this)."""

from guichet.accounts.models import RestrictionScope, StaffRole

STAFF_ACTIONS: dict[str, frozenset[str]] = {
    "restrict_private_area": frozenset({StaffRole.AGENT, StaffRole.ADMINISTRATOR}),
    "restrict_interactive": frozenset({StaffRole.MODERATOR, StaffRole.ADMINISTRATOR}),
    "view_connection_statistics": frozenset({StaffRole.ADMINISTRATOR, StaffRole.DPO_OFFICE}),
    "read_dev_outbox": frozenset({StaffRole.ADMINISTRATOR}),
    "run_campaigns": frozenset({StaffRole.ADMINISTRATOR, StaffRole.AGENT}),
}


def staff_may(user, action: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.staff_role in STAFF_ACTIONS[action])


def restriction_action(scope: str) -> str:
    return "restrict_private_area" if scope == RestrictionScope.PRIVATE_AREA else "restrict_interactive"
