"""The authorization matrix: every URL pattern of the project is listed below as public, staff, about
the actor's own account, or member-scoped with the action it needs. A URL missing from the list fails
the test, so every new page is classified when it is added.

Each member-scoped page is requested by eight actors, each having chosen the target's file in the
"acting for" switcher: self, an agent whose mandate holds the page's scope, an agent whose mandate
does not, an agent whose mandate was revoked, a parent (of Emma, 10), a parent excluded by a court
decision, the parent of an adult child, a stranger. Only the allowed ones get the target's file
(status 200, or a redirect within it such as the re-authentication step); for the others the page
answers 404 or the file is not open at all (the switcher falls back to the actor's own file) and
nothing of the target shows."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guichet.accounts.decorators import REAUTHENTICATED_AT
from guichet.accounts.models import StaffRole
from guichet.mandates import services
from guichet.mandates.middleware import ACTING_FOR
from guichet.mandates.policy import PARENT_ACTIONS, SCOPES, SELF_ONLY, Action, scope_of
from tests.conftest import english_client
from tests.ebox.conftest import real_pdf
from tests.mandates.helpers import give
from tests.pages.test_private_by_default import named_patterns, sample_url

pytestmark = pytest.mark.django_db

PUBLIC, STAFF, ACTOR = "public", "staff", "actor"

# name -> PUBLIC | STAFF | ACTOR | the Action a member-scoped page needs
MATRIX = {
    "pages:home": PUBLIC,
    "pages:contact": PUBLIC,
    "set_language": PUBLIC,
    "messaging:outbox": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:second-factor": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:identify": PUBLIC,
    "accounts:code": PUBLIC,
    "accounts:password": PUBLIC,
    "terms:current": PUBLIC,
    "terms:document": PUBLIC,
    "terms:version": PUBLIC,
    "privacy:declaration": PUBLIC,
    "privacy:declaration-version": PUBLIC,
    "privacy:register-json": PUBLIC,
    "privacy:register-json-version": PUBLIC,
    "backoffice:health-data-staff": PUBLIC,
    "communication:choice": PUBLIC,
    "communication:choice-recorded": PUBLIC,
    "communication:unsubscribe": PUBLIC,
    "communication:open": PUBLIC,
    "communication:click": PUBLIC,
    "cookies:policy": PUBLIC,
    "cookies:choose": PUBLIC,
    "cookies:beacon": PUBLIC,
    "rights:public-request": PUBLIC,
    "rights:public-request-sent": PUBLIC,
    # The actor's own account, whatever file is open (never in someone else's name):
    "accounts:security": ACTOR,
    "accounts:change-password": ACTOR,
    "accounts:totp-setup": ACTOR,
    "accounts:reauthenticate": ACTOR,
    "terms:accept": ACTOR,
    "privacy:contact-dpo": ACTOR,
    "privacy:contact-dpo-sent": ACTOR,
    "mandates:list": ACTOR,
    "mandates:grant": ACTOR,
    "mandates:switch": ACTOR,
    "mandates:detail": ACTOR,
    "mandates:accept": ACTOR,
    "mandates:refuse": ACTOR,
    "mandates:revoke": ACTOR,
    "mandates:approve-act": ACTOR,
    "signing:lost-card": ACTOR,
    "signing:sign-mandate": ACTOR,
    # Staff pages:
    "accounts:restrictions": STAFF,
    "accounts:restrict": STAFF,
    "accounts:lift": STAFF,
    "traffic:statistics": STAFF,
    "cookies:statistics": STAFF,
    "mandates:staff-person": STAFF,
    "mandates:staff-suspend": STAFF,
    "mandates:staff-resume": STAFF,
    "mandates:staff-end": STAFF,
    "mandates:staff-life-event": STAFF,
    "mandates:staff-court-decision": STAFF,
    "backoffice:desk": STAFF,
    "backoffice:confidentiality": STAFF,
    "backoffice:open-file": STAFF,
    "backoffice:file": STAFF,
    "backoffice:delegations": STAFF,
    "backoffice:revoke-delegation": STAFF,
    "backoffice:disclosures": STAFF,
    "backoffice:new-disclosure": STAFF,
    "backoffice:disclosure": STAFF,
    "communication:campaigns": STAFF,
    "communication:campaign-new": STAFF,
    "communication:campaign": STAFF,
    "communication:campaign-send": STAFF,
    "communication:do-not-call": STAFF,
    "retention:overview": STAFF,
    "retention:place-hold": STAFF,
    "retention:lift-hold": STAFF,
    "decisions:review-queue": STAFF,
    "decisions:review": STAFF,
    "decisions:inputs": STAFF,
    "ebox:staff-issue": STAFF,
    "ebox:staff-open-files": STAFF,
    "signing:staff-lost-card": STAFF,
    "rights:queue": STAFF,
    "rights:register": STAFF,
    "rights:staff-request": STAFF,
    "rights:verify": STAFF,
    "rights:extend": STAFF,
    "rights:answer": STAFF,
    "rights:refuse": STAFF,
    "rights:id-copy": STAFF,
    # Member-scoped: the open file, through the policy.
    "pages:private-home": Action.OPEN_FILE,
    "pages:shop": Action.SHOP,
    "members:my-data": Action.VIEW_MY_DATA,
    "members:change-address": Action.CHANGE_CONTACT_DATA,
    "members:change-email": Action.CHANGE_LOGIN_CONTACT,
    "members:verify-email": Action.CHANGE_LOGIN_CONTACT,
    "members:change-mobile": Action.CHANGE_LOGIN_CONTACT,
    "members:verify-mobile": Action.CHANGE_LOGIN_CONTACT,
    "ledger:my-record": Action.VIEW_MY_DATA,
    "backoffice:my-file-access": Action.VIEW_MY_DATA,
    "communication:my-settings": Action.CHANGE_CONTACT_DATA,
    "decisions:my-decisions": Action.VIEW_MY_DATA,
    "decisions:my-decision": Action.VIEW_MY_DATA,
    "decisions:my-maf": Action.VIEW_MY_DATA,
    "decisions:request-bim": Action.ASK_REIMBURSEMENT,
    "ebox:inbox": Action.READ_EBOX,
    "ebox:download": Action.READ_EBOX,
    "ebox:mark": Action.READ_EBOX,
    "ebox:check": Action.READ_EBOX,
    "ebox:settings": Action.CHANGE_CONTACT_DATA,
    "signing:list": Action.SIGN,
    "signing:detail": Action.SIGN,
    "signing:content": Action.SIGN,
    "signing:upload": Action.SIGN,
    "signing:test-card": Action.SIGN,
    "signing:verify": Action.SIGN,
    "rights:my-requests": Action.REQUEST_DATA_ACCESS,
    "rights:new-request": Action.REQUEST_DATA_ACCESS,
    "rights:my-request": Action.REQUEST_DATA_ACCESS,
}
# A page that reads request.subject without declaring its action would let any agent or parent who
# opens the file see it whatever the mandate's scope: list it here (a strict xfail) only while it is fixed.
UNDECLARED: dict[str, str] = {}
ACTORS = [
    "self",
    "agent_in_scope",
    "agent_out_of_scope",
    "revoked_agent",
    "parent",
    "excluded_parent",
    "adult_childs_parent",
    "stranger",
]


def patterns() -> dict:
    return dict(named_patterns())


def test_it_classifies_every_url_of_the_project():
    names = set(patterns())
    assert names - set(MATRIX) == set(), "add the new URL to the matrix"
    assert set(MATRIX) - names == set(), "remove the URL that no longer exists"


@pytest.mark.parametrize("name", sorted(name for name, kind in MATRIX.items() if kind in (ACTOR,)))
def test_pages_about_the_actor_declare_it(name):
    callback = patterns()[name].callback
    assert getattr(callback, "mandates_actor_only", False), f"{name}: decorate the view with actor_only(...)"


def _expected_allowed(actor: str, action: Action) -> bool:
    if actor == "self":
        return True
    if actor == "agent_in_scope":
        return action not in SELF_ONLY  # e.g. the e-mail and mobile that reset the password
    if actor == "agent_out_of_scope":
        return action == Action.OPEN_FILE
    if actor == "parent":
        return action in PARENT_ACTIONS
    return False


def _out_of(scope: str | None) -> str:
    return next(key for key in SCOPES if key != scope)


def _set_up(personas, actor: str, action: Action):
    """The actor's person and the target file, with the links the case needs."""
    marie, jan, tom, emma, sophie = (personas[key] for key in ("marie", "jan", "tom", "emma", "sophie"))
    scope = scope_of(action) or "consult"
    if actor == "self":
        return marie, marie
    if actor == "agent_in_scope":
        give(marie, jan, scopes=[scope])
        return jan, marie
    if actor == "agent_out_of_scope":
        give(marie, jan, scopes=[_out_of(scope_of(action))])
        return jan, marie
    if actor == "revoked_agent":
        services.revoke_mandate(marie, give(marie, jan, scopes=[scope]))
        return jan, marie
    if actor == "parent":
        return marie, emma
    if actor == "excluded_parent":
        from guichet.accounts.models import User

        services.record_parental_authority(tom, emma)
        services.record_court_decision(
            User.objects.get(staff_role=StaffRole.AGENT),
            emma,
            marie,
            decided_on=timezone.localdate(),
            court="Tribunal de la famille",
            proof=SimpleUploadedFile("d.pdf", real_pdf()),
        )
        return tom, emma
    if actor == "adult_childs_parent":
        services.record_parental_authority(jan, sophie, since=sophie.birth_date)
        return jan, sophie
    return tom, marie  # stranger


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


