"""The member's "My record" page (ACL-6): the ledger entries about them that they may see, newest first."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from guichet.accounts.decorators import member_required
from guichet.accounts.models import StaffRole
from guichet.ledger.kinds import label_of
from guichet.ledger.models import ActorKind
from guichet.ledger.services import entries_about
from guichet.mandates.decorators import requires_action
from guichet.mandates.policy import Action

PAGE_SIZE = 50


@requires_action(Action.VIEW_MY_DATA)
@member_required
def my_record(request):
    subject = request.subject
    entries = entries_about(subject).only(
        "sequence", "recorded_at", "kind", "actor_kind", "actor_ref", "actor_label", "actor_role")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"recorded_at": entry.recorded_at, "what": label_of(entry.kind), "who": who_acted(entry, subject)}
            for entry in page]
    return render(request, "ledger/my_record.html", {"page": page, "rows": rows})


def who_acted(entry, subject) -> str:
    """The actor as the member may know them: a person by name, staff by role only, the system as such."""
    if entry.actor_kind == ActorKind.STAFF:
        known = entry.actor_role in StaffRole.values
        role = StaffRole(entry.actor_role).label if known else _("staff member")
        return _("Staff: %(role)s") % {"role": role}
    if entry.actor_kind == ActorKind.PERSON:
        if entry.actor_ref == str(subject.public_id):
            return _("You")
        return _("%(name)s (member)") % {"name": entry.actor_label}
    return _("Guichet, automatically")
