"""The one staff policy: what each staff role may do, in the back office and in the other apps' staff
pages. Accounts' table (`accounts.policy.STAFF_ACTIONS`) is extended in place at start-up, so
`accounts.policy.staff_may`, `accounts.decorators.staff_required` and this module answer alike."""

from guichet.accounts import policy as accounts_policy
from guichet.accounts.models import StaffRole
from guichet.backoffice.roles import ROLES, HealthData, role_spec

# The same table as accounts', not a copy: one place decides.
STAFF_ACTIONS = accounts_policy.STAFF_ACTIONS

BACKOFFICE_ACTIONS: dict[str, frozenset[str]] = {
    "open_file": frozenset(role for role, spec in ROLES.items() if spec.purposes),
    "grant_delegation": frozenset({StaffRole.ADVISING_PHYSICIAN}),
    "receive_disclosure_request": frozenset({StaffRole.AGENT, StaffRole.DPO_OFFICE}),
    "decide_disclosure": frozenset({StaffRole.DPO_OFFICE}),
}


def install() -> None:
    """Add the back office's actions to the staff table (idempotent; a clash is a programming error)."""
    for action, roles in BACKOFFICE_ACTIONS.items():
        if STAFF_ACTIONS.get(action, roles) != roles:
            raise RuntimeError(f"the staff action {action!r} is defined twice with different roles")
        STAFF_ACTIONS[action] = roles


def staff_may(user, action: str) -> bool:
    """Whether `user` is staff whose role allows `action` (False for members and visitors)."""
    return bool(getattr(user, "staff_role", "")) and accounts_policy.staff_may(user, action)


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "staff_role", ""))


def may_use_purpose(role: str, purpose_key: str) -> bool:
    """ACL-1: the role may open a file for this register purpose ("context:purpose")."""
    spec = role_spec(role)
    return spec is not None and purpose_key in spec.purposes


def purposes_of(role: str) -> tuple[str, ...]:
    spec = role_spec(role)
    return spec.purposes if spec else ()


def hidden_from_subject(role: str) -> bool:
    """ACL-6: openings by this role are not shown to the member (fraud investigations)."""
    spec = role_spec(role)
    return bool(spec and spec.hidden_from_subject)


def health_data_rule(role: str) -> HealthData:
    spec = role_spec(role)
    return spec.health_data if spec else HealthData.NEVER


def may_receive_delegation(role: str) -> bool:
    spec = role_spec(role)
    return bool(spec and spec.may_receive_delegation)
