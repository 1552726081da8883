"""Whose file is open: `request.subject` is the actor's own file, or the file chosen in the "acting
for" switcher (kept in the session) as long as the policy still allows it. Checked on every request,
so a revoked, ended or suspended mandate stops working on the very next one."""

from django.utils.translation import gettext as _

from guichet.mandates.policy import Action, decide

ACTING_FOR = "acting_for"  # session: the public id of the chosen file


class SubjectMiddleware:
    """Runs right after ActorMiddleware. Sets request.subject, request.subject_decision (why the actor
    may open it) and request.acting_notice (a message when the chosen file could no longer be opened)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = getattr(request, "actor", None)
        request.subject = actor
        request.subject_decision = decide(actor, actor, Action.OPEN_FILE) if actor is not None else None
        request.acting_notice = ""
        chosen = request.session.get(ACTING_FOR) if actor is not None else None
        if chosen and chosen != str(actor.public_id):
            from guichet.members.models import Person

            candidate = Person.objects.filter(public_id=chosen).first()
            decision = decide(actor, candidate, Action.OPEN_FILE) if candidate is not None else None
            if decision is not None and decision.allowed:
                request.subject = candidate
                request.subject_decision = decision
            else:
                del request.session[ACTING_FOR]
                request.acting_notice = _(
                    "You can no longer open that file (%(reason)s) Your own file is open again."
                ) % {"reason": decision.message if decision is not None else _("unknown person.")}
        return self.get_response(request)
