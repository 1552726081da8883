"""The session engine: Django's database sessions, each row tagged with its user (see UserSession)."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from guichet.accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = data.get(SESSION_KEY)
        return instance


def end_sessions_of(user, keep: str | None = None) -> int:
    """End every session of `user`, except the one whose key is `keep`. Returns how many ended."""
    from guichet.accounts.models import UserSession

    sessions = UserSession.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    deleted, _ = sessions.delete()
    return deleted
