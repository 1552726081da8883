"""Pages of the rights of the person: "My requests" (the open file's, DSR-12), the public form with the ID copy
(DSR-13), and the DPO office's queue and request page (DSR-15, DSR-16)."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.decorators import member_required
from guichet.accounts.throttle import Throttle
from guichet.backoffice.decorators import staff_page
from guichet.backoffice.policy import staff_may
from guichet.mandates.decorators import requires_action
from guichet.mandates.policy import Action
from guichet.members import nrn
from guichet.members.models import Person
from guichet.privacy.register import load_register, text
from guichet.rights import services
from guichet.rights.forms import (
    AnswerForm,
    ExtendForm,
    PublicRequestForm,
    RefuseForm,
    RegisterRequestForm,
    RequestForm,
    VerifyForm,
)
from guichet.rights.models import RequestChannel, RightsRequest
from guichet.rights.review import decision_choices
from guichet.traffic.ip import client_ip

SENT_REFERENCE = "rights_request_sent"


def _field_error(form, error: services.RightsError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _register_texts(language: str) -> dict:
    rights = load_register().rights
    return {"identity_check": text(rights.identity_check.text, language),
            "deadline": text(rights.deadline.text, language),
            "answer_format": text(rights.answer_format.text, language)}


# --- the member's pages (request.subject: whose file is open) ----------------------------------------------

@requires_action(Action.REQUEST_DATA_ACCESS)
@member_required
def my_requests(request):
    return render(request, "rights/my_requests.html", {
        "requests": services.requests_of(request.subject), "subject": request.subject})


@requires_action(Action.REQUEST_DATA_ACCESS)
@member_required
def new_request(request):
    form = RequestForm(request.POST or None, decisions=decision_choices(request.subject),
                       initial={"kind": request.GET.get("kind", "access")})
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.file_request(channel=RequestChannel.ACCOUNT, person=request.subject,
                                          filed_by=request.actor, **form.request_input())
        except services.RightsError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Your request is recorded: reference %(reference)s.")
                             % {"reference": filed.reference})
            return redirect(f"{reverse('rights:my-request')}?r={filed.public_id}")
    return render(request, "rights/new_request.html", {
        "form": form, "texts": _register_texts(request.LANGUAGE_CODE)})


@requires_action(Action.REQUEST_DATA_ACCESS)
@member_required
def my_request(request):
    raw = request.GET.get("r")
    if not raw:
        return redirect("rights:my-requests")
    try:
        public_id = uuid.UUID(raw)
    except ValueError:
        raise Http404 from None
    # Only a request of the open file: anyone else's answers 404, as if it did not exist.
    found = get_object_or_404(RightsRequest, public_id=public_id, person=request.subject)
    return render(request, "rights/my_request.html", {"item": found})


# --- the public form (DSR-13) ------------------------------------------------------------------------------

@login_not_required
def public_request(request):
    if request.user.is_authenticated:  # members use their account; staff register requests in the back office
        return redirect("rights:new-request" if request.actor is not None else "rights:queue")
    form = PublicRequestForm(request.POST or None, request.FILES or None)
    throttle = Throttle("rights-request", (f"ip:{client_ip(request)}",))
    if request.method == "POST" and (wait := throttle.wait_seconds()):
        form.is_valid()
        form.add_error(None, _("Too many requests from your connection. Try again in %(seconds)d seconds.")
                       % {"seconds": wait})
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        throttle.failed()  # every request counts: a few are free, then the wait grows (as the DPO form)
        try:
            filed = services.file_request(
                channel=RequestChannel.WEBSITE, requester_name=data["requester_name"],
                requester_email=data["requester_email"], national_number=data["national_number"],
                id_front=data.get("id_front"), id_back=data.get("id_back"), language=request.LANGUAGE_CODE,
                **form.request_input())
        except services.RightsError as error:
            _field_error(form, error)
        else:
            request.session[SENT_REFERENCE] = filed.reference
            return redirect("rights:public-request-sent")
    return render(request, "rights/public_request.html", {
        "form": form, "texts": _register_texts(request.LANGUAGE_CODE)}, status=400 if form.errors else 200)


@login_not_required
def public_request_sent(request):
    reference = request.session.get(SENT_REFERENCE)
    if reference is None:
        return redirect("rights:public-request")
    return render(request, "rights/public_request_sent.html", {"reference": reference})


# --- the DPO office (staff) --------------------------------------------------------------------------------

@staff_page("register_rights_request")
def queue(request):
    rows, counters = services.queue()
    return render(request, "rights/queue.html", {
        "rows": rows, "counters": counters, "today": timezone.localdate(),
        "may_handle": staff_may(request.user, "handle_rights_requests")})


@staff_page("handle_rights_requests")
def staff_request(request, request_id):
    found = get_object_or_404(RightsRequest.objects.select_related("person"), public_id=request_id)
    return render(request, "rights/staff_request.html", {
        "item": found, "extend_form": ExtendForm(), "answer_form": AnswerForm(), "refuse_form": RefuseForm(),
        "verify_form": VerifyForm(), "letters": found.letters.order_by("-created_at")})


def _staff_step(request, request_id, form_class, step):
    found = get_object_or_404(RightsRequest, public_id=request_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            step(found, form.cleaned_data)
        except services.RightsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Done."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("rights:staff-request", request_id=found.public_id)


@require_POST
@staff_page("handle_rights_requests")
def verify(request, request_id):
    def step(found, data):
        person = None
        if data.get("national_number"):
            try:
                person = Person.objects.filter(national_number=nrn.normalise(data["national_number"])).first()
            except nrn.InvalidNationalNumber:
                raise services.RightsError(_("This national register number is not valid.")) from None
        services.verify_identity(found, staff=request.user, person=person)

    return _staff_step(request, request_id, VerifyForm, step)


@require_POST
@staff_page("handle_rights_requests")
def extend(request, request_id):
    return _staff_step(request, request_id, ExtendForm,
                       lambda found, data: services.extend(found, staff=request.user, reason=data["reason"]))


@require_POST
@staff_page("handle_rights_requests")
def answer(request, request_id):
    return _staff_step(request, request_id, AnswerForm, lambda found, data: services.answer(
        found, staff=request.user, note=data.get("note", ""), confirm_on=data.get("confirm_on")))


@require_POST
@staff_page("handle_rights_requests")
def refuse(request, request_id):
    return _staff_step(request, request_id, RefuseForm, lambda found, data: services.refuse(
        found, staff=request.user, reason=data["reason"], compelling_grounds=data.get("compelling_grounds", "")))


@staff_page("handle_rights_requests")
def id_copy(request, request_id, side):
    found = get_object_or_404(RightsRequest, public_id=request_id)
    stored = {"front": found.id_front, "back": found.id_back}.get(side)
    if not stored:
        raise Http404
    return FileResponse(services.id_copy_file(stored), as_attachment=True,
                        filename=f"{found.reference}-{side}{stored[stored.rfind('.'):]}")


@staff_page("register_rights_request")
def register_request(request):
    form = RegisterRequestForm(request.POST or None, request.FILES or None,
                               initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        try:
            person = Person.objects.filter(national_number=nrn.normalise(data["national_number"])).first()
        except nrn.InvalidNationalNumber:
            form.add_error("national_number", _("This national register number is not valid."))
        if person is None and not form.errors:
            form.add_error("national_number", _("No member has this national register number."))
        if data["received_on"] > timezone.localdate():
            form.add_error("received_on", _("The date of receipt cannot be in the future."))
        if not form.errors:
            # Received that day (start of the day; today: now), so the deadline runs from the day of receipt.
            received = min(timezone.make_aware(datetime.datetime.combine(data["received_on"], datetime.time.min)),
                           timezone.now())
            try:
                filed = services.file_request(
                    channel=data["channel"], person=person, registered_by=request.user, received_at=received,
                    letter_dated_on=data.get("letter_dated_on"), letter_signed=data.get("letter_signed", False),
                    id_front=data.get("id_front"), id_back=data.get("id_back"),
                    electronic_answer=data.get("electronic_answer", False), **form.request_input())
            except services.RightsError as error:
                _field_error(form, error)
            else:
                messages.success(request, _("Request %(reference)s registered.") % {"reference": filed.reference})
                if staff_may(request.user, "handle_rights_requests"):
                    return redirect("rights:staff-request", request_id=filed.public_id)
                return redirect("rights:queue")
    return render(request, "rights/register_request.html", {"form": form})
