"""Growing delays against guessing of passwords and codes (ACC-3), per account and per address.

After a few free failures each further one doubles the wait before the next try is even looked
at, up to a ceiling. There is no hard lock, so nobody can lock a member out by failing on purpose
for long; and unknown accounts are throttled exactly like known ones, so the answer tells nothing.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

FAILURE_MEMORY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Throttle:
    action: str  # "login", "code", "reset", "register"...
    keys: tuple[str, ...]

    @classmethod
    def for_request(cls, action: str, *, account: str, ip: str) -> "Throttle":
        return cls(action, (f"account:{account.lower()}", f"ip:{ip}"))

    def _cache_key(self, key: str) -> str:
        digest = hashlib.sha256(f"{self.action}:{key}".encode()).hexdigest()
        return f"throttle:{digest}"

    def wait_seconds(self) -> int:
        """How long the caller must still wait before a try is allowed (0: go ahead)."""
        now = time.time()
        waits = [
            state["last"] + delay_after(state["count"]) - now
            for state in cache.get_many([self._cache_key(key) for key in self.keys]).values()
        ]
        return max([0, *(int(wait) + 1 for wait in waits if wait > 0)])

    def failed(self) -> None:
        now = time.time()
        for key in self.keys:
            cache_key = self._cache_key(key)
            state = cache.get(cache_key) or {"count": 0, "last": now}
            cache.set(cache_key, {"count": state["count"] + 1, "last": now}, FAILURE_MEMORY_SECONDS)

    def succeeded(self) -> None:
        """Forget the account's failures; the address keeps its count so spraying stays slow."""
        cache.delete_many([self._cache_key(key) for key in self.keys if key.startswith("account:")])


def delay_after(failures: int) -> float:
    extra = failures - settings.THROTTLE_FREE_FAILURES
    if extra < 0:
        return 0
    return min(settings.THROTTLE_BASE_DELAY_SECONDS * 2**extra, settings.THROTTLE_MAX_DELAY_SECONDS)
