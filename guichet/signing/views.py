"""Pages of the signing app: the documents of the open file waiting for a signature or signed, a page per
document (what is signed, how to sign with the eID, the CMS upload, the test card outside production,
"verify again"), the member's lost or stolen card report and the staff one. Views read a form and call one
service; a document of someone else's file answers 404."""

import json
import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.decorators import member_required
from guichet.backoffice import access
from guichet.backoffice.decorators import staff_page
from guichet.backoffice.models import FileAccess
from guichet.mandates.decorators import actor_only, requires_action
from guichet.mandates.models import Mandate
from guichet.mandates.policy import Action
from guichet.signing import services, test_token
from guichet.signing.forms import REASONS, LostCardForm, StaffLostCardForm, UploadForm
from guichet.signing.models import LostCardReport, RequestStatus, SignatureRequest
from guichet.signing.verify import ValidationResult

MAX_SUMMARY_ITEMS = 200


def _request_of_subject(request) -> SignatureRequest | None:
    """The document `r` (query or form) of the open file; None when not named, 404 when not theirs."""
    value = request.POST.get("r") or request.GET.get("r")
    if not value:
        return None
    try:
        request_id = uuid.UUID(value)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(SignatureRequest.for_subject(request.subject).select_related("signer"),
                             public_id=request_id)


def _to_detail(document: SignatureRequest):
    return redirect(f"{reverse('signing:detail')}?r={document.public_id}")


def summary(document: SignatureRequest) -> list[tuple[str, str]]:
    """A readable view of the bytes: JSON as flattened "key: value" lines, text as it is."""
    content = bytes(document.content)
    if document.content_type.startswith("application/json"):
        try:
            data = json.loads(content)
        except ValueError:
            data = None
        if data is not None:
            lines: list[tuple[str, str]] = []
            _flatten("", data, lines)
            return lines[:MAX_SUMMARY_ITEMS]
    if document.content_type.startswith("text/"):
        return [("", content.decode("utf-8", errors="replace"))]
    return [("", _("A file of type %(type)s (%(size)s bytes).") % {"type": document.content_type,
                                                                    "size": len(content)})]


def _flatten(prefix: str, value, lines: list) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), item, lines)
    elif isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            lines.append((prefix, ", ".join("" if item is None else str(item) for item in value)))
        else:
            for index, item in enumerate(value, 1):
                _flatten(f"{prefix}[{index}]", item, lines)
    else:
        lines.append((prefix, "—" if value is None else str(value)))


@requires_action(Action.SIGN)
def signature_list(request):
    documents = SignatureRequest.for_subject(request.subject).order_by("-prepared_at")
    return render(request, "signing/list.html", {
        "pending": [d for d in documents if d.status == RequestStatus.PENDING],
        "signed": [d for d in documents if d.status == RequestStatus.SIGNED],
    })


@requires_action(Action.SIGN)
def signature_detail(request):
    document = _request_of_subject(request)
    if document is None:
        return redirect("signing:list")
    signature = getattr(document, "signature", None) if document.status == RequestStatus.SIGNED else None
    return render(request, "signing/detail.html", {
        "document": document,
        "signature": signature,
        "validation": ValidationResult.from_json(signature.validation) if signature else None,
        "summary": summary(document),
        "form": UploadForm(),
        "test_card": test_token.allowed() and request.subject == request.actor,
        "refusals": document.refusals.order_by("-at")[:5],
    })


@requires_action(Action.SIGN)
def signature_content(request):
    """The exact bytes to sign (what guichet-sign and the browser extension sign)."""
    document = _request_of_subject(request)
    if document is None:
        return redirect("signing:list")
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.public_id}.bin"'
    response["X-Content-SHA256"] = document.content_sha256
    return response


def _submit(request, document, cms: bytes):
    try:
        services.submit_signature(document, cms, actor=request.actor)
    except services.SigningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your signature is verified and kept."))
    return _to_detail(document)


