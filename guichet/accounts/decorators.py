"""View guards: members only, staff with a given right, and recent re-authentication ("sudo mode")."""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from guichet.accounts.policy import staff_may

REAUTHENTICATED_AT = "reauthenticated_at"


def member_required(view):
    """The page belongs to a member's file: staff accounts and people without a person get a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.subject is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(action: str):
    """Only staff whose role allows `action`; everyone else gets a 404, as if the page did not exist."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not staff_may(request.user, action):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def mark_reauthenticated(request) -> None:
    request.session[REAUTHENTICATED_AT] = time.time()


def recently_reauthenticated(request) -> bool:
    at = request.session.get(REAUTHENTICATED_AT)
    return at is not None and time.time() - at <= settings.SUDO_SECONDS


def require_sudo(view):
    """Sensitive acts need the password typed again within the last few minutes (SUDO_SECONDS)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not recently_reauthenticated(request):
            return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper
