"""Public pages and homes. The member home shows the member's own file through request.subject."""

import datetime
from functools import lru_cache
from pathlib import Path

import yaml
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.i18n import set_language as django_set_language

from guichet.accounts.decorators import member_required
from guichet.accounts.policy import staff_may
from guichet.mandates.decorators import requires_action
from guichet.mandates.policy import Action
from guichet.members.models import Affiliation
from guichet.terms.decorators import requires_conditions
from guichet.terms.models import Document


@login_not_required
def home(request):
    return render(request, "pages/home.html")


@login_not_required
def contact(request):
    return render(request, "pages/contact.html")


@requires_action(Action.OPEN_FILE, members_only=False)
def private_home(request):
    if request.subject is None:
        return staff_home(request)
    affiliations = Affiliation.objects.filter(person=request.subject).order_by("context", "-start")
    previous = request.session.get("previous_login")
    return render(request, "pages/private_home.html", {
        "affiliations": affiliations,
        "previous_login": datetime.datetime.fromisoformat(previous) if previous else None,
    })


def staff_home(request):
    return render(request, "pages/staff_home.html", {
        "may_open_files": staff_may(request.user, "open_file"),
        "may_restrict": staff_may(request.user, "restrict_private_area") or staff_may(request.user, "restrict_interactive"),
        "may_see_statistics": staff_may(request.user, "view_connection_statistics"),
    })


@lru_cache(maxsize=1)
def _shop_offers() -> list[dict]:
    return yaml.safe_load((Path(__file__).parent / "shop.yaml").read_text(encoding="utf-8"))


@requires_action(Action.SHOP)
@member_required
@requires_conditions(Document.SHOP)
def shop(request):
    language = get_language()
    offers = [
        {"title": offer["title"].get(language, offer["title"]["fr"]),
         "price": offer["price"] / 100, "member_price": offer["member_price"] / 100}
        for offer in _shop_offers()
    ]
    return render(request, "pages/shop.html", {"offers": offers})


@login_not_required
def set_language(request):
    """Django's language switch (a session cookie, ACC-8); a member's choice also becomes the
    language of their e-mails, SMS and documents."""
    response = django_set_language(request)
    language = request.POST.get("language")
    person = getattr(request, "actor", None)
    if person is not None and language in {"fr", "nl", "en"} and person.language != language:
        person.language = language
        person.save(update_fields=["language"])
    return response


@login_not_required
def csrf_failure(request, reason: str = ""):
    return render(request, "pages/csrf_failure.html", status=403)
