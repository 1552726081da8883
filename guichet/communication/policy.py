"""What a member's preferences and legal bases allow: commercial messages per channel (COMM-1, COMM-3,
COMM-5), tracking of campaign e-mails (COMM-2), personalisation and profiling (COMM-5, COMM-9).

The campaign audience (guichet.communication.audience) asks the same questions in SQL, for every member at once.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from guichet.communication.models import Channel, Preferences
from guichet.privacy.register import load_register

DIRECT_MARKETING = "operations:direct_marketing"
LEGITIMATE_INTEREST = "GDPR 6(1)(f)"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def preferences_of(person) -> Preferences:
    """The member's preferences; the defaults (everything accepted, nothing objected) when never set."""
    found = Preferences.objects.filter(person=person).first()
    return found if found is not None else Preferences(person=person)


def declines_everything(person) -> bool:
    """COMM-5: the member declined offers on every channel."""
    return preferences_of(person).declines_everything()


def receives_offers(person, channel: str) -> bool:
    """COMM-1, COMM-3, COMM-5: may the member get a commercial message on `channel`?"""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    preferences = preferences_of(person)
    from guichet.rights.policy import objects_to  # DSR-8, DSR-11

    return preferences.accepts(channel) and not preferences.declines_everything() and not objects_to(
        person, "direct_marketing")


def may_track(person) -> bool:
    """COMM-2: opens and clicks are recorded only for members who have not objected."""
    return not preferences_of(person).tracking_objected


def may_profile(person) -> Decision:
    """COMM-9: direct-marketing profiling runs only on a legal basis recorded for it: the member's
    standing consent, or the legitimate interest of the register when the member has not objected
    (neither to profiling nor, by declining every channel, to direct marketing itself, COMM-5)."""
    from guichet.privacy.services import has_consent

    if person is None or getattr(person, "date_of_death", None) is not None:
        return Decision(False, _("There is nobody to profile."))
    from guichet.rights.policy import objects_to  # DSR-8, DSR-11: objection or restriction on a rights request

    if objects_to(person, "profiling") or objects_to(person, "direct_marketing"):
        return Decision(False, _("The member objected to or restricted this processing."))
    if has_consent(person, DIRECT_MARKETING):
        return Decision(True, _("The member consented to direct marketing."))
    preferences = preferences_of(person)
    if preferences.declines_everything():
        return Decision(False, _("The member declined offers on every channel."))
    if preferences.profiling_objected:
        return Decision(False, _("The member objected to profiling."))
    context, purpose = load_register().purpose(DIRECT_MARKETING)
    if not any(basis.article == LEGITIMATE_INTEREST for basis in context.bases_of(purpose)):
        return Decision(False, _("The register gives direct marketing no legitimate interest to rely on."))
    return Decision(True, _("Legitimate interest; the member has not objected."))


def may_personalise(person) -> bool:
    """COMM-5: browsing data are used for personalisation only when profiling is allowed, which it
    never is for a member who declines offers on every channel."""
    return bool(may_profile(person))
