"""Authentication backend: members log in with their national register number, staff with a login.

The user row is fetched with its person in one query, since nearly every private page needs both.
"""

from django.contrib.auth.backends import ModelBackend

from guichet.accounts.models import User
from guichet.members import nrn


def canonical_login(raw: str) -> str:
    """The stored username for what someone typed: 11 digits for a national number, else as typed."""
    raw = raw.strip()
    try:
        return nrn.normalise(raw)
    except nrn.InvalidNationalNumber:
        return raw.lower()


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        try:  # get(), not filter().first(): no ORDER BY to build on every request
            user = User.objects.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
