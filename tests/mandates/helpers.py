"""What the mandates tests share: granting through the services as the web form would, and reading the
ledger entries of a kind."""

import datetime

from django.utils import timezone

from guichet.mandates import services
from guichet.members.models import Person


def agent_input(person: Person) -> services.AgentInput:
    return services.AgentInput(person.national_number, person.first_name, person.last_name)


def give(
    grantor: Person,
    *agents: Person,
    scopes=("consult",),
    amount_limit=None,
    joint=False,
    starts_on: datetime.date | None = None,
    ends_on=None,
    accept=True,
    grantors=None,
):
    """Grant (and accept, by default) a mandate; the rows made (one per grantor and agent)."""
    grantors = grantors or [grantor]
    checked = services.check_grant(
        grantors,
        [agent_input(agent) for agent in agents],
        scopes=list(scopes),
        amount_limit=amount_limit,
        joint=joint,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    made = services.grant_mandate(
        grantor, grantors, checked, by_staff=None if len(grantors) == 1 else _staff()
    )
    if accept:
        made = [services.accept_mandate(row.agent, row) for row in made]
    return made[0] if len(made) == 1 else made


def _staff():
    from guichet.accounts.models import StaffRole, User

    return User.objects.get(staff_role=StaffRole.AGENT)


def ledger_entries(kind: str):
    from guichet.ledger.models import LedgerEntry

    return list(LedgerEntry.objects.filter(kind=kind).order_by("sequence"))
