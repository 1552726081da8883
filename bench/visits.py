"""`BENCH visits`: first-party analytics under load. Anonymous visitors who accepted analytics send the
beacon (POST /cookies/beacon/: consent cookie read, the visit of the last 30 minutes found and updated,
a page row written), against the bare one-query view, same server, same run. Target: ratio = beacon
requests/s / bare requests/s >= 0.5.

Each client accepts the cookies through the real choice form first (its own signed consent cookie and
analytics cookie, as a separate visitor would have). Then the staff statistics (REP-1) are computed over
`members x 10` synthetic visits spread over 90 days (three pages each), built here and removed at the
start of the next run: `stats_ms` is the time of `visit_statistics` over 30 days, `sql_ms` the same
aggregates as three hand-written queries, `stats_ratio` = sql_ms / stats_ms.
"""

import datetime
import random
import time

from bench import harness
from bench.harness import Measure, Run

NAME = "visits"
CSRF_FIELD = harness.CSRF_FIELD
PAGES = ["/", "/contact/", "/accounts/login/", "/cookies/", "/privacy/", "/terms/"]
DEVICES = ["desktop", "mobile", "tablet"]
LANGUAGES = ["fr", "nl", "en"]
# The same aggregates as visit_statistics, hand-written: visits by day, day and device, day and language
# (one scan, grouping sets), pages by day, the top pages.
HAND_WRITTEN_SQL = [
    """SELECT (started_at AT TIME ZONE %(tz)s)::date AS day, device_family, language, count(*), sum(pages)
         FROM cookies_visit WHERE started_at >= %(since)s AND started_at < %(until)s
        GROUP BY GROUPING SETS ((1), (1, device_family), (1, language))""",
    """SELECT (at AT TIME ZONE %(tz)s)::date, count(*) FROM cookies_visitpage
        WHERE at >= %(since)s AND at < %(until)s GROUP BY 1""",
    """SELECT path, count(*) FROM cookies_visitpage WHERE at >= %(since)s AND at < %(until)s
        GROUP BY path ORDER BY 2 DESC, path LIMIT 15""",
]


def accept_cookies(port: int) -> dict:
    """Accept all cookies through the real form, as a browser does; returns the visitor's cookies."""
    cookies: dict = {}
    status, headers, body = harness.http_request(port, "GET", "/cookies/")
    token = CSRF_FIELD.search(body)
    if status != 200 or token is None:
        raise harness.BenchError(f"GET /cookies/ answered {status} without a CSRF token")
    harness.update_cookies(cookies, headers)
    form = {"choice": "all", "next": "/", "csrfmiddlewaretoken": token.group(1).decode()}
    status, headers, _body = harness.http_request(port, "POST", "/cookies/choose/", cookies=cookies,
                                                  form=form)
    harness.update_cookies(cookies, headers)
    if status != 302 or "guichet_visitor" not in cookies or "guichet_consent" not in cookies:
        raise harness.BenchError(f"the cookie choice answered {status} without the consent and analytics "
                                 "cookies")
    cookies.pop("messages", None)
    return cookies


