"""PDF documents of the mutual: a template rendered in the person's language on the letterhead
(templates/ebox/pdf/letterhead.html), printed by WeasyPrint, then sealed (seal.py)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from guichet.ebox.seal import seal_pdf


class ExternalResourceRefused(ValueError):
    pass


def _no_fetching(url: str, *args, **kwargs):
    """Documents are self-contained: WeasyPrint fetches nothing (no file of the server, no network)."""
    raise ExternalResourceRefused(f"documents do not load {url[:80]!r}")


def render_html(template_name: str, context: dict, *, language: str) -> str:
    with translation.override(language):
        full = {"organisation_name": settings.ORGANISATION_NAME, "issued_on": timezone.localdate(),
                "language": language, **(context or {})}
        return render_to_string(template_name, full)


def render_pdf(template_name: str, context: dict, *, language: str) -> bytes:
    """The sealed PDF of `template_name` (which extends "ebox/pdf/letterhead.html") in `language`."""
    from weasyprint import HTML

    html = render_html(template_name, context, language=language)
    pdf = HTML(string=html, url_fetcher=_no_fetching, base_url=None).write_pdf()
    return seal_pdf(pdf)
