"""Cookie actions: saving a visitor's choice (and a member's consent records, COOK-3), recording a page
seen during a consented visit (COOK-6, COOK-7) and the aggregate statistics of visits (REP-1)."""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.cookies.consent import CookieChoice, new_choice
from guichet.cookies.models import CookieChoice as CookieChoiceRecord
from guichet.cookies.models import Visit, VisitPage
from guichet.cookies.register import load_cookie_register
from guichet.privacy.services import give_consent, withdraw_consent
from guichet.traffic.ip import truncate_ip
from guichet.traffic.services import classify_user_agent

MAX_PATH_LENGTH = 255


class CookieError(Exception):
    """A refused cookie action; `message` is meant for the visitor, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- the choice (COOK-2, COOK-3, COOK-5, COOK-8) ----------------------------------------------------------

def check_categories(accepted) -> frozenset[str]:
    """The accepted categories, each an optional category of the register; raises CookieError otherwise."""
    optional = set(load_cookie_register().optional_keys)
    accepted = frozenset(str(key) for key in accepted)
    unknown = accepted - optional
    if unknown:
        raise CookieError(_("Unknown cookie category: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    return accepted


def save_cookie_choice(accepted, *, person=None, at: datetime.datetime | None = None) -> CookieChoice:
    """Validate the accepted categories and, for a member, record the choice with the policy version and
    give or withdraw the consent of each optional category's purpose, in one transaction. The caller
    writes the returned choice into the consent cookie."""
    accepted = check_categories(accepted)
    choice = new_choice(accepted, at=at)
    if person is not None:
        register = load_cookie_register()
        with transaction.atomic():
            CookieChoiceRecord.objects.create(
                person=person, policy_version=choice.version, categories_digest=choice.digest,
                accepted=sorted(accepted), chosen_at=choice.chosen_at,
            )
            for category in register.categories:
                if category.always_on:
                    continue
                if category.key in accepted:
                    give_consent(category.consent_purpose, person=person, at=choice.chosen_at)
                else:
                    withdraw_consent(category.consent_purpose, person=person, at=choice.chosen_at)
    return choice


def recorded_choice(person, *, at: datetime.datetime | None = None) -> CookieChoice | None:
    """A member's latest recorded choice, if it still stands (less than a year old, same categories): a
    member who logs in from another browser is not asked again (COOK-3)."""
    at = at or timezone.now()
    register = load_cookie_register()
    since = at - datetime.timedelta(days=settings.COOKIE_CONSENT_DAYS)
    record = (CookieChoiceRecord.objects.filter(person=person, chosen_at__gt=since, chosen_at__lte=at)
              .order_by("-chosen_at").first())
    if record is None or record.categories_digest != register.digest:
        return None
    return CookieChoice(accepted=frozenset(record.accepted) & set(register.optional_keys),
                        version=record.policy_version, digest=record.categories_digest,
                        chosen_at=record.chosen_at)


# --- analytics (COOK-6, COOK-7) ---------------------------------------------------------------------------

def visitor_key(token: str) -> str:
    """A keyed hash of the analytics cookie's value: the stored visitor cannot be turned back into it."""
    return hmac.new(settings.SECRET_KEY.encode(), b"visitor:" + token.encode(), hashlib.sha256).hexdigest()


def check_path(path: str) -> str:
    if (not isinstance(path, str) or not path.startswith("/") or path.startswith("//")
            or len(path) > MAX_PATH_LENGTH):
        raise CookieError(_("A page is a path of this site, such as /contact/."))
    return path