def raw_beacon(port: int, cookies: dict, path: str) -> bytes:
    body = f"path={path}"
    lines = ["POST /cookies/beacon/ HTTP/1.1", f"Host: 127.0.0.1:{port}", f"User-Agent: {harness.USER_AGENT}",
             "Accept-Language: fr", "Connection: keep-alive",
             "Content-Type: application/x-www-form-urlencoded",
             f"Content-Length: {len(body)}",
             "Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items())]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode("latin-1")


def beacon_check(status: int, body: bytes) -> bool:
    return status == 200 and body == b""


def reset_analytics() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute('TRUNCATE "cookies_visitpage", "cookies_visit", "cookies_cookiechoice"')


def build_visits(count: int) -> None:
    """`count` visits of three pages over the last 90 days, in bulk."""
    from django.utils import timezone

    from guichet.cookies.models import Visit, VisitPage

    rng = random.Random(6)
    now = timezone.now()
    batch = 5000
    for start in range(0, count, batch):
        visits = []
        for n in range(start, min(start + batch, count)):
            began = now - datetime.timedelta(seconds=rng.randrange(90 * 86400))
            visits.append(Visit(visitor=f"bench{n:058d}", started_at=began,
                                last_seen_at=began + datetime.timedelta(minutes=4), pages=3,
                                device_family=rng.choice(DEVICES), language=rng.choice(LANGUAGES),
                                ip_prefix="203.0.113.0"))
        Visit.objects.bulk_create(visits, batch_size=batch)
        VisitPage.objects.bulk_create(
            [VisitPage(visit=visit, at=visit.started_at + datetime.timedelta(minutes=2 * i),
                       path=rng.choice(PAGES))
             for visit in visits for i in range(3)], batch_size=batch)


def measure_statistics() -> dict:
    from django.db import connection
    from django.utils import timezone

    from guichet.cookies.services import visit_statistics

    until = timezone.now()
    since = until - datetime.timedelta(days=30)
    timings, sql_timings = [], []
    for _ in range(3):
        started = time.perf_counter()
        stats = visit_statistics(since, until)
        timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            results = []
            for query in HAND_WRITTEN_SQL:
                cursor.execute(query, {"since": since, "until": until, "tz": "Europe/Brussels"})
                results.append(cursor.fetchall())
        sql_timings.append(time.perf_counter() - started)
    per_day_visits = sum(row[3] for row in results[0] if row[1] is None and row[2] is None)
    if per_day_visits != stats["visits"] or sum(row[1] for row in results[1]) != stats["pages"]:
        raise harness.BenchError(f"the hand-written queries ({per_day_visits} visits) and visit_statistics "
                                 f"({stats['visits']}) disagree (another run sharing the tables?)")
    stats_ms, sql_ms = min(timings) * 1000, min(sql_timings) * 1000
    return {"stats_visits": stats["visits"], "stats_ms": stats_ms, "sql_ms": sql_ms,
            "stats_ratio": sql_ms / stats_ms if stats_ms else 0.0}


def run(run: Run) -> dict:
    reset_analytics()
    server = run.server()
    port = server.port
    visitors = [accept_cookies(port) for _ in range(run.config.clients)]
    sides = {
        "beacon": ([[raw_beacon(port, cookies, path) for path in PAGES] for cookies in visitors],
                   beacon_check),
        "bare": (run.bare_requests(), harness.bare_check),
    }
    for requests, check in sides.values():
        harness.hammer(port, requests, run.size.warmup_seconds, check)
    pids = harness.CpuPids.of(server)
    measures = {side: Measure() for side in sides}
    for round_ in range(run.size.rounds):
        order = ("bare", "beacon") if round_ % 2 == 0 else ("beacon", "bare")
        for side in order:
            requests, check = sides[side]
            measures[side].add(harness.hammer(port, requests, run.size.round_seconds, check, pids))
    beacon, bare = measures["beacon"], measures["bare"]
    for side, measure in measures.items():
        if measure.first_error:
            harness.log(f"visits: first error on the {side} side: {measure.first_error}")
    reset_analytics()
    started = time.perf_counter()
    build_visits(run.size.members * 10)
    harness.log(f"visits: {run.size.members * 10} visits built in {time.perf_counter() - started:.1f} s")
    statistics = measure_statistics()
    return {
        "rps": beacon.rps, "p50_ms": beacon.p50_ms, "p99_ms": beacon.p99_ms,
        "cpu_ms": beacon.cpu_ms, "db_cpu_ms": beacon.db_cpu_ms,
        "bare_rps": bare.rps, "bare_p50_ms": bare.p50_ms, "bare_cpu_ms": bare.cpu_ms,
        **statistics, "errors": beacon.errors + bare.errors,
        "ratio": beacon.rps / bare.rps if bare.rps else 0.0,
    }
