"""e-Box pages: the inbox (EBOX-1, EBOX-5), the download served as an attachment that marks the document
read, the read/unread switch, the seal check, the e-Box setting (EBOX-3) and the staff issue page."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from guichet.accounts.decorators import member_required
from guichet.backoffice import access
from guichet.backoffice.decorators import staff_page
from guichet.ebox import services, types
from guichet.ebox.errors import EboxError, UploadRefused
from guichet.ebox.forms import CheckForm, EboxSettingForm, IssueForm, SearchForm
from guichet.ebox.models import Document
from guichet.ebox.seal import verify_seal
from guichet.ebox.uploads import sniff
from guichet.mandates.decorators import requires_action
from guichet.mandates.policy import Action


def _document(request) -> Document | None:
    """The document named by `document` (query or form), None when none is named; 404 when it is not in
    the open file's e-Box (another person's document answers exactly like one that does not exist)."""
    raw = (request.POST if request.method == "POST" else request.GET).get("document", "")
    if not raw:
        return None
    try:
        return services.document_for(request.subject, uuid.UUID(raw))
    except (ValueError, Document.DoesNotExist):
        raise Http404 from None


@requires_action(Action.READ_EBOX)
@member_required
@never_cache
def inbox(request):
    form = SearchForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"query": data["q"], "doc_type": data["doc_type"], "since": data["since"], "until": data["until"]}
    documents = services.inbox(request.subject, **filters).only(
        "public_id", "doc_type", "title", "content_type", "size", "issued_at", "is_read")
    page = Paginator(documents, services_page_size()).get_page(request.GET.get("page"))
    labels = {each.key: str(each.label) for each in types.document_types()}
    for document in page.object_list:
        document.type_label = labels.get(document.doc_type, document.doc_type)
    query = request.GET.copy()
    query.pop("page", None)
    eligible = services.is_eligible(request.subject)
    return render(request, "ebox/inbox.html", {
        "form": form, "page": page, "query": query.urlencode(), "type_choices": list(labels.items()),
        "active": eligible and services.has_activated(request.subject), "eligible": eligible,
    })


def services_page_size() -> int:
    from django.conf import settings

    return settings.GUICHET_EBOX_PAGE_SIZE


@requires_action(Action.READ_EBOX)
@member_required
@never_cache
def download(request):
    document = _document(request)
    if document is None:
        return redirect("ebox:inbox")
    services.mark_read(document, True, actor=request.actor)
    extension = ".zip" if document.content_type == services.ZIP else ".pdf"
    response = FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=f"{document.doc_type}-{document.issued_at:%Y-%m-%d}{extension}",
                            content_type=document.content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@requires_action(Action.READ_EBOX)
@member_required
def mark(request):
    document = _document(request) if request.method == "POST" else None
    if document is None:
        return redirect("ebox:inbox")
    services.mark_read(document, request.POST.get("read") == "1", actor=request.actor)
    return redirect("ebox:inbox")


@requires_action(Action.READ_EBOX)
@member_required
@never_cache
def check(request):
    """The mutual's seal: on the stored copy of a document (?document=<id>), or on a PDF the person
    uploads (a copy they were sent or kept): genuine, or what is wrong. The uploaded file is not kept."""
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            try:
                sniff(form.cleaned_data["file"], allowed=frozenset({"application/pdf"}))
            except UploadRefused as refused:
                form.add_error("file", refused.message)
            else:
                form.cleaned_data["file"].seek(0)
                result = verify_seal(form.cleaned_data["file"].read())
        return render(request, "ebox/check.html", {"form": form, "result": result, "document": None})
    document = _document(request)
    if document is None:
        return render(request, "ebox/check.html", {"form": CheckForm(), "result": None, "document": None})
    if document.content_type != "application/pdf":
        raise Http404
    with document.file.open("rb") as file:
        result = verify_seal(file.read())
    return render(request, "ebox/check.html", {"document": document, "result": result})


@requires_action(Action.CHANGE_CONTACT_DATA)
@member_required
def settings_page(request):
    person = request.subject
    active = services.is_active(person)
    form = EboxSettingForm(request.POST if request.method == "POST" else None, initial={"active": active})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_ebox_active(person, form.cleaned_data["active"], actor=request.actor)
        except EboxError as error:
            form.add_error("active", error.message)
        else:
            messages.success(request, _("Your choice is recorded."))
            return redirect("ebox:settings")
    return render(request, "ebox/settings.html", {
        "form": form, "active": active, "eligible": services.is_eligible(person),
        "history": services.history(person)[:20],
    })


@staff_page("issue_documents")
def staff_open_files(request):
    """The files this staff member has open now: a document is issued from one of them (ACL-1)."""
    from django.utils import timezone

    from guichet.backoffice.models import FileAccess

    opened = (FileAccess.objects.filter(staff=request.user, role=request.user.staff_role,
                                        expires_at__gt=timezone.now())
              .select_related("person").order_by("-opened_at")[:50])
    return render(request, "ebox/staff_open_files.html", {"opened": opened})


@staff_page("issue_documents")
def staff_issue(request, access_id):
    try:
        opened = access.current_access(request.user, access_id)
    except access.AccessRefused as refusal:
        return render(request, "backoffice/refused.html", {"message": refusal.message}, status=404)
    person = opened.person
    # The document belongs to the context the file was opened for (its register purpose's context).
    context = opened.purpose.split(":", 1)[0]
    posted = request.method == "POST"
    form = IssueForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                # Checked through the one upload path, then read: the sealed copy in the document is what
                # is kept, the raw upload never is.
                sniff(data["file"], allowed=frozenset({services.PDF}))
                content = data["file"].read()
                document = services.issue_document(person, doc_type=data["doc_type"], title=data["title"],
                                                   context=context, content=content, actor=request.user)
            else:
                document = services.issue_document(
                    person, doc_type=data["doc_type"], title=data["title"], context=context,
                    template="ebox/pdf/letter.html", template_context={"body": data["body"]}, actor=request.user)
        except EboxError as error:
            field = "file" if isinstance(error, UploadRefused) or error.field == "content" else error.field
            form.add_error(field if field in form.fields else None, error.message)
        else:
            where = _("in the e-Box") if document.delivery == "ebox" else _("in the print queue")
            messages.success(request, _("The document was issued (%(where)s).") % {"where": where})
            return redirect("ebox:staff-issue", access_id=opened.public_id)
    return render(request, "ebox/staff_issue.html", {"form": form, "person": person, "access": opened})
