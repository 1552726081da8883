"""View guards of the member area: `requires_action(action)` asks the one policy for the open file
(404 when refused, never 403) and records acts done for someone else (MAND-2); `actor_only(action)`
marks pages about the actor's own account (terms, login settings, DPO form), which never act on the
open file. Both leave the declared action on the view, which the authorization matrix test reads."""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from guichet.mandates.policy import Action, decide

SUCCESS = (301, 302, 303)


def requires_action(action: str, *, members_only: bool = True):
    """Only when the policy allows `action` on the open file; `members_only=False` lets staff and
    visitors through to a view that serves them something else (e.g. the staff home)."""
    action = Action(action)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if getattr(request, "subject", None) is None:
                if members_only:
                    raise Http404
                return view(request, *args, **kwargs)
            decision = decide(request.actor, request.subject, action)
            if not decision.allowed:
                raise Http404
            if decision.joint and request.method == "POST":
                messages.error(
                    request,
                    _(
                        "Under this mandate the agents act jointly: propose the act from your mandates page, "
                        "the other agents approve it, then it is done once."
                    ),
                )
                return redirect("mandates:list")
            request.decision = decision
            response = view(request, *args, **kwargs)
            if decision.basis != "self" and request.method == "POST" and response.status_code in SUCCESS:
                from guichet.mandates.services import record_act

                record_act(request.actor, request.subject, decision, action, request.path)
            return response

        wrapper.mandates_action = action
        return wrapper

    return decorator


def actor_only(action: str):
    """The page concerns the actor's own account whatever file is open: it reads request.actor or
    request.user, never request.subject, so nobody can act in someone else's name there."""
    action = Action(action)

    def decorator(view):
        view.mandates_action = action
        view.mandates_actor_only = True
        return view

    return decorator
