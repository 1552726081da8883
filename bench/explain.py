"""`python -m bench.explain [--size tiny|full] [--requests N]`: where one request of `BENCH home` goes,
to read next to its ratio.

In this process, through Django's real WSGI handler and middleware stack (no HTTP, no gunicorn), on
the bench database at the given size (built if needed): for the member home (/my/, logged in as
Marie) and the bare view, it lists the SQL of one request, then runs N requests and prints per
request the Python CPU, the CPU of the PostgreSQL backend (when PostgreSQL runs on this machine) and
the wall time. Not a benchmark: no BENCH line, and the figures are for comparing the two pages.
"""

import argparse
import io
import sys
import time

from bench import harness

USER_AGENT = harness.USER_AGENT


def _environ(path: str, cookie: str) -> dict:
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": USER_AGENT, "HTTP_ACCEPT": "text/html", "HTTP_ACCEPT_LANGUAGE": "fr",
        "HTTP_COOKIE": cookie, "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(harness.SIZES), default="tiny")
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args(argv)
    database_url = harness.setup_django(GUICHET_BENCH_ENDPOINTS="1", ALLOWED_HOSTS="127.0.0.1,testserver")
    with harness.exclusive(database_url):
        return _explain(database_url, args)


def _explain(database_url: str, args: argparse.Namespace) -> int:
    harness.prepare_database(database_url, harness.SIZES[args.size])

    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.home import home_check
    from guichet.members.models import Person

    application = WSGIHandler()
    login, password = harness.member_logins()[0]
    client = Client(HTTP_USER_AGENT=USER_AGENT)
    if client.post("/accounts/login/", {"login": login, "password": password}).status_code != 302:
        raise harness.BenchError("the login of the demo persona failed")
    client.get("/my/")  # as in `BENCH home`: the consent cookie of the recorded choice comes back here
    client.cookies.pop("messages", None)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    person = Person.objects.order_by("pk").values_list("pk", flat=True)[0]
    pages = [
        ("home", "/my/", cookie, home_check),
        ("bare", f"/_bench/person/{person}/", "", harness.bare_check),
    ]
    health = settings.DATABASES["default"].get("CONN_HEALTH_CHECKS")

    for name, path, page_cookie, check in pages:
        def request(path=path, page_cookie=page_cookie, check=check) -> None:
            status = []

            def start_response(line, headers, exc_info=None):
                status.append(line)

            body = b"".join(application(_environ(path, page_cookie), start_response))
            if not check(int(status[0].split()[0]), body):
                raise harness.BenchError(f"{path} answered {status[0]}: {body[:200]!r}")

        for _ in range(50):
            request()
        with CaptureQueriesContext(connection) as captured:
            request()
        print(f"{name} {path}: {len(captured.captured_queries)} statements"
              + (" (+ 1 'SELECT 1' health check per request: CONN_HEALTH_CHECKS)" if health else ""))
        for query in captured.captured_queries:
            print(f"    {query['sql'][:150]}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        wall, cpu, db_cpu = time.perf_counter(), time.process_time(), harness.cpu_seconds([backend])
        for _ in range(args.requests):
            request()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        db_cpu = harness.cpu_seconds([backend]) - db_cpu
        per = 1000 / args.requests
        print(f"  per request: python {cpu * per:.2f} ms, postgresql {db_cpu * per:.2f} ms, "
              f"wall {wall * per:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