@requires_action(Action.SIGN)
def upload(request):
    document = _request_of_subject(request)
    if document is None or request.method != "POST":
        return _to_detail(document) if document else redirect("signing:list")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the signature file (CMS, .p7s) to send."))
        return _to_detail(document)
    upload_file = form.cleaned_data["cms"]
    if upload_file.size > services.MAX_CMS_BYTES:
        messages.error(request, services.message_for("not_cms"))
        return _to_detail(document)
    return _submit(request, document, upload_file.read())


@requires_action(Action.SIGN)
def sign_with_test_card(request):
    """Outside production: the software test card signs, and the CMS goes through the same verification."""
    document = _request_of_subject(request)
    if document is None or request.method != "POST":
        return _to_detail(document) if document else redirect("signing:list")
    if request.subject != request.actor:  # a card is personal: an agent cannot use the signer's
        raise Http404
    try:
        cms = test_token.sign(bytes(document.content), document.signer)
    except services.SigningError as error:
        messages.error(request, error.message)
        return _to_detail(document)
    return _submit(request, document, cms)


@requires_action(Action.SIGN)
def verify_again(request):
    document = _request_of_subject(request)
    if document is None or request.method != "POST":
        return _to_detail(document) if document else redirect("signing:list")
    signature = getattr(document, "signature", None)
    if document.status != RequestStatus.SIGNED or signature is None:
        raise Http404
    result = services.reverify(signature)
    return render(request, "signing/verified.html", {"document": document, "signature": signature,
                                                     "result": result})


@actor_only(Action.MANAGE_MANDATES)
@member_required
def sign_mandate(request, mandate_id):
    if request.method != "POST":
        return redirect("mandates:detail", mandate_id=mandate_id)
    mandate = get_object_or_404(Mandate.objects.select_related("grantor", "agent"), public_id=mandate_id,
                                grantor=request.actor)
    try:
        document = services.prepare_mandate(request.actor, mandate)
    except services.SigningError as error:
        messages.error(request, error.message)
        return redirect("mandates:detail", mandate_id=mandate.public_id)
    if request.subject != request.actor:
        messages.info(request, _("Switch back to your own file to sign."))
    return _to_detail(document)


def _reason(form) -> str:
    labels = dict(REASONS)
    text = str(labels[form.cleaned_data["what"]])
    if form.cleaned_data.get("police_reported"):
        text += " — " + _("reported to the police")
    if form.cleaned_data.get("details"):
        text += " — " + form.cleaned_data["details"]
    return text


@actor_only(Action.MANAGE_ACCOUNT)
@member_required
def lost_card(request):
    """SIGN-5: the member reports their own card; from now on its certificates are refused."""
    form = LostCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_lost_card(request.actor, by=request.actor, reason=_reason(form), channel="account")
        except services.SigningError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your report is recorded: signatures with this card are refused from now "
                                        "on. A new card's signature certificate works as soon as you have it."))
            return redirect("signing:lost-card")
    reports = LostCardReport.objects.filter(person=request.actor).order_by("-reported_at")
    return render(request, "signing/lost_card.html", {"form": form, "reports": reports})


@staff_page("open_file")
def staff_lost_card(request):
    """A member tells the mutual by phone or at the counter: staff record it on a file they opened."""
    accesses = list(FileAccess.objects.filter(staff=request.user).current().select_related("person")
                    .order_by("-opened_at"))
    form = StaffLostCardForm(request.POST or None, accesses=accesses)
    if request.method == "POST" and form.is_valid():
        try:
            opened = access.current_access(request.user, form.cleaned_data["access"])
            at = form.cleaned_data.get("at")
            if at is not None and timezone.is_naive(at):
                at = timezone.make_aware(at)
            services.report_lost_card(opened.person, by=request.user, reason=_reason(form), at=at,
                                      channel=form.cleaned_data["channel"])
        except access.AccessRefused as refusal:
            form.add_error("access", refusal.message)
        except services.SigningError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The report is recorded: the member's current certificates are refused."))
            return redirect("signing:staff-lost-card")
    return render(request, "signing/staff_lost_card.html", {"form": form, "accesses": accesses})
