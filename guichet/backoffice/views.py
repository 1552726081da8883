"""Back-office pages, the member's "Who saw my file" page and the public list of who processes health
data. Each view binds a form and calls one service; objects the user may not see answer 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.decorators import member_required
from guichet.accounts.models import StaffRole, User
from guichet.backoffice import access, confidentiality, policy, services
from guichet.backoffice.decorators import any_staff, staff_page
from guichet.backoffice.forms import (
    AcknowledgeForm,
    DecisionForm,
    DelegationForm,
    DisclosureRequestForm,
    FindPersonForm,
    OpenFileForm,
)
from guichet.backoffice.models import Delegation, DisclosureRequest, DisclosureStatus, FileAccess
from guichet.backoffice.roles import ROLES, HealthData
from guichet.mandates.decorators import requires_action
from guichet.mandates.policy import Action
from guichet.members.models import Person
from guichet.privacy.register import TRANSFER_GROUNDS, load_register, text


def _purpose_title(key: str) -> str:
    try:
        context, purpose = load_register().purpose(key)
    except KeyError:
        return key
    return f"{text(purpose.title)} ({text(context.title)})"


def _posted(request):
    """The form data of a POST (even an empty one, so that it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


def _refused(request, message: str):
    """The page of a refused file access: a clear message, and the status of a page that does not exist."""
    return render(request, "backoffice/refused.html", {"message": message}, status=404)


# --- confidentiality (ACL-2) ---------------------------------------------------------------------------


@any_staff
def acknowledge_confidentiality(request):
    shown = confidentiality.current_text()
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("backoffice:desk")
    form = AcknowledgeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        confidentiality.acknowledge(request.user, shown_text=shown, session=request.session)
        return redirect(target)
    return render(
        request,
        "backoffice/confidentiality.html",
        {
            "form": form,
            "text": shown,
            "version": confidentiality.current_version(),
            "next": target,
            "done": confidentiality.has_acknowledged_current(request.user),
        },
    )


# --- members' files (ACL-1, ACL-3, ACL-5, SEC-2) -------------------------------------------------------


@staff_page("open_file")
def desk(request):
    form = FindPersonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        person = services.find_person(form.cleaned_data["number"])
        if person is not None:
            return redirect("backoffice:open-file", person_id=person.public_id)
        form.add_error("number", _("No member has this national register number or membership number."))
    open_now = (
        FileAccess.objects.current()
        .filter(staff=request.user)
        .select_related("person")
        .order_by("-opened_at")[:20]
    )
    return render(
        request,
        "backoffice/desk.html",
        {
            "form": form,
            "open_now": open_now,
            "may_delegate": policy.staff_may(request.user, "grant_delegation"),
            "may_disclose": policy.staff_may(request.user, "receive_disclosure_request"),
        },
    )


@staff_page("open_file")
def open_file(request, person_id):
    person = Person.objects.filter(public_id=person_id).first()
    if person is None:
        access.record_refusal(request.user, "unknown_file", reference=str(person_id))
        return _refused(request, _("There is no member file with this reference."))
    purposes = [(key, _purpose_title(key)) for key in policy.purposes_of(request.user.staff_role)]
    form = OpenFileForm(_posted(request), purposes=purposes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        check = (
            access.IdentityCheck(
                data["identity_method"], data["national_number"], data["member_number"], data["birth_date"]
            )
            if data["identity_method"]
            else None
        )
        try:
            opened = access.open_file(
                request.user,
                person,
                purpose_key=data["purpose"],
                reason=access.Reason(data["reason_kind"], data["reason_reference"]),
                identity_check=check,
            )
        except access.AccessRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("backoffice:file", access_id=opened.public_id)
    return render(request, "backoffice/open_file.html", {"form": form, "person": person})


@staff_page("open_file")
def file_page(request, access_id):
    try:
        opened = access.current_access(request.user, access_id)
    except access.AccessRefused as refusal:
        if refusal.code == "forged_access":
            return _refused(request, refusal.message)
        messages.warning(request, refusal.message)
        person_id = (
            FileAccess.objects.filter(public_id=access_id).values_list("person__public_id", flat=True).first()
        )
        return redirect("backoffice:open-file", person_id=person_id)
    return render(
        request,
        "backoffice/file.html",
        {
            "view": access.file_view(opened),
            "access": opened,
            "purpose_title": _purpose_title(opened.purpose),
        },
    )


# --- health-data delegations (ACL-3) -------------------------------------------------------------------


@staff_page("grant_delegation")
def delegations(request):
    register = load_register()
    delegates = User.objects.filter(
        is_active=True, staff_role__in=[role for role in ROLES if policy.may_receive_delegation(role)]
    ).order_by("display_name", "username")
    scopes = [(key, text(register.context(key).title)) for key in services.health_contexts()]
    form = DelegationForm(_posted(request), delegates=delegates, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_delegation(
                request.user, data["delegate"], scope=data["scope"], expires_at=data["expires_at"]
            )
        except services.BackofficeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The delegation is granted."))
            return redirect("backoffice:delegations")
    granted = Delegation.objects.filter(physician=request.user).select_related("delegate")
    return render(
        request, "backoffice/delegations.html", {"form": form, "granted": granted, "now": timezone.now()}
    )


@require_POST
@staff_page("grant_delegation")
def revoke_delegation(request, delegation_id):
    delegation = get_object_or_404(Delegation, public_id=delegation_id, physician=request.user)
    try:
        services.revoke_delegation(request.user, delegation)
    except services.BackofficeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delegation is revoked."))
    return redirect("backoffice:delegations")


# --- disclosures (DISC-1..3) ---------------------------------------------------------------------------


def _category_choices(context_key: str | None = None) -> list[tuple[str, str]]:
    register = load_register()
    choices: dict[str, str] = {}
    for context in register.contexts:
        if context_key is None or context.key == context_key:
            for category in context.data_categories:
                choices.setdefault(category.key, text(category.title))
    return list(choices.items())


@staff_page("receive_disclosure_request")
def disclosures(request):
    requests = DisclosureRequest.objects.select_related("person").order_by("-received_at")[:100]
    return render(request, "backoffice/disclosures.html", {"requests": requests})


@staff_page("receive_disclosure_request")
def new_disclosure(request):
    register = load_register()
    titles = {item.key: text(item.title) for item in register.notice["third_party_requests"].items}
    recipients: dict[str, str] = {}
    for context in register.contexts:
        for recipient in context.recipients:
            recipients.setdefault(recipient.key, text(recipient.title))
    form = DisclosureRequestForm(
        _posted(request),
        recipients=list(recipients.items()) + [("other", _("another third party"))],
        contexts=[(context.key, text(context.title)) for context in register.contexts],
        grounds=[(key, titles[key]) for key in services.disclosure_grounds()],
        transfer_grounds=[(key, key.replace("_", " ")) for key in TRANSFER_GROUNDS],
        categories=_category_choices(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            received = services.receive_disclosure_request(
                received_by=request.user,
                requester_name=data["requester_name"],
                requester_organisation=data["requester_organisation"],
                recipient=data["recipient"],
                processor=data["processor"],
                country=data["country"],
                context=data["context"],
                ground=data["ground"],
                transfer_ground=data["transfer_ground"],
                categories=data["categories"],
                person=services.find_person(data["person_number"]),
            )
        except services.BackofficeError as error:
            form.add_error(
                error.field
                if error.field in form.fields
                else "person_number"
                if error.field == "person"
                else None,
                error.message,
            )
        else:
            if received.status == DisclosureStatus.REFUSED_BY_RULE:
                messages.warning(
                    request,
                    _("The request is refused by the rules: %(reason)s") % {"reason": received.reason},
                )
            else:
                messages.success(
                    request, _("The request is recorded; the data protection office will decide.")
                )
            return redirect("backoffice:disclosure", request_id=received.public_id)
    return render(request, "backoffice/disclosure_new.html", {"form": form})


@staff_page("receive_disclosure_request")
def disclosure(request, request_id):
    asked = get_object_or_404(
        DisclosureRequest.objects.select_related("person", "received_by", "decided_by"), public_id=request_id
    )
    may_decide = (
        policy.staff_may(request.user, "decide_disclosure") and asked.status == DisclosureStatus.PENDING
    )
    categories = [(key, title) for key, title in _category_choices(asked.context) if key in asked.categories]
    form = DecisionForm(_posted(request), categories=categories, initial={"categories": asked.categories})
    if request.method == "POST":
        if not may_decide:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.decide_disclosure(
                    asked,
                    by=request.user,
                    grant=data["decision"] == "grant",
                    reason=data["reason"],
                    categories=data["categories"] or None,
                )
            except services.BackofficeError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The decision is recorded."))
                return redirect("backoffice:disclosure", request_id=asked.public_id)
    titles = dict(_category_choices(asked.context))
    return render(
        request,
        "backoffice/disclosure.html",
        {
            "asked": asked,
            "form": form if may_decide else None,
            "asked_titles": [titles.get(key, key) for key in asked.categories],
            "sent_titles": [titles.get(key, key) for key in asked.sent_categories],
        },
    )


# --- the member's side (ACL-6) and the public list (ACL-4) ---------------------------------------------


@requires_action(Action.VIEW_MY_DATA)
@member_required
def my_file_access(request):
    """Who opened my file: date, role and purpose, never the staff member's name (docs/architecture.md)."""
    openings = FileAccess.objects.for_subject(request.subject).shown_to_subject().order_by("-opened_at")[:200]
    labels = dict(StaffRole.choices)
    rows = [
        {
            "opened_at": opening.opened_at,
            "role": labels.get(opening.role, opening.role),
            "purpose": _purpose_title(opening.purpose),
        }
        for opening in openings
    ]
    return render(request, "backoffice/my_file_access.html", {"rows": rows})


@login_not_required
def health_data_staff(request):
    """ACL-4: the categories of people who process health data, generated from the roles table."""
    labels = dict(StaffRole.choices)
    rows = [
        {
            "role": labels.get(role, role),
            "description": spec.description,
            "delegated": spec.health_data == HealthData.DELEGATED,
            "purposes": [_purpose_title(key) for key in spec.purposes],
        }
        for role, spec in ROLES.items()
        if spec.health_data != HealthData.NEVER
    ]
    register = load_register()
    processors = [
        {"title": text(processor.title), "task": text(processor.task), "context": text(context.title)}
        for context in register.contexts
        for processor in context.processors
        if any(getattr(context.category(key), "medical", False) for key in processor.data_categories)
    ]
    return render(request, "backoffice/health_data_staff.html", {"rows": rows, "processors": processors})
