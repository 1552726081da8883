"""Guard for services with specific conditions (ACC-10): accepted once per version, then used freely."""

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from guichet.terms.services import has_accepted_current


def requires_conditions(document: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_accepted_current(request.actor, document):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('terms:accept', args=[document])}?{query}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
