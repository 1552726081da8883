"""Account pages. Each view reads its form, calls one service and shows the outcome; no rule lives here."""

import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts import services
from guichet.accounts.decorators import mark_reauthenticated, require_sudo
from guichet.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    FindMemberForm,
    IdentifyForm,
    LiftForm,
    LoginForm,
    NewPasswordForm,
    PasswordOnlyForm,
    RegistrationPasswordForm,
    RestrictionForm,
    SecondFactorChoiceForm,
)
from guichet.accounts.middleware import start_session_clock
from guichet.accounts.models import CodePurpose, Restriction, SecondFactor, User
from guichet.accounts.policy import staff_may
from guichet.accounts.sessions import end_sessions_of
from guichet.mandates.decorators import actor_only
from guichet.mandates.policy import Action
from guichet.members.models import Person
from guichet.terms.services import accept_current_terms
from guichet.traffic.ip import client_ip

PENDING_LOGIN = "pending_login"
PREVIOUS_LOGIN = "previous_login"
PENDING_LOGIN_SECONDS = 300
FLOWS = {"register": CodePurpose.REGISTRATION, "reset": CodePurpose.PASSWORD_RESET}


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


# --- registration and password reset: identify, code, password -------------------------------------

@login_not_required
def identify(request, flow: str):
    purpose = FLOWS[flow]
    form = IdentifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.identify_member(
                form.cleaned_data["national_number"], form.cleaned_data["member_number"], purpose,
                ip=client_ip(request),
            )
        except services.AccountError as error:
            form.add_error(None, error.message)
        else:
            request.session[f"{flow}_attempt"] = str(record.attempt)
            request.session.pop(f"{flow}_person", None)
            return redirect("accounts:code", flow=flow)
    return render(request, "accounts/identify.html", {"form": form, "flow": flow})


@login_not_required
def enter_code(request, flow: str):
    purpose = FLOWS[flow]
    attempt = request.session.get(f"{flow}_attempt")
    if attempt is None:
        return redirect("accounts:identify", flow=flow)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.confirm_code(attempt, purpose, form.cleaned_data["code"], ip=client_ip(request))
        except services.AccountError as error:
            form.add_error("code", error.message)
        else:
            del request.session[f"{flow}_attempt"]
            request.session[f"{flow}_person"] = {"id": person.pk, "at": time.time()}
            return redirect("accounts:password", flow=flow)
    return render(request, "accounts/code.html", {"form": form, "flow": flow})


@login_not_required
def choose_password(request, flow: str):
    verified = request.session.get(f"{flow}_person")
    if not verified or time.time() - verified["at"] > settings.OTP_CODE_TTL_SECONDS:
        return redirect("accounts:identify", flow=flow)
    person = get_object_or_404(Person, pk=verified["id"])
    form_class = RegistrationPasswordForm if flow == "register" else NewPasswordForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_new_password(person, form.cleaned_data["password"], form.cleaned_data["confirmation"])
        except services.AccountError as error:
            form.add_error("password", error.message)
        else:
            services.set_member_password(person, form.cleaned_data["password"])
            if flow == "register":
                accept_current_terms(person, channel="registration")
            del request.session[f"{flow}_person"]
            messages.success(request, _("Your password is set. You can log in now.") if flow == "register"
                             else _("Your new password is set. All your other sessions were ended."))
            return redirect("accounts:login")
    return render(request, "accounts/password.html", {"form": form, "flow": flow})


# --- login, second factor, logout ---------------------------------------------------------------------

