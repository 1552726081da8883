"""Recording a connection and computing the statistics the staff page shows (ACC-9)."""

import datetime
from functools import lru_cache

from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from user_agents import parse as parse_user_agent

from guichet.traffic.ip import truncate_ip
from guichet.traffic.models import Connection, DeviceFamily


@lru_cache(maxsize=512)
def classify_user_agent(user_agent: str) -> tuple[str, str]:
    """(browser family, device family) of a User-Agent string; cached as the same few recur."""
    agent = parse_user_agent(user_agent)
    if agent.is_bot:
        device = DeviceFamily.BOT
    elif agent.is_tablet:
        device = DeviceFamily.TABLET
    elif agent.is_mobile:
        device = DeviceFamily.MOBILE
    elif agent.is_pc:
        device = DeviceFamily.DESKTOP
    else:
        device = DeviceFamily.OTHER
    return agent.browser.family[:50], device


@lru_cache(maxsize=1)
def _insert_sql() -> str:
    columns = ("at", "ip_prefix", "browser_family", "device_family", "path", "language", "authenticated")
    # Only the table and column names of the model are put into the text; the values are parameters.
    return (f"INSERT INTO {Connection._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})")


def record_connection(*, ip: str, user_agent: str, path: str, language: str, authenticated: bool) -> None:
    """Write the row of one page view (ACC-9), synchronously and committed before the response leaves:
    no row can be lost. One prepared INSERT without the ORM's model round trip, as it runs on every page."""
    browser, device = classify_user_agent(user_agent[:512])
    with connection.cursor() as cursor:
        at = connection.ops.adapt_datetimefield_value(timezone.now())  # as the ORM would (SQLite: naive UTC)
        cursor.execute(_insert_sql(), [at, truncate_ip(ip), browser, device, path[:255],
                                       language[:5], authenticated])


def statistics(since: datetime.datetime) -> dict:
    """Aggregates only (REP-1): per day, per browser, per device, per language, the top pages."""
    recent = Connection.objects.filter(at__gte=since)

    def count_by(field: str, limit: int = 10) -> list[dict]:
        return list(recent.values(field).annotate(count=Count("id")).order_by("-count", field)[:limit])

    per_day = list(recent.annotate(day=TruncDate("at")).values("day").annotate(count=Count("id")).order_by("day"))
    return {
        "total": recent.count(),
        "per_day": per_day,
        "browsers": count_by("browser_family"),
        "devices": count_by("device_family"),
        "languages": count_by("language"),
        "pages": count_by("path", 15),
        "authenticated": recent.filter(authenticated=True).count(),
    }
