"""Need-to-know access to a member's file (ACL-1, ACL-3, ACL-5, ACL-6, SEC-2).

`open_file` is the staff counterpart of the members' access policy: a register purpose the role may
use, a reason, and for a phone call or a visit an identity check, all validated BEFORE the file opens;
the opening goes to the ledger and gives that staff member a time-limited access. `file_view` then
shows only the fields the purpose needs, hides health data without a delegation, and gives processor
accounts only the fields of their task. A refused attempt is logged and written to the ledger too.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.backoffice import ledger_kinds, policy
from guichet.backoffice.confidentiality import has_acknowledged_current
from guichet.backoffice.models import Delegation, FileAccess, IdentityCheckMethod
from guichet.backoffice.roles import CONTACTS_NEEDING_IDENTITY_CHECK, HealthData, ReasonKind, role_spec
from guichet.ledger.services import append
from guichet.members import nrn
from guichet.members.models import Address, Affiliation, Person
from guichet.privacy.datamap import medical_fields, personal_fields
from guichet.privacy.register import load_register

security_log = logging.getLogger("guichet.security")

REFERENCE_RE = re.compile(r"^[\w][\w ./#:-]{0,63}$")


class AccessRefused(Exception):
    """Opening or reading a file was refused; `message` is meant for the staff member, already translated,
    and `code` names the refusal in the security log and the ledger."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Reason:
    """ACL-1: why the file is opened: a case, a call or a visit, and its reference."""

    kind: str
    reference: str


@dataclass(frozen=True)
class IdentityCheck:
    """SEC-2: what the agent checked about a caller or a visitor. `questions`: the national register
    number, membership number and birth date the person gave; `eid`: the national register number
    read from their eID card at the desk. They are compared with the registry, never stored."""

    method: str
    national_number: str = ""
    member_number: str = ""
    birth_date: datetime.date | None = None


def access_minutes() -> int:
    return settings.BACKOFFICE_FILE_ACCESS_MINUTES


# --- checks --------------------------------------------------------------------------------------------


def check_may_open(
    staff,
    person: Person | None,
    *,
    purpose_key: str,
    reason: Reason | None,
    identity_check: IdentityCheck | None,
) -> None:
    """Raise AccessRefused unless `staff` may open `person`'s file for `purpose_key` with `reason`."""
    spec = role_spec(getattr(staff, "staff_role", ""))
    if spec is None or not policy.staff_may(staff, "open_file"):
        raise AccessRefused("not_staff", _("Your account has no staff role that may open members' files."))
    if not has_acknowledged_current(staff):
        raise AccessRefused("not_acknowledged", _("Acknowledge the confidentiality undertaking first."))
    if person is None:
        raise AccessRefused("unknown_file", _("There is no member file with this reference."))
    try:
        load_register().purpose(purpose_key)
    except KeyError:
        raise AccessRefused(
            "unknown_purpose", _("This purpose is not in the register of processing.")
        ) from None
    if not policy.may_use_purpose(staff.staff_role, purpose_key):
        raise AccessRefused("purpose_not_allowed", _("Your role may not open a file for this purpose."))
    check_reason(spec.reason_kinds, reason)
    if reason.kind in CONTACTS_NEEDING_IDENTITY_CHECK:
        check_identity(person, reason.kind, identity_check)


def check_reason(allowed_kinds, reason: Reason | None) -> None:
    if reason is None or reason.kind not in tuple(ReasonKind):
        raise AccessRefused("no_reason", _("Say why you open the file: a case, a call or a visit."))
    if reason.kind not in allowed_kinds:
        raise AccessRefused("reason_not_allowed", _("Your role may not open a file for this kind of reason."))
    if not REFERENCE_RE.match(reason.reference.strip()):
        raise AccessRefused(
            "no_reason",
            _(
                "Give the reference of the case, call or visit (letters, digits, "
                "and . / # : - only, 64 characters at most)."
            ),
        )


def check_identity(person: Person, contact: str, check: IdentityCheck | None) -> None:
    """SEC-2: the caller or visitor proved who they are before anything of the file is shown."""
    if check is None or check.method not in IdentityCheckMethod.values:
        raise AccessRefused("identity_not_checked", _("Check the identity of the caller or visitor first."))
    if check.method == IdentityCheckMethod.EID and contact != ReasonKind.VISIT:
        raise AccessRefused(
            "identity_not_checked", _("An eID card can only be read at the desk, during a visit.")
        )
    try:
        national_number = nrn.normalise(check.national_number)
    except nrn.InvalidNationalNumber:
        national_number = ""
    matches = national_number == person.national_number
    if check.method == IdentityCheckMethod.QUESTIONS:
        matches = (
            matches
            and check.member_number.strip() == person.member_number
            and check.birth_date == person.birth_date
        )
    if not matches:
        raise AccessRefused(
            "identity_mismatch",
            _(
                "The identity check failed: the answers do not match this "
                "file. Do not discuss the file with this person."
            ),
        )


# --- opening -------------------------------------------------------------------------------------------