def record_page_view(*, token: str, path: str, user_agent: str = "", language: str = "", ip: str = "",
                     at: datetime.datetime | None = None) -> VisitPage:
    """Count a page in the visitor's current visit, or start a visit when the last page is more than the
    idle limit ago (COOK-6: 30 minutes). The IP address is stored truncated (COOK-7)."""
    path = check_path(path)
    if not token:
        raise CookieError(_("No analytics cookie: nothing is recorded."))
    at = at or timezone.now()
    key = visitor_key(token)
    idle = datetime.timedelta(minutes=settings.ANALYTICS_VISIT_IDLE_MINUTES)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Analytics may lose the last instant of pages in a crash; a visitor never waits for a WAL flush.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        visit = (Visit.objects.select_for_update()
                 .filter(visitor=key, last_seen_at__gte=at - idle, last_seen_at__lte=at)
                 .order_by("-last_seen_at").first())
        if visit is None:
            browser, device = classify_user_agent(user_agent[:512])
            visit = Visit.objects.create(visitor=key, started_at=at, last_seen_at=at, pages=1,
                                         device_family=device, browser_family=browser, language=language[:5],
                                         ip_prefix=truncate_ip(ip))
        else:
            Visit.objects.filter(pk=visit.pk).update(pages=F("pages") + 1, last_seen_at=at)
        return VisitPage.objects.create(visit=visit, at=at, path=path)


def erase_expired_analytics(*, at: datetime.datetime | None = None) -> int:
    """Erase visits older than the cookies' retention (ops_cookies: 24 months, RET-8); returns how many."""
    at = at or timezone.now()
    cutoff = at - datetime.timedelta(days=settings.ANALYTICS_RETENTION_DAYS)
    deleted, _per_model = Visit.objects.filter(last_seen_at__lt=cutoff).delete()
    return deleted


# --- statistics (REP-1) -----------------------------------------------------------------------------------

def visit_statistics(since: datetime.datetime, until: datetime.datetime | None = None) -> dict:
    """Aggregates only (REP-1): visits and pages per day, visits per device and per language per day (and
    their totals), the top pages, the mean pages per visit. Five grouped queries; no row of a visit leaves
    this function."""
    until = until or timezone.now()
    visits = Visit.objects.filter(started_at__gte=since, started_at__lt=until)
    pages = VisitPage.objects.filter(at__gte=since, at__lt=until)
    tz = timezone.get_current_timezone()
    per_day: dict[datetime.date, dict] = {}
    visit_pages = 0
    for row in (visits.annotate(day=TruncDate("started_at", tzinfo=tz)).values("day")
                .annotate(count=Count("id"), page_sum=Sum("pages")).order_by()):
        per_day[row["day"]] = {"visits": row["count"], "pages": 0}
        visit_pages += row["page_sum"] or 0
    page_rows = (pages.annotate(day=TruncDate("at", tzinfo=tz)).values("day")
                 .annotate(count=Count("id")).order_by())
    for row in page_rows:
        per_day.setdefault(row["day"], {"visits": 0, "pages": 0})["pages"] = row["count"]

    def per_day_by(field: str) -> tuple[list[dict], list[dict]]:
        rows = (visits.annotate(day=TruncDate("started_at", tzinfo=tz)).values("day", field)
                .annotate(count=Count("id")).order_by("day", field))
        daily = [{"day": row["day"], "key": row[field] or "", "count": row["count"]} for row in rows]
        totals: dict[str, int] = {}
        for row in daily:
            totals[row["key"]] = totals.get(row["key"], 0) + row["count"]
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        return daily, [{"key": key, "count": count} for key, count in ranked]

    devices_per_day, devices = per_day_by("device_family")
    languages_per_day, languages = per_day_by("language")
    total_visits = sum(counts["visits"] for counts in per_day.values())
    top_pages = list(pages.values("path").annotate(count=Count("id")).order_by("-count", "path")[:15])
    return {
        "visits": total_visits,
        "pages": sum(counts["pages"] for counts in per_day.values()),
        "mean_pages": visit_pages / total_visits if total_visits else 0.0,
        "per_day": [{"day": day, **counts} for day, counts in sorted(per_day.items())],
        "devices_per_day": devices_per_day,
        "languages_per_day": languages_per_day,
        "devices": devices,
        "languages": languages,
        "top_pages": top_pages,
    }
