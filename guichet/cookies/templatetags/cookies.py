"""`{% cookie_banner %}`: the cookie banner (open until the visitor chooses, COOK-2; hidden after, but
still in the page so that the footer's "Cookies" link reopens it in place) and, only with consent to
analytics, the first-party analytics beacon (COOK-5)."""

from django import template

from guichet.cookies.consent import read_choice
from guichet.cookies.forms import CookieChoiceForm
from guichet.cookies.register import load_cookie_register

register = template.Library()


@register.filter
def choice_key(choice) -> str:
    """What the cookie form shows of a choice (which boxes are ticked), as a key of its cached fragment."""
    return "-" if choice is None else ",".join(sorted(choice.accepted))


@register.inclusion_tag("cookies/banner.html", takes_context=True)
def cookie_banner(context) -> dict:
    request = context.get("request")
    choice = read_choice(request) if request is not None else None
    cookie_register = load_cookie_register()
    return {
        "request": request,
        "choice": choice,
        "open": choice is None,
        "categories": [c for c in cookie_register.categories if not c.always_on],
        "analytics": choice is not None and choice.allows("analytics"),
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
        "form_choice": CookieChoiceForm,
    }
