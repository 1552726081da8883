"""What the cookie tests share: choosing through the banner's form, and reading a response's cookies."""

from django.urls import reverse

from guichet.cookies.consent import ANALYTICS_COOKIE, CONSENT_COOKIE, decode_choice

__all__ = ["choose", "choice_of", "ANALYTICS_COOKIE", "CONSENT_COOKIE", "set_cookie_names",
           "deleted_cookie_names"]


def choose(client, choice: str, categories=(), next_url: str = "/"):
    """Send the banner's form: choice is "all", "none" or "chosen" (with `categories`)."""
    form = {"choice": choice, "category": list(categories), "next": next_url}
    return client.post(reverse("cookies:choose"), form)


def choice_of(client):
    """The choice the client's consent cookie holds (None: no valid choice)."""
    morsel = client.cookies.get(CONSENT_COOKIE)
    return decode_choice(morsel.value if morsel else None)


def set_cookie_names(response) -> set[str]:
    return {name for name, morsel in response.cookies.items() if morsel["max-age"] != 0 and morsel.value}


def deleted_cookie_names(response) -> set[str]:
    return {name for name, morsel in response.cookies.items() if morsel["max-age"] == 0 or not morsel.value}
