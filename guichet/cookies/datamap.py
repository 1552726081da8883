"""Data map of the cookies app: each field's register data category (cookie choices and analytics)."""

from guichet.privacy.datamap import NotPersonal, Personal

ANALYTICS = Personal("cookies_analytics", context="operations")
CHOICE = Personal("consent_records", context="operations")

DATA_MAP = {
    "CookieChoice": {
        "id": NotPersonal("technical key"),
        "public_id": NotPersonal("random public key"),
        "person": Personal("identification", context="operations"),
        "policy_version": CHOICE,
        "categories_digest": CHOICE,
        "accepted": CHOICE,
        "chosen_at": CHOICE,
    },
    "Visit": {
        "id": NotPersonal("technical key"),
        "visitor": ANALYTICS,
        "started_at": ANALYTICS,
        "last_seen_at": ANALYTICS,
        "pages": ANALYTICS,
        "device_family": ANALYTICS,
        "browser_family": ANALYTICS,
        "language": ANALYTICS,
        "ip_prefix": ANALYTICS,
    },
    "VisitPage": {
        "id": NotPersonal("technical key"),
        "visit": ANALYTICS,
        "at": ANALYTICS,
        "path": ANALYTICS,
    },
}
