"""`BENCH home`: the logged-in member home (GET /my/) against the bare one-query view, same server,
same run. Target: ratio = home requests/s / bare requests/s >= 0.5.

Each client logs in through the real login page as one of the registered demo personas (Marie,
Jan, Tom, round robin: each client its own session, as separate members would have), opens /my/
once as a browser does (keeping the cookies it sets: the consent cookie of the member's recorded
cookie choice), then asks for /my/ again and again with those cookies.

The personas are the usual member (see `harness.build_data`): they accepted the current terms, have
already seen the current privacy declaration and have answered the cookie banner, so the measured
page carries neither the "declaration changed" notice nor an open cookie banner (the banner is still
in the page, hidden, for the footer's "Cookies" link). A first visit after a new declaration or
without a cookie choice is not what a member sees on most pages. Marie holds parental authority over
her daughter, so the requests of her clients (two of the four) also show the "acting for" switcher
with two files.

Nothing is turned off: every request reads the session, the user and person, the affiliations,
checks the policy, slides the 30-minute idle limit (the session row is written at most every
SESSION_TOUCH_SECONDS) and writes a connection-log row. A response counts only if it is a 200
carrying the member home (not a redirect to the login or terms page); the others count as `errors`.

The two sides alternate round by round (bare, home, home, bare...) after a warm-up of each, with the
same clients, so a noisy neighbour hits both. `cpu_ms` and `db_cpu_ms` are the CPU time per response
of the gunicorn workers and of their PostgreSQL backends (see bench/harness.py).
"""

from bench import harness
from bench.harness import Measure, Run

NAME = "home"
HOME_MARKER = b'id="affiliations-title"'  # only the member home has it


def home_check(status: int, body: bytes) -> bool:
    return status == 200 and HOME_MARKER in body


def run(run: Run) -> dict:
    server = run.server()
    port = server.port
    logins = harness.member_logins()
    sessions = [harness.log_in(port, *logins[i % len(logins)]) for i in range(run.config.clients)]
    for cookies in sessions:
        status, headers, body = harness.http_request(port, "GET", "/my/", cookies=cookies)
        if not home_check(status, body):
            location = headers.get("Location", "")
            raise harness.BenchError(f"/my/ answered {status} {location} instead of the member home")
        harness.update_cookies(cookies, headers)  # the consent cookie of the recorded choice
        cookies.pop("messages", None)
        if "guichet_consent" not in cookies:
            raise harness.BenchError("the member's recorded cookie choice did not come back at /my/")
    sides = {
        "home": ([[harness.raw_get(port, "/my/", cookies)] for cookies in sessions], home_check),
        "bare": (run.bare_requests(), harness.bare_check),
    }
    for requests, check in sides.values():
        harness.hammer(port, requests, run.size.warmup_seconds, check)
    pids = harness.CpuPids.of(server)
    measures = {side: Measure() for side in sides}
    for round_ in range(run.size.rounds):
        order = ("bare", "home") if round_ % 2 == 0 else ("home", "bare")
        for side in order:
            requests, check = sides[side]
            measures[side].add(harness.hammer(port, requests, run.size.round_seconds, check, pids))
    home, bare = measures["home"], measures["bare"]
    run.bare = bare
    for side, measure in measures.items():
        if measure.first_error:
            harness.log(f"home: first error on the {side} side: {measure.first_error}")
    return {
        "rps": home.rps, "p50_ms": home.p50_ms, "p99_ms": home.p99_ms,
        "cpu_ms": home.cpu_ms, "db_cpu_ms": home.db_cpu_ms,
        "bare_rps": bare.rps, "bare_p50_ms": bare.p50_ms, "bare_p99_ms": bare.p99_ms,
        "bare_cpu_ms": bare.cpu_ms, "bare_db_cpu_ms": bare.db_cpu_ms,
        "members": run.size.members, "errors": home.errors + bare.errors,
        "ratio": home.rps / bare.rps if bare.rps else 0.0,
    }
