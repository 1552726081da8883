"""Demo login accesses: a few registered members and one staff account per role."""

from functools import lru_cache

from django.contrib.auth.hashers import make_password

from guichet.accounts.models import StaffRole, User
from guichet.members.demo import PERSONAS

DEMO_MEMBER_PASSWORD = "mutual-demo-password"  # noqa: S105 - printed for the demo on purpose
DEMO_STAFF_PASSWORD = "staff-demo-password"  # noqa: S105


@lru_cache(maxsize=4)
def _hashed(password: str) -> str:
    """One Argon2 hash per demo password: the demo accounts share it, and loading stays quick."""
    return make_password(password)


def create_demo_accounts(personas: dict) -> list[tuple[str, str, str]]:
    """(who, login, password) for each demo access; existing ones are left as they are."""
    logins = []
    for key, *_rest, registered in PERSONAS:
        person = personas[key]
        if registered:
            if not User.objects.filter(person=person).exists():
                User.objects.create(username=person.national_number, password=_hashed(DEMO_MEMBER_PASSWORD),
                                    person=person)
            logins.append((person.full_name, person.national_number, DEMO_MEMBER_PASSWORD))
    for role in StaffRole:
        username = role.value.replace("_", "-")
        if not User.objects.filter(username=username).exists():
            User.objects.create(username=username, password=_hashed(DEMO_STAFF_PASSWORD), staff_role=role,
                                display_name=str(role.label))
        logins.append((f"staff: {role.label}", username, DEMO_STAFF_PASSWORD))
    return logins
