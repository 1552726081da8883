"""The "acting for" switcher of the page header: whose file is open, in whose name the actor acts,
and the files the actor may open (MAND-1, MIN-1)."""

from django import template

from guichet.mandates.services import files_open_to

register = template.Library()


@register.inclusion_tag("mandates/switcher.html", takes_context=True)
def acting_switcher(context) -> dict:
    request = context["request"]
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "subject": getattr(request, "subject", None),
        "csrf_token": context.get("csrf_token"),
        "files": files_open_to(actor),
        "acting_notice": getattr(request, "acting_notice", ""),
    }