def open_file(
    staff,
    person: Person | None,
    *,
    purpose_key: str,
    reason: Reason | None,
    identity_check: IdentityCheck | None = None,
) -> FileAccess:
    """Open `person`'s file for `staff` for the configured time; refused attempts are logged and recorded."""
    try:
        check_may_open(staff, person, purpose_key=purpose_key, reason=reason, identity_check=identity_check)
    except AccessRefused as refusal:
        record_refusal(staff, refusal.code, person=person, purpose_key=purpose_key)
        raise
    now = timezone.now()
    hidden = policy.hidden_from_subject(staff.staff_role)
    with transaction.atomic():
        access = FileAccess.objects.create(
            staff=staff,
            role=staff.staff_role,
            person=person,
            purpose=purpose_key,
            reason_kind=reason.kind,
            reason_reference=reason.reference.strip(),
            identity_check=identity_check.method if reason.kind in CONTACTS_NEEDING_IDENTITY_CHECK else "",
            opened_at=now,
            expires_at=now + datetime.timedelta(minutes=access_minutes()),
            visible_to_subject=not hidden,
        )
        append(
            ledger_kinds.FILE_OPENED,
            actor=staff,
            subject=person,
            context=access.context,
            visible_to_subject=not hidden,
            payload={
                "access": str(access.public_id),
                "role": access.role,
                "purpose": purpose_key,
                "reason_kind": access.reason_kind,
                "reason_reference": access.reason_reference,
                "identity_check": access.identity_check,
                "expires_at": access.expires_at.isoformat(),
            },
        )
    return access


def record_refusal(
    actor, code: str, *, person: Person | None = None, purpose_key: str = "", reference: str = ""
) -> None:
    """A refused attempt: a line in the security log and a ledger entry the member does not see."""
    security_log.warning(
        "back office: %s refused to account %s (person %s, purpose %r, reference %r)",
        code,
        getattr(actor, "pk", None),
        getattr(person, "public_id", None),
        purpose_key[:100],
        reference[:100],
    )
    actor = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        append(
            ledger_kinds.FILE_ACCESS_REFUSED,
            actor=actor,
            subject=person,
            visible_to_subject=False,
            payload={"refusal": code, "purpose": str(purpose_key)[:100], "reference": str(reference)[:100]},
        )


# --- reading an open file ------------------------------------------------------------------------------


def current_access(staff, access_id) -> FileAccess:
    """The staff member's own, still running access `access_id`; AccessRefused (logged) otherwise."""
    access = FileAccess.objects.select_related("person").filter(public_id=access_id).first()
    if access is None or access.staff_id != getattr(staff, "pk", None):
        record_refusal(
            staff, "forged_access", person=access.person if access else None, reference=str(access_id)
        )
        raise AccessRefused(
            "forged_access",
            _(
                "No file is open for you under this address. "
                "Open the file again, with a purpose and a reason."
            ),
        )
    if access.expires_at <= timezone.now():
        raise AccessRefused(
            "expired", _("Your access to this file has ended. Open it again if your task still needs it.")
        )
    if access.role != staff.staff_role:  # the role changed since: the purpose was the old role's
        raise AccessRefused("role_changed", _("Your role changed: open the file again."))
    return access


def may_see_health_data(staff, context_key: str, at: datetime.datetime | None = None) -> bool:
    """ACL-3: the advising physician, or a staff member holding a current delegation for the context."""
    rule = policy.health_data_rule(staff.staff_role)
    if rule == HealthData.OWN:
        return True
    if rule == HealthData.DELEGATED:
        return Delegation.objects.current(at).filter(delegate=staff, scope=context_key).exists()
    return False


@dataclass(frozen=True)
class ShownField:
    label: str
    value: object
    hidden: bool = False


@dataclass
class Section:
    title: str
    records: list[list[ShownField]] = field(default_factory=list)


@dataclass
class FileView:
    access: FileAccess
    sections: list[Section]
    health_hidden: bool


SECTIONS = (
    ("members.Person", gettext_lazy("Identity and contact"), lambda person: [person]),
    (
        "members.Address",
        gettext_lazy("Current address"),
        lambda person: Address.objects.current().filter(person=person),
    ),
    (
        "members.Affiliation",
        gettext_lazy("Affiliations"),
        lambda person: Affiliation.objects.filter(person=person).order_by("context", "-start"),
    ),
)


def visible_fields(access: FileAccess, model_label: str, *, health_visible: bool) -> list[tuple[str, bool]]:
    """(field name, hidden) for the fields of `model_label` the access may show, in model order:
    categories of the purpose only (ACL-1), a processor's task fields only (ACL-5), health data
    masked without a delegation (ACL-3). Relations and non-personal fields are never shown."""
    model = apps.get_model(model_label)
    _context, purpose = load_register().purpose(access.purpose)
    personal = personal_fields(model)
    medical = medical_fields(model)
    spec = role_spec(access.role)
    task_fields = spec.processor.fields.get(model_label, ()) if spec and spec.processor else None
    shown = []
    for model_field in model._meta.concrete_fields:
        name = model_field.name
        if model_field.is_relation or name not in personal:
            continue
        if personal[name].category not in purpose.data_categories:
            continue
        if task_fields is not None and name not in task_fields:
            continue
        shown.append((name, name in medical and not health_visible))
    return shown


def file_view(access: FileAccess) -> FileView:
    """What the file page shows for `access`."""
    health_visible = may_see_health_data(access.staff, access.context)
    sections, health_hidden = [], False
    for model_label, title, records_of in SECTIONS:
        fields = visible_fields(access, model_label, health_visible=health_visible)
        if not fields:
            continue
        model = apps.get_model(model_label)
        section = Section(str(title))
        for record in records_of(access.person):
            row = []
            for name, hidden in fields:
                model_field = model._meta.get_field(name)
                value = (
                    None
                    if hidden
                    else (
                        getattr(record, f"get_{name}_display")()
                        if model_field.choices
                        else getattr(record, name)
                    )
                )
                row.append(ShownField(str(model_field.verbose_name), value, hidden))
                health_hidden = health_hidden or hidden
            section.records.append(row)
        sections.append(section)
    return FileView(access=access, sections=sections, health_hidden=health_hidden)