@login_not_required
def login_view(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.log_in_with_password(
                request, form.cleaned_data["login"], form.cleaned_data["password"], ip=client_ip(request)
            )
        except services.AccountError as error:
            form.add_error(None, error.message)
        else:
            return _after_password(request, user)
    expired = request.GET.get("expired")
    return render(request, "accounts/login.html", {
        "form": form, "expired": expired if expired in {"idle", "max"} else None,
        "next": request.GET.get("next", ""),
    })


def _after_password(request, user: User):
    next_url = _safe_next(request, settings.LOGIN_REDIRECT_URL)
    if user.staff_role and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        factor = "enrol"
    elif user.requires_totp:
        factor = "totp"
    elif user.second_factor == SecondFactor.SMS:
        factor = "sms"
    else:
        return _finish_login(request, user, next_url)
    pending = {"user": user.pk, "at": time.time(), "factor": factor, "next": next_url}
    if factor == "sms":
        try:
            pending["attempt"] = str(services.send_login_code(user).attempt)
        except services.AccountError as error:
            messages.error(request, error.message)
            return redirect("accounts:login")
    request.session[PENDING_LOGIN] = pending
    return redirect("accounts:second-factor")


def _finish_login(request, user: User, next_url: str):
    try:
        services.check_may_log_in(user)  # a restriction may have come between the two steps
    except services.AccountError as error:
        request.session.pop(PENDING_LOGIN, None)
        messages.error(request, error.message)
        return redirect("accounts:login")
    previous_login = user.last_login
    login(request, user, backend="guichet.accounts.backends.AccountBackend")
    start_session_clock(request)
    mark_reauthenticated(request)
    request.session[PREVIOUS_LOGIN] = previous_login.isoformat() if previous_login else None
    response = redirect(next_url)
    if user.person_id:
        _apply_member_language(request, user.person, response)
    return response


def _apply_member_language(request, person, response) -> None:
    """A language chosen on the site before logging in wins and becomes the member's (ACC-8);
    otherwise the member's own language opens."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES) and chosen != person.language:
        person.language = chosen
        person.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, person.language, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


def _pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING_LOGIN)
    if not pending or time.time() - pending["at"] > PENDING_LOGIN_SECONDS:
        return None, {}
    return User.objects.select_related("person").filter(pk=pending["user"], is_active=True).first(), pending


@login_not_required
def second_factor(request):
    user, pending = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    ip = client_ip(request)
    context = {"factor": pending["factor"]}
    if pending["factor"] == "enrol":
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
        if device is None or request.method == "GET":
            device = services.start_totp_enrolment(user)
        context.update(_enrolment_context(device))
    form = CodeForm(request.POST or None)
    if pending["factor"] != "sms":
        form.fields["code"].label = _("Code shown by your authenticator app")
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if pending["factor"] == "sms":
                services.confirm_code(pending["attempt"], CodePurpose.LOGIN, code, ip=ip)
            elif pending["factor"] == "totp":
                services.check_totp(user, code, ip=ip)
            else:
                services.confirm_totp_enrolment(user, code, ip=ip)
        except services.AccountError as error:
            form.add_error("code", error.message)
        else:
            return _finish_login(request, user, pending["next"])
    context["form"] = form
    return render(request, "accounts/second_factor.html", context)


def _enrolment_context(device: TOTPDevice) -> dict:
    return {
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code to scan")),
        "secret": base64.b32encode(device.bin_key).decode(),
    }


@login_not_required
@require_POST
def logout_view(request):
    """Logging out ends this session and every other session of the account (ACC-7)."""
    if request.user.is_authenticated:
        end_sessions_of(request.user)
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("pages:home")


# --- security settings --------------------------------------------------------------------------------

@actor_only(Action.MANAGE_ACCOUNT)  # the login account of the actor, whatever file is open
def security(request):
    factor_form = SecondFactorChoiceForm(request.POST or None, initial={"factor": request.user.second_factor})
    if request.method == "POST":
        return _change_factor(request, factor_form)
    return render(request, "accounts/security.html", {"factor_form": factor_form})


@require_sudo
def _change_factor(request, form):
    if form.is_valid():
        try:
            services.choose_second_factor(request.user, form.cleaned_data["factor"])
        except services.AccountError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your login settings are saved."))
    return redirect("accounts:security")


@actor_only(Action.MANAGE_ACCOUNT)
@require_sudo
def totp_setup(request):
    if request.method == "GET":
        device = services.start_totp_enrolment(request.user)
    else:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-id").first()
        if device is None:
            return redirect("accounts:totp-setup")
    form = CodeForm(request.POST or None)
    form.fields["code"].label = _("Code shown by your authenticator app")
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_totp_enrolment(request.user, form.cleaned_data["code"], ip=client_ip(request))
        except services.AccountError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, _("Your authenticator app is now asked at each login."))
            return redirect("accounts:security")
    return render(request, "accounts/totp_setup.html", {"form": form, **_enrolment_context(device)})


@actor_only(Action.MANAGE_ACCOUNT)
def change_password(request):
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                request.user, form.cleaned_data["current"], form.cleaned_data["password"],
                form.cleaned_data["confirmation"],
            )
        except services.AccountError as error:
            form.add_error(None, error.message)
        else:
            update_session_auth_hash(request, request.user)
            end_sessions_of(request.user, keep=request.session.session_key)
            messages.success(request, _("Your password is changed. Your other sessions were ended."))
            return redirect("accounts:security")
    return render(request, "accounts/change_password.html", {"form": form})


@actor_only(Action.MANAGE_ACCOUNT)
def reauthenticate(request):
    form = PasswordOnlyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_in_with_password(
                request, request.user.get_username(), form.cleaned_data["password"], ip=client_ip(request)
            )
        except services.AccountError as error:
            form.add_error("password", error.message)
        else:
            mark_reauthenticated(request)
            return redirect(_safe_next(request, "accounts:security"))
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": request.GET.get("next", "")})


# --- staff: restrictions (ACC-5, ACC-11) -----------------------------------------------------------------

def _may_restrict(user) -> bool:
    return staff_may(user, "restrict_private_area") or staff_may(user, "restrict_interactive")


def restrictions(request):
    if not _may_restrict(request.user):
        raise Http404
    form = FindMemberForm(request.GET or None)
    person = None
    if form.is_valid():
        person = Person.objects.filter(member_number=form.cleaned_data["member_number"].strip()).first()
        if person is None:
            form.add_error("member_number", _("No member has this membership number."))
    recent = Restriction.objects.select_related("person", "created_by", "lifted_by")[:50]
    return render(request, "accounts/staff_restrictions.html", {
        "form": form, "person": person, "recent": recent,
        "person_restrictions": person.restrictions.all() if person else [],
        "restriction_form": RestrictionForm() if person else None,
    })


@require_POST
def restrict(request, person_id):
    if not _may_restrict(request.user):
        raise Http404
    person = get_object_or_404(Person, public_id=person_id)
    form = RestrictionForm(request.POST)
    if form.is_valid():
        try:
            services.restrict_access(person=person, by=request.user, **form.cleaned_data)
        except services.AccountError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The restriction is in force."))
    else:
        messages.error(request, _("Choose what to limit and a reason from the list."))
    return redirect(f"{reverse('accounts:restrictions')}?member_number={person.member_number}")


def lift(request, restriction_id):
    if not _may_restrict(request.user):
        raise Http404
    restriction = get_object_or_404(Restriction.objects.select_related("person"), public_id=restriction_id)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lift_restriction(restriction, note=form.cleaned_data["note"], by=request.user)
        except services.AccountError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The restriction is lifted."))
        return redirect(f"{reverse('accounts:restrictions')}?member_number={restriction.person.member_number}")
    return render(request, "accounts/staff_lift.html", {"form": form, "restriction": restriction})

