"""The member's "My data" pages (DSR-2, DSR-6): what the registry holds about them and why, and the
self-service changes of address, e-mail and mobile. Views read a form and call one service."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from guichet.accounts.decorators import member_required, require_sudo
from guichet.mandates.decorators import requires_action
from guichet.mandates.policy import Action, decide
from guichet.members import services
from guichet.members.forms import AddressForm, ContactCodeForm, EmailChangeForm, MobileChangeForm
from guichet.members.models import ContactKind
from guichet.traffic.ip import client_ip

PENDING = "contact_change"  # session: {kind: {"change": public id, "attempt": code attempt}}
FORMS = {ContactKind.EMAIL: EmailChangeForm, ContactKind.MOBILE: MobileChangeForm}


@requires_action(Action.VIEW_MY_DATA)
@member_required
def my_data(request):
    return render(request, "members/my_data.html", {
        "data": services.my_data(request.subject),
        "may_change_login_contact": decide(request.actor, request.subject, Action.CHANGE_LOGIN_CONTACT).allowed,
    })


@requires_action(Action.CHANGE_CONTACT_DATA)
@member_required
@require_sudo
def change_address(request):
    current = services.current_address(request.subject)
    initial = (
        {name: getattr(current, name) for name in ("street", "number", "box", "postcode", "city", "country")}
        if current
        else {"country": "BE"}
    )
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.check_address(**form.cleaned_data)
            services.change_address(request.subject, new, by_person=request.actor)
        except services.RegistryError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Your new address is recorded."))
            return redirect("members:my-data")
    return render(request, "members/change_address.html", {"form": form, "current": current})


@requires_action(Action.CHANGE_LOGIN_CONTACT)
@member_required
@require_sudo
def change_contact(request, kind: str):
    form = FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.request_contact_change(
                request.subject, kind, form.cleaned_data["value"], by_person=request.actor
            )
        except services.RegistryError as error:
            form.add_error(error.field, error.message)
        else:
            pending = request.session.get(PENDING, {})
            pending[kind] = {"change": str(change.public_id), "attempt": str(change.attempt)}
            request.session[PENDING] = pending
            return redirect(f"members:verify-{kind}")
    return render(request, "members/change_contact.html", {"form": form, "kind": kind})


@requires_action(Action.CHANGE_LOGIN_CONTACT)
@member_required
@require_sudo
def verify_contact(request, kind: str):
    attempt = request.session.get(PENDING, {}).get(kind)
    if attempt is None:
        return redirect(f"members:change-{kind}")
    change = services.pending_changes(request.subject).get(kind)
    form = ContactCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_contact_change(
                request.subject,
                attempt["change"],
                attempt["attempt"],
                form.cleaned_data["code"],
                ip=client_ip(request),
            )
        except services.RegistryError as error:
            form.add_error("code", error.message)
        else:
            pending = request.session.get(PENDING, {})
            pending.pop(kind, None)
            request.session[PENDING] = pending
            messages.success(
                request,
                _("Your new e-mail address is verified and now in use.")
                if kind == "email"
                else _("Your new mobile number is verified and now in use."),
            )
            return redirect("members:my-data")
    return render(
        request,
        "members/verify_contact.html",
        {"form": form, "kind": kind, "change": change, "minutes": services.code_ttl_minutes()},
    )
