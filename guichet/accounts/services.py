"""The account actions: identify and register, log in, change and reset passwords, restrict and
lift access, remove the access of inactive members. Views call these; they never decide alone.

Each action validates first (raising AccountError with a message for the person) and then writes
in one transaction, so a refused action changes nothing.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.backends import canonical_login
from guichet.accounts.codes import CodeCheck, check_code, issue_code
from guichet.accounts.models import CodePurpose, OneTimeCode, Restriction, RestrictionScope, User
from guichet.accounts.policy import restriction_action, staff_may
from guichet.accounts.sessions import end_sessions_of
from guichet.accounts.throttle import Throttle
from guichet.members import nrn
from guichet.members.models import Person
from guichet.members.services import is_minor
from guichet.messaging.services import email_to, sms_to_person
from guichet.messaging.sms import SmsDeliveryError

security_log = logging.getLogger("guichet.security")


class AccountError(Exception):
    """An action was refused; `message` is meant for the person, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- identifying a member (registration and password reset: ACC-2, ACC-3, ACC-4) -------------------

def _too_many_attempts(wait: int) -> AccountError:
    return AccountError(_("Too many attempts. Please wait %(seconds)d seconds, then try again.") % {"seconds": wait})


def identify_member(national_number: str, member_number: str, purpose: CodePurpose, *, ip: str) -> OneTimeCode:
    """Match the two facts to a registry person and send them a code on their registered mobile."""
    try:
        number = nrn.normalise(national_number)
    except nrn.InvalidNationalNumber:
        raise AccountError(
            _("This is not a valid national register number. Check the 11 digits on your identity card.")
        ) from None
    throttle = Throttle.for_request(f"identify-{purpose}", account=number, ip=ip)
    if wait := throttle.wait_seconds():
        raise _too_many_attempts(wait)
    person = Person.objects.filter(national_number=number, member_number=member_number.strip()).first()
    if person is None or person.date_of_death is not None:
        throttle.failed()
        raise AccountError(
            _("We could not find a member with this national register number and membership number. "
              "Check both numbers on your membership card, or contact your agency.")
        )
    _check_may_identify(person, purpose)
    # Whoever knows the two numbers could make the member's phone ring with codes, each worth a few
    # guesses, from as many addresses as they have: the codes sent to one person slow down too.
    sending = code_sending_throttle(person)
    if wait := sending.wait_seconds():
        raise _too_many_attempts(wait)
    record, code = issue_code(person, purpose, person.mobile)
    sending.failed()  # counted as sent; a code typed correctly clears it
    try:  # in the language of the page the person is filling in now
        sms_to_person(person, lambda: _(
            "Your Guichet code is %(code)s. It is valid for %(minutes)d minutes. Never give it to anyone."
        ) % {"code": code, "minutes": settings.OTP_CODE_TTL_SECONDS // 60}, language=get_language())
    except SmsDeliveryError:
        raise AccountError(_("We could not send the SMS just now. Please try again in a few minutes.")) from None
    return record


def code_sending_throttle(person: Person) -> Throttle:
    return Throttle("code-sms", (f"account:person-{person.pk}",))


def _check_may_identify(person: Person, purpose: CodePurpose) -> None:
    if purpose == CodePurpose.REGISTRATION and is_minor(person):
        raise AccountError(
            _("You are under 18: you cannot open an account yourself. A parent with parental authority "
              "can open it for you from their own account, or at an agency.")
        )
    account = getattr(person, "account", None)
    has_access = account is not None and account.is_active and account.has_usable_password()
    if purpose == CodePurpose.REGISTRATION and has_access:
        raise AccountError(_("You already have an account. Log in, or reset your password if you forgot it."))
    if purpose == CodePurpose.PASSWORD_RESET and not has_access:
        raise AccountError(_("You have no account yet, or it was closed after a long inactivity. Please register."))
    if not person.mobile:
        raise AccountError(
            _("We have no mobile number for you. Contact your agency to add one, then come back here.")
        )


CODE_MESSAGES = {
    CodeCheck.WRONG: gettext_lazy("This code is not correct. Check the SMS and try again."),
    CodeCheck.EXPIRED: gettext_lazy("This code has expired. Ask for a new one."),
    CodeCheck.USED: gettext_lazy("This code was already used. Ask for a new one."),
    CodeCheck.TOO_MANY_TRIES: gettext_lazy("Too many wrong codes. Ask for a new one."),
    CodeCheck.UNKNOWN_ATTEMPT: gettext_lazy("This code does not belong to this attempt. Start again."),
}


def confirm_code(attempt: str | None, purpose: CodePurpose, typed: str, *, ip: str) -> Person:
    """The person whose code this is, once the typed code is accepted."""
    throttle = Throttle.for_request("code", account=str(attempt), ip=ip)
    if wait := throttle.wait_seconds():
        raise _too_many_attempts(wait)
    outcome, record = check_code(attempt, purpose, typed)
    if outcome is not CodeCheck.ACCEPTED:
        throttle.failed()
        raise AccountError(str(CODE_MESSAGES[outcome]))
    code_sending_throttle(record.person).succeeded()
    return record.person


def check_new_password(person: Person | None, password: str, confirmation: str, user: User | None = None) -> None:
    if password != confirmation:
        raise AccountError(_("The two passwords are not the same."))
    probe = user or User(username=person.national_number if person else "", person=person)
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, probe)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None


@transaction.atomic
def set_member_password(person: Person, password: str) -> User:
    """Create the person's login access, give it back after inactivity, or reset its password.
    Every session it had ends (a reset is a sign the old password may be known to someone)."""
    user = User.objects.select_for_update().filter(person=person).first()
    if user is None:
        user = User(username=person.national_number, person=person)
    if user.access_removed_at is not None:  # access given back (ACC-6): its inactivity clock starts again
        user.date_joined, user.last_login = timezone.now(), None
    user.is_active = True
    user.access_removed_at = None
    user.inactivity_warned_at = None
    user.set_password(password)
    user.save()
    end_sessions_of(user)
    return user


# --- logging in (ACC-1, ACC-3, ACC-5) ---------------------------------------------------------------

def log_in_with_password(request, login: str, password: str, *, ip: str) -> User:
    """The account for these credentials, or AccountError. Unknown and known logins get the same
    answer and the same delays; a restriction is told only to whoever knows the password."""
    account_key = canonical_login(login)
    throttle = Throttle.for_request("login", account=account_key, ip=ip)
    if wait := throttle.wait_seconds():
        raise _too_many_attempts(wait)
    user = authenticate(request, username=account_key, password=password)
    if user is None:
        throttle.failed()
        security_log.info("login failed from %s", ip)
        raise AccountError(_("The login or the password is not correct."))
    throttle.succeeded()
    check_may_log_in(user)
    return user


def check_may_log_in(user: User) -> None:
    """Refuse a member whose private-area access is restricted, with the reason (ACC-5)."""
    if restriction := restriction_in_force(user.person, RestrictionScope.PRIVATE_AREA):
        raise AccountError(restriction_message(restriction))


def restriction_in_force(person: Person | None, scope: RestrictionScope) -> Restriction | None:
    if person is None:
        return None
    return Restriction.objects.in_force().filter(person=person, scope=scope).first()


def restriction_message(restriction: Restriction) -> str:
    if restriction.scope == RestrictionScope.PRIVATE_AREA:
        text = _("Your access to the private area has been limited by the mutual since %(date)s. Reason: %(reason)s. "
                 "Contact your agency or the service centre to talk about it.")
    else:
        text = _("You can no longer post in the interactive part since %(date)s. Reason: %(reason)s.")
    local = timezone.localtime(restriction.created_at)
    return text % {"date": local.strftime("%d/%m/%Y"), "reason": restriction.get_reason_display()}


def send_login_code(user: User) -> OneTimeCode:
    record, code = issue_code(user.person, CodePurpose.LOGIN, user.person.mobile)
    try:
        sms_to_person(user.person, lambda: _("Your Guichet login code is %(code)s. Never give it to anyone.")
                      % {"code": code})
    except SmsDeliveryError:
        raise AccountError(_("We could not send the SMS just now. Please try again in a few minutes.")) from None
    return record


def check_totp(user: User, token: str, *, ip: str, confirmed: bool = True) -> TOTPDevice:
    throttle = Throttle.for_request("totp", account=str(user.pk), ip=ip)
    if wait := throttle.wait_seconds():
        raise _too_many_attempts(wait)
    device = TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()
    if device is None or not token.strip().isdigit() or not device.verify_token(token.strip()):
        throttle.failed()
        raise AccountError(_("This code is not correct. Use the current code of your authenticator app."))
    throttle.succeeded()
    return device


def start_totp_enrolment(user: User) -> TOTPDevice:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_totp_enrolment(user: User, token: str, *, ip: str) -> None:
    device = check_totp(user, token, ip=ip, confirmed=False)
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if user.is_member:
        user.second_factor = "totp"
        user.save(update_fields=["second_factor"])


@transaction.atomic
def choose_second_factor(user: User, factor: str) -> None:
    """Members choose SMS or none here; TOTP is chosen by confirming an enrolment."""
    if user.staff_role:
        raise AccountError(_("Staff accounts always use an authenticator app."))
    if factor == "sms" and not user.person.mobile:
        raise AccountError(_("We have no mobile number for you."))
    if factor not in {"none", "sms"}:
        raise AccountError(_("Choose one of the options."))
    TOTPDevice.objects.filter(user=user).delete()
    user.second_factor = factor
    user.save(update_fields=["second_factor"])


def change_password(user: User, current: str, new: str, confirmation: str) -> None:
    if not user.check_password(current):
        raise AccountError(_("Your current password is not correct."))
    check_new_password(user.person, new, confirmation, user=user)
    user.set_password(new)
    user.save(update_fields=["password"])


# --- restrictions (ACC-5, ACC-11) --------------------------------------------------------------------

@transaction.atomic
def restrict_access(*, person: Person, scope: str, reason: str, note: str, by: User) -> Restriction:
    if not staff_may(by, restriction_action(scope)):
        raise AccountError(_("Your role does not allow this restriction."))
    if restriction_in_force(person, scope):
        raise AccountError(_("This member already has a restriction of this kind in force."))
    restriction = Restriction.objects.create(person=person, scope=scope, reason=reason, note=note, created_by=by)
    account = getattr(person, "account", None)
    if scope == RestrictionScope.PRIVATE_AREA and account is not None:
        end_sessions_of(account)
    security_log.info("restriction %s put by user %s", restriction.public_id, by.pk)
    return restriction


@transaction.atomic
def lift_restriction(restriction: Restriction, *, note: str, by: User) -> Restriction:
    restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if not staff_may(by, restriction_action(restriction.scope)):
        raise AccountError(_("Your role does not allow this restriction."))
    if restriction.lifted_at is not None:
        raise AccountError(_("This restriction was already lifted."))
    restriction.lifted_at = timezone.now()
    restriction.lifted_by = by
    restriction.lift_note = note
    restriction.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    return restriction


# --- inactivity (ACC-6) ------------------------------------------------------------------------------

@dataclass(frozen=True)
class InactivityReport:
    warned: int
    removed: int


def inactivity_cutoffs(now: datetime) -> tuple[datetime, datetime]:
    """(last login on or before which access is removed now, last login on or before which the
    warning goes out now: the removal date is then INACTIVITY_WARNING_DAYS away or less)."""
    inactivity = relativedelta(months=settings.INACTIVITY_MONTHS)
    return now - inactivity, now + timedelta(days=settings.INACTIVITY_WARNING_DAYS) - inactivity


def apply_inactivity_rule(now: datetime | None = None) -> InactivityReport:
    """Warn members nearing 6 months without login, and remove the login access of those past it
    who were warned at least INACTIVITY_WARNING_DAYS before (a late warning postpones the removal).
    The person, their file and their history stay; they can register again."""
    now = now or timezone.now()
    removal_cutoff, warning_cutoff = inactivity_cutoffs(now)
    members = User.objects.filter(is_active=True, person__isnull=False).annotate(
        last_seen=Coalesce("last_login", "date_joined")
    )
    warned_since_last_login = Q(inactivity_warned_at__isnull=False, inactivity_warned_at__gte=F("last_seen"))
    removed = 0
    to_remove = members.filter(warned_since_last_login, last_seen__lte=removal_cutoff,
                               inactivity_warned_at__lte=now - timedelta(days=settings.INACTIVITY_WARNING_DAYS))
    for user in to_remove.iterator(chunk_size=500):
        remove_login_access(user, now)
        removed += 1
    warned = 0
    for user in members.filter(last_seen__lte=warning_cutoff).exclude(warned_since_last_login).select_related(
            "person").iterator(chunk_size=500):
        removal_date = max(user.last_seen + relativedelta(months=settings.INACTIVITY_MONTHS),
                           now + timedelta(days=settings.INACTIVITY_WARNING_DAYS))
        warned += warn_of_inactivity(user, removal_date=removal_date, now=now)
    return InactivityReport(warned=warned, removed=removed)


@transaction.atomic
def remove_login_access(user: User, now: datetime) -> None:
    end_sessions_of(user)
    TOTPDevice.objects.filter(user=user).delete()
    user.set_unusable_password()
    user.is_active = False
    user.access_removed_at = now
    user.save(update_fields=["password", "is_active", "access_removed_at"])


def warn_of_inactivity(user: User, *, removal_date: datetime, now: datetime) -> bool:
    """Tell the member, by e-mail or else SMS, the date their access goes. A delivery failure is
    logged and the member is warned again on the next run; the others are not held up."""
    person = user.person
    day = timezone.localtime(removal_date).strftime("%d/%m/%Y")

    def text():
        return _("You have not logged in to Guichet for a long time. Log in before %(date)s to keep your "
                 "access; after that date you will need to register again. Your member file is not affected.") % {
            "date": day}

    try:
        if person.email:
            email_to(person.email, person.language, lambda: (_("Your Guichet access"), text()))
        elif person.mobile:
            sms_to_person(person, text)
    except (SmsDeliveryError, OSError):
        security_log.warning("inactivity warning to user %s could not be delivered", user.pk)
        return False
    User.objects.filter(pk=user.pk).update(inactivity_warned_at=now)
    return True
