"""How mandates react to the registry's life events (registered in MandatesConfig.ready).

Death, legal incapacity and bankruptcy end the person's mandates (MAND-9); the policy already refuses
from the event's date, so these handlers only record the end and tell the other side. Coming of age
(MIN-5) tells the parents that their access to the child's file has ended.
"""

from guichet.events.services import subscribe
from guichet.mandates.evidence import notify
from guichet.mandates.models import EndReason, ParentalAuthority
from guichet.mandates.services import end_mandates_of
from guichet.members.models import Person
from guichet.members.services import BANKRUPTCY, COMING_OF_AGE, DEATH, LEGAL_INCAPACITY

ENDING_EVENTS = {
    DEATH: EndReason.DEATH,
    LEGAL_INCAPACITY: EndReason.LEGAL_INCAPACITY,
    BANKRUPTCY: EndReason.BANKRUPTCY,
}


def _end_mandates(event) -> None:
    person = Person.objects.filter(public_id=event.subject).first()
    if person is not None:
        end_mandates_of(person, ENDING_EVENTS[event.kind])


@subscribe(DEATH)
def end_mandates_on_death(event) -> None:
    _end_mandates(event)


@subscribe(LEGAL_INCAPACITY)
def end_mandates_on_legal_incapacity(event) -> None:
    _end_mandates(event)


@subscribe(BANKRUPTCY)
def end_mandates_on_bankruptcy(event) -> None:
    _end_mandates(event)


@subscribe(COMING_OF_AGE)
def tell_parents_of_coming_of_age(event) -> None:
    """MIN-5: the parents hear that their access ended; the child's file is now the child's alone."""
    from django.utils.translation import gettext as _

    for authority in ParentalAuthority.objects.filter(child__public_id=event.subject).select_related(
        "parent", "child"
    ):
        name = authority.child.first_name
        notify(
            authority.parent,
            lambda name=name: (
                _("%(name)s has come of age: your access to their file on Guichet has ended.")
                % {"name": name}
            ),
        )
