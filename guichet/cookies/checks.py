"""System check: the cookie register is valid at start-up (COOK-1, COOK-4) and names every cookie the code
sets."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from guichet.cookies.register import CookieRegisterError, load_cookie_register


def cookies_set_by_code() -> dict[str, str]:
    """Name -> category of each cookie Guichet's code and Django's settings set."""
    from guichet.cookies.consent import ANALYTICS_COOKIE, CONSENT_COOKIE

    return {
        settings.SESSION_COOKIE_NAME: "necessary", settings.CSRF_COOKIE_NAME: "necessary",
        settings.LANGUAGE_COOKIE_NAME: "necessary", CONSENT_COOKIE: "necessary",
        ANALYTICS_COOKIE: "analytics",
    }


@register(Tags.compatibility, "cookies")
def check_cookie_register(app_configs=None, **kwargs):
    """Each problem of guichet/cookies/register.yaml (cookies.E001), and each cookie the code sets that
    the register does not declare in its category (cookies.E002)."""
    try:
        cookie_register = load_cookie_register()
    except CookieRegisterError as error:
        return [Error(problem, id="cookies.E001") for problem in error.problems]
    errors = []
    for name, category in cookies_set_by_code().items():
        declared = cookie_register.cookie(name)
        if declared is None or declared.category != category:
            errors.append(Error(f"the cookie {name} is set by Guichet but not declared in the {category} "
                                f"category of the cookie register", id="cookies.E002"))
    return errors