MEMBER_SCOPED = sorted(name for name, kind in MATRIX.items() if isinstance(kind, Action))


def _undeclared(name: str) -> list:
    return [pytest.mark.xfail(strict=True, reason=UNDECLARED[name])] if name in UNDECLARED else []


@pytest.mark.parametrize("name", [pytest.param(name, marks=_undeclared(name)) for name in MEMBER_SCOPED])
def test_member_scoped_pages_declare_their_action(name):
    action = MATRIX[name]
    assert getattr(patterns()[name].callback, "mandates_action", None) == action, (
        f"{name}: decorate the view with requires_action({action!r})"
    )


def _cases():
    for name in MEMBER_SCOPED:
        for actor in ACTORS:
            # An undeclared page opens to anyone who may open the file: too wide for an agent whose scope
            # does not hold the page's action.
            marks = _undeclared(name) if actor == "agent_out_of_scope" else []
            yield pytest.param(name, actor, marks=marks, id=f"{name}-{actor}")


@pytest.mark.rule("MAND-1", "MAND-6", "MIN-1", "MIN-3", "MIN-5", "SEC-3")
@pytest.mark.parametrize("name, actor", list(_cases()))
def test_only_the_allowed_actors_get_the_file(personas, log_in, name, actor):
    action = MATRIX[name]
    person, target = _set_up(personas, actor, action)
    client = log_in(english_client(), person.account)
    session = client.session
    session[ACTING_FOR] = str(target.public_id)
    session[REAUTHENTICATED_AT] = time.time()
    session.save()
    response = client.get(sample_url(name, patterns()[name]))
    opened = response.status_code != 404 and response.wsgi_request.subject == target
    assert opened == _expected_allowed(actor, action), (response.status_code, response.wsgi_request.subject)
    if opened:
        assert response.status_code in (200, 302)
    elif target != person:
        assert target.national_number not in response.content.decode().replace(".", "").replace("-", "")
        assert response.status_code == 404 or response.wsgi_request.subject == person


@pytest.mark.parametrize("name", sorted(name for name, kind in MATRIX.items() if kind == STAFF))
def test_members_never_reach_staff_pages(client, log_in, member, name):
    log_in(client, member)
    response = client.get(sample_url(name, patterns()[name]))
    assert response.status_code in (404, 405)
