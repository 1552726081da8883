"""The public terms pages (current and earlier versions) and the acceptance step for members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guichet.accounts.decorators import member_required
from guichet.mandates.decorators import actor_only
from guichet.mandates.policy import Action
from guichet.terms.middleware import ACCEPTED_TERMS
from guichet.terms.models import Document, TermsVersion
from guichet.terms.services import accept_current_terms, current_version


def _document_or_404(document: str) -> str:
    if document not in Document.values:
        raise Http404
    return document


@login_not_required
def show(request, document: str = Document.GENERAL, version: str | None = None):
    _document_or_404(document)
    current = current_version(document)
    terms = get_object_or_404(TermsVersion, document=document, version=version) if version else current
    if terms is None:
        raise Http404
    return render(request, "terms/show.html", {
        "terms": terms, "current": current, "text": mark_safe(terms.text_in(get_language())),  # noqa: S308 - our own files
        "versions": TermsVersion.objects.filter(document=document).only("document", "version", "published_at"),
    })


@actor_only(Action.ACCEPT_TERMS)  # acting for someone never accepts terms in their name
@member_required
def accept(request, document: str):
    _document_or_404(document)
    terms = current_version(document)
    if terms is None:
        raise Http404
    next_url = request.POST.get("next") or request.GET.get("next") or "/my/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/my/"
    if request.method == "POST":
        if request.POST.get("accept") != "yes":
            messages.error(request, _("To continue, tick the box to accept the terms."))
        else:
            accept_current_terms(request.actor, channel="web", document=document)
            if document == Document.GENERAL:
                request.session[ACCEPTED_TERMS] = terms.pk
            return redirect(next_url)
    return render(request, "terms/accept.html", {
        "terms": terms, "text": mark_safe(terms.text_in(get_language())), "next": next_url,  # noqa: S308
    })
