"""The staff roles as data: for each role, the register purposes it may open a member's file for
(ACL-1), whether it sees health data (ACL-3), whether its openings are hidden from the member (ACL-6),
and for processor accounts the only fields their task needs (ACL-5, DISC-3).

`guichet.backoffice.checks` verifies this table against the register of processing and the data map,
so a purpose or a field that does not exist, or a processor field outside its register task, fails
`manage.py check`.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import StaffRole


class HealthData(StrEnum):
    """How a role may see health data (the fields the data map puts in a medical or special category)."""

    NEVER = "never"
    OWN = "own"  # the healthcare professional who supervises it (ACL-3)
    DELEGATED = "delegated"  # only under a current delegation from an advising physician (ACL-3)


class ReasonKind(StrEnum):
    """Why a file is opened (ACL-1): a case being handled, a phone call, a visit at an agency."""

    CASE = "case"
    CALL = "call"
    VISIT = "visit"


REASON_LABELS = {
    ReasonKind.CASE: _("a case"),
    ReasonKind.CALL: _("a phone call"),
    ReasonKind.VISIT: _("a visit at an agency"),
}

# SEC-2: a caller or a visitor is who they say they are before their file is discussed.
CONTACTS_NEEDING_IDENTITY_CHECK = frozenset({ReasonKind.CALL, ReasonKind.VISIT})


@dataclass(frozen=True)
class ProcessorTask:
    """A processor account's task: the register processor it is (context + processor key) and the
    only fields it may see, per model ("app_label.Model": field names)."""

    context: str
    processor: str
    fields: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class RoleSpec:
    purposes: tuple[str, ...]  # "context:purpose" keys of the register
    description: Promise
    health_data: HealthData = HealthData.NEVER
    hidden_from_subject: bool = False  # fraud investigations are not shown to the member (ACL-6)
    reason_kinds: tuple[ReasonKind, ...] = tuple(ReasonKind)
    processor: ProcessorTask | None = None
    may_receive_delegation: bool = False


ROLES: dict[str, RoleSpec] = {
    StaffRole.AGENT: RoleSpec(
        purposes=(
            "operations:contact_management",
            "operations:rights_requests",
            "compulsory:insurability",
            "compulsory:healthcare_benefits",
            "complementary:insurability",
            "complementary:services_benefits",
            "insurance_company:health_insurance_contracts",
            "insurance_company:request_history",
        ),
        description=_("Agents of the agencies and of the service centre, who follow up members' files."),
    ),
    StaffRole.DPO_OFFICE: RoleSpec(
        purposes=(
            "operations:rights_requests",
            "compulsory:legal_compliance",
            "complementary:legal_compliance",
        ),
        description=_(
            "The data protection office, which answers requests of data subjects and of third parties."
        ),
        reason_kinds=(ReasonKind.CASE,),
    ),
    StaffRole.MODERATOR: RoleSpec(
        purposes=("operations:community_moderation",),
        description=_("Moderators of the members' comments and content."),
        reason_kinds=(ReasonKind.CASE,),
    ),
    StaffRole.ADVISING_PHYSICIAN: RoleSpec(
        purposes=(
            "compulsory:medical_advisor_approvals",
            "compulsory:incapacity_benefits",
            "insurance_company:health_insurance_contracts",
        ),
        description=_(
            "Advising physicians, healthcare professionals who supervise the processing of health data."
        ),
        health_data=HealthData.OWN,
        reason_kinds=(ReasonKind.CASE,),
    ),
    StaffRole.MEDICAL_DELEGATE: RoleSpec(
        purposes=("compulsory:medical_advisor_approvals", "compulsory:incapacity_benefits"),
        description=_(
            "Medical staff expressly delegated by an advising physician, under that physician's "
            "supervision and only while the delegation runs."
        ),
        health_data=HealthData.DELEGATED,
        may_receive_delegation=True,
    ),
    StaffRole.FRAUD_UNIT: RoleSpec(
        purposes=(
            "operations:fraud_prevention",
            "compulsory:management_research_fraud",
            "insurance_company:audit_quality_fraud",
        ),
        description=_("The fraud unit, which investigates fraud by staff and by clients."),
        hidden_from_subject=True,
        reason_kinds=(ReasonKind.CASE,),
    ),
    StaffRole.ADMINISTRATOR: RoleSpec(
        purposes=("operations:security",),
        description=_("Administrators of the online desk, for its security."),
        reason_kinds=(ReasonKind.CASE,),
    ),
    StaffRole.PROCESSOR_CALL_CENTRE: RoleSpec(
        purposes=("operations:contact_management",),
        description=_("A call centre working for the mutual as a processor: contact data only."),
        reason_kinds=(ReasonKind.CALL,),
        processor=ProcessorTask(
            "operations",
            "call_centres",
            {
                "members.Person": ("first_name", "last_name", "language", "member_number", "mobile", "email"),
                "members.Address": ("street", "number", "box", "postcode", "city", "country"),
                "members.Affiliation": ("context", "status"),
            },
        ),
    ),
    StaffRole.PROCESSOR_PRINT_HOUSE: RoleSpec(
        purposes=("operations:ebox",),
        description=_(
            "A print house working for the mutual as a processor: the name and postal address "
            "needed to post a document."
        ),
        reason_kinds=(ReasonKind.CASE,),
        processor=ProcessorTask(
            "operations",
            "mail_document_handling",
            {
                "members.Person": ("first_name", "last_name", "language"),
                "members.Address": ("street", "number", "box", "postcode", "city", "country"),
            },
        ),
    ),
}


def role_spec(role: str) -> RoleSpec | None:
    """The spec of a staff role, or None for a member account or an unknown role."""
    return ROLES.get(role) if role else None
