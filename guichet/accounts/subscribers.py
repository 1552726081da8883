"""How accounts react to the registry's life events (registered in AccountsConfig.ready).

On death the person's login access is removed: a dead person's account must not stay usable.
"""

from django.utils import timezone

from guichet.accounts.models import User
from guichet.accounts.services import remove_login_access
from guichet.events.services import subscribe
from guichet.members.services import DEATH


@subscribe(DEATH)
def remove_login_access_on_death(event) -> None:
    """Idempotent: an account already without access is left as it is."""
    user = User.objects.filter(person__public_id=event.subject, is_active=True).first()
    if user is not None:
        remove_login_access(user, timezone.now())
