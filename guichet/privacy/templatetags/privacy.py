"""`{{ text|tr }}` picks a register text in the page's language; `{% declaration_notice %}` tells a member
that a new privacy declaration was published (PRIV-2), at the cost of one query at most."""

from django import template

from guichet.privacy.register import text
from guichet.privacy.services import duration_in_words, must_see_declaration

register = template.Library()


@register.filter
def tr(mapping) -> str:
    return text(mapping)


@register.filter
def duration_words(duration: str) -> str:
    return duration_in_words(duration)


@register.inclusion_tag("privacy/notice.html", takes_context=True)
def declaration_notice(context) -> dict:
    request = context.get("request")
    person = getattr(request, "actor", None)
    version = must_see_declaration(request.session, person) if person is not None else None
    return {"version": version}
