"""The rows of the e-Box inbox (EBOX-1, EBOX-5), written in Python: the inbox is the most read page after
the member home, and rendering its twenty rows node by node in the template language cost more than the
rest of the page (BENCH ebox-inbox)."""

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

from guichet.ebox.services import PDF, ZIP

register = template.Library()

ROW = (
    '<tr class="{state}"><th scope="row">{title_cell}</th><td>{type_label}</td><td>{issued}</td>'
    '<td class="status">{status}</td><td class="actions">'
    '<a href="{download_url}?document={id}" download>{download}<span class="visually-hidden">: {title}</span></a>'
    '<form method="post" action="{mark_url}" class="inline">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<input type="hidden" name="document" value="{id}"><input type="hidden" name="read" value="{mark_to}">'
    '<button type="submit" class="link">{mark}<span class="visually-hidden">: {title}</span></button></form>'
    '{check}</td></tr>'
)
CHECK = '<a href="{url}?document={id}">{label}<span class="visually-hidden">: {title}</span></a>'


@register.simple_tag(takes_context=True)
def inbox_rows(context, documents):
    """One <tr> per document: title (bold while unread), type, date, status, download, read/unread, seal check."""
    labels = {
        "read": gettext("read"), "unread": gettext("unread"), PDF: gettext("Download (PDF)"),
        ZIP: gettext("Download (ZIP)"), "mark_read": gettext("Mark as read"),
        "mark_unread": gettext("Mark as unread"), "check": gettext("Check the seal"),
    }
    urls = {name: reverse(f"ebox:{name}") for name in ("download", "mark", "check")}
    csrf = get_token(context["request"])

    def cells(document):
        title = document.title
        return {
            "state": "read" if document.is_read else "unread",
            "title_cell": title if document.is_read else format_html("<strong>{}</strong>", title),
            "type_label": document.type_label, "issued": date_format(localtime(document.issued_at), "DATE_FORMAT"),
            "status": labels["read" if document.is_read else "unread"], "id": document.public_id, "title": title,
            "download_url": urls["download"], "download": labels[ZIP if document.content_type == ZIP else PDF],
            "mark_url": urls["mark"], "csrf": csrf, "mark_to": "0" if document.is_read else "1",
            "mark": labels["mark_unread" if document.is_read else "mark_read"],
            "check": format_html(CHECK, url=urls["check"], id=document.public_id, label=labels["check"], title=title)
            if document.content_type == PDF else "",
        }

    return mark_safe("\n".join(format_html(ROW, **cells(each)) for each in documents))  # noqa: S308 - escaped
