"""Template context shared by every page: the organisation's name, the acting identities and what the
cached fragments of base.html vary on."""

from django.conf import settings

NAV_ENTRIES = {"/my/": "home", "/accounts/security/": "security"}  # the header's menu: which one is current


def site(request) -> dict:
    actor = getattr(request, "actor", None)
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "actor": actor,
        "subject": getattr(request, "subject", None),
        "dev_outbox": settings.DEV_OUTBOX_ENABLED and settings.DEBUG,
        # What the cached header fragments of base.html vary on (nothing personal): a member's or a
        # staff member's menu, and its current entry.
        "nav_kind": "member" if actor is not None else "staff",
        "nav_current": NAV_ENTRIES.get(request.path, ""),
    }
