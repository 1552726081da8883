"""What every benchmark shares: the bench database and its data, a gunicorn server, a load generator,
percentiles and the `BENCH` line.

Database. BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/guichet_bench) names a
database the harness owns: it drops and re-creates it whenever the data it holds was built for
another size, another DATA_VERSION, other source files or another ledger signing key (a fingerprint in
its table `bench_dataset`),
and otherwise reuses the data, so a rerun at the same size starts measuring in seconds.
Per-run leftovers (connection-log rows, sessions) are emptied at each start so runs stay comparable.
Runs on the same database take turns (`exclusive`: an advisory lock), so two `make bench` at once
neither drop the database under each other nor share the cores.

Server. gunicorn with the project's settings and DATABASE_URL, GUICHET_BENCH_ENDPOINTS=1, DEBUG=0,
ALLOWED_HOSTS=127.0.0.1 and a random SECRET_KEY, on a free 127.0.0.1 port; REDIS_URL is removed
(the cache is the per-worker local memory, as in the default configuration) unless
BENCH_REDIS_URL is given. The default is 2 sync workers, the usual gunicorn set-up behind a proxy
(see `ServerConfig` for the others tried on the 2-core machine).

Load. `hammer` runs a few client threads for a fixed time, each with its own connection (kept alive
when the server allows it, re-opened when it answers `Connection: close`, as sync workers do), and
sends pre-built GET requests over raw sockets: a lean client leaves the two cores to the server and
PostgreSQL. Each response is checked (status and content); a failed check or a broken connection
counts as an error, never as throughput. The CPU time of the gunicorn workers, and of the PostgreSQL
backends serving them when PostgreSQL runs on this machine, is sampled around each measure: it gives
the CPU cost of one request in Python (`cpu_ms`) and in the database (`db_cpu_ms`, 0 when PostgreSQL
runs elsewhere), which tells where a ratio comes from.
"""

import hashlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guichet_bench"
DATA_VERSION = 2  # bump when build_data changes, so that existing bench databases are rebuilt
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


class BenchError(Exception):
    """The benchmark cannot measure what it should (set-up failed, wrong page served...)."""


def log(message: str) -> None:
    """Progress goes to stderr; stdout carries only the BENCH lines."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- sizes and configuration -----------------------------------------------------------------------

@dataclass(frozen=True)
class Size:
    name: str
    members: int  # synthetic members of the registry; the six demo personas come on top
    warmup_seconds: float  # per side, before measuring; discarded
    round_seconds: float  # one measured round of one side
    rounds: int  # measured rounds per side; the sides alternate round by round
    hashes: int  # password hashes timed


SIZES = {
    "tiny": Size("tiny", members=200, warmup_seconds=0.3, round_seconds=0.5, rounds=2, hashes=3),
    "full": Size("full", members=10_000, warmup_seconds=2.0, round_seconds=2.0, rounds=5, hashes=10),
}


@dataclass(frozen=True)
class ServerConfig:
    """gunicorn's shape and the client's concurrency.

    Default: 2 sync workers (one per core) and 4 client connections, so that a worker never waits
    for the next request. On the 2-core machine, 3 or 4 sync workers, 2 gthread workers with 2 or 4
    threads (keep-alive) and 2 or 8 clients all gave the same ratio within the run-to-run noise
    (0.13-0.22 for `BENCH home` while other jobs shared the machine): the work is CPU-bound, Python
    and PostgreSQL on the same two cores, so more workers only add context switches. Override with
    --workers/--worker-class/--threads/--clients to compare again."""

    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1
    clients: int = 4
    wsgi_app: str = "guichet.wsgi:application"  # another module may wrap it (profiling, experiments)


# --- the bench database --------------------------------------------------------------------------

def setup_django(**extra_env: str) -> str:
    """Set Django up in this process on the bench database (data set-up, password hashing,
    explain); returns the database URL. DEBUG is off, as on the server."""
    database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    os.environ.update(DJANGO_SETTINGS_MODULE="guichet.settings", DATABASE_URL=database_url, DEBUG="0")
    os.environ.update(extra_env)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    return database_url


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def _libpq(url: str) -> str:
    """psycopg wants postgresql:// or postgres:// ; dj-database-url also accepts pgsql:// etc."""
    return re.sub(r"^[a-z0-9+]+://", "postgresql://", url)


@contextmanager
def exclusive(url: str) -> Iterator[None]:
    """One bench run at a time per bench database (a PostgreSQL advisory lock held by a connection
    to the maintenance database): a second run waits instead of dropping the database under the
    first one, and the two do not disturb each other's measures."""
    key = f"guichet-bench:{database_name(url)}"
    with psycopg.connect(_libpq(_maintenance_url(url)), autocommit=True) as holder:
        if not holder.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [key]).fetchone()[0]:
            log("another bench run is using this database: waiting for it to end")
            holder.execute("SELECT pg_advisory_lock(hashtext(%s))", [key])
        yield


# The files the bench data is made from: when one changes, data built before may no longer be what the
# code expects (a new cookie register, another demo persona), so the database is rebuilt.
DATA_SOURCES = ("bench/*.py", "guichet/*/migrations/*.py", "guichet/*/demo.py", "guichet/*/register.yaml",
                "guichet/privacy/register/*.yaml", "guichet/terms/texts/**/*")


def _sources_digest() -> str:
    digest = hashlib.sha256()
    for pattern in DATA_SOURCES:
        for path in sorted(p for p in ROOT.glob(pattern) if p.is_file()):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def data_fingerprint(**size) -> dict:
    """What bench data depends on: its size, DATA_VERSION, the files it is built from and the ledger's
    signing key (the checkpoints of the data's ledger are signed with it: under another key, as in a
    fresh clone that generates its own, `ledger verify` would rightly fail on them)."""
    from guichet.ledger.signing import fingerprint, public_key

    return {"version": DATA_VERSION, **size, "sources": _sources_digest(), "ledger_key": fingerprint(public_key())}


def _stored_fingerprint(url: str) -> dict | None:
    with psycopg.connect(_libpq(_maintenance_url(url)), autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)])
        exists = found.fetchone()
    if not exists:
        return None
    with psycopg.connect(_libpq(url), autocommit=True) as db:
        if db.execute("SELECT to_regclass('bench_dataset')").fetchone()[0] is None:
            return None
        row = db.execute("SELECT value FROM bench_dataset WHERE key = 'data'").fetchone()
    return row[0] if row else None


def _recreate_database(url: str) -> None:
    name = sql.Identifier(database_name(url))
    with psycopg.connect(_libpq(_maintenance_url(url)), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


def _store_fingerprint(url: str, fingerprint: dict) -> None:
    with psycopg.connect(_libpq(url), autocommit=True) as db:
        db.execute("CREATE TABLE IF NOT EXISTS bench_dataset (key text PRIMARY KEY, value jsonb NOT NULL)")
        db.execute(
            "INSERT INTO bench_dataset (key, value) VALUES ('data', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(fingerprint)],
        )


def prepare_database(url: str, size: Size) -> None:
    """Make the bench database hold the data of `size`, building it only when it does not yet.
    Django must be set up with DATABASE_URL=url (bench/__main__.py does it)."""
    from django.core.management import call_command
    from django.db import connection

    fingerprint = data_fingerprint(members=size.members)
    reuse = _stored_fingerprint(url) == fingerprint
    if not reuse:
        log(f"creating database {database_name(url)} for {size.members} members")
        connection.close()
        _recreate_database(url)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if not reuse:
        build_data(size)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        _store_fingerprint(url, fingerprint)
        log(f"data built in {time.perf_counter() - started:.1f} s")
    else:
        log(f"reusing the data of {database_name(url)} ({size.members} members)")
    _reset_run_state()


def build_data(size: Size) -> None:
    """The registry (`size.members` synthetic members), the demo personas, their logins and the
    terms. The registered personas are members as they usually are on a given day: they have
    accepted the current general terms, seen the current privacy declaration (no "it has changed"
    notice) and answered the cookie banner (all cookies accepted, as `BENCH visits` does; the consent
    cookie comes back at their first page, so the banner is closed)."""
    from django.core.management import call_command

    from guichet.cookies.register import load_cookie_register
    from guichet.cookies.services import save_cookie_choice
    from guichet.members.models import Person
    from guichet.privacy.services import current_declaration, mark_declaration_seen
    from guichet.terms.services import accept_current_terms

    call_command("load_demo", members=size.members, quiet=True, documents=False)
    declaration = current_declaration()
    every_category = load_cookie_register().optional_keys
    for person in Person.objects.filter(account__isnull=False):
        accept_current_terms(person, channel="bench")
        mark_declaration_seen(person, declaration)
        save_cookie_choice(every_category, person=person)


def _reset_run_state() -> None:
    """Empty what earlier runs left (connection-log rows, sessions), then checkpoint, so that every
    run starts from the same tables and no checkpoint of the set-up falls inside a measure."""
    from django.db import DatabaseError, connection

    from guichet.accounts.models import UserSession
    from guichet.traffic.models import Connection

    with connection.cursor() as cursor:
        for model in (Connection, UserSession):
            cursor.execute(f'TRUNCATE "{model._meta.db_table}"')
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:  # needs a superuser or pg_checkpoint: then the run goes without
        log("no CHECKPOINT (the bench database user may not run it)")


def member_logins() -> list[tuple[str, str]]:
    """(national number, password) of the registered demo personas (Marie, Jan, Tom)."""
    from guichet.accounts.demo import DEMO_MEMBER_PASSWORD
    from guichet.members.demo import PERSONAS
    from guichet.members.models import Person

    names = [(first, last) for _key, first, last, *_rest, registered in PERSONAS if registered]
    logins = []
    for first, last in names:
        person = Person.objects.filter(first_name=first, last_name=last, member_number__startswith="9",
                                       account__isnull=False).first()
        if person is None:
            raise BenchError(f"the demo persona {first} {last} has no account in the bench database")
        logins.append((person.national_number, DEMO_MEMBER_PASSWORD))
    return logins


# --- the server -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn master and its workers, serving the bench database."""

    def __init__(self, database_url: str, config: ServerConfig, redis_url: str = ""):
        self.database_url = database_url
        self.config = config
        self.redis_url = redis_url
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None

    def start(self) -> "Server":
        self.port = free_port()
        env = dict(os.environ)
        env.pop("REDIS_URL", None)
        env.update(
            DJANGO_SETTINGS_MODULE="guichet.settings", DATABASE_URL=self.database_url,
            GUICHET_BENCH_ENDPOINTS="1", DEBUG="0", ALLOWED_HOSTS="127.0.0.1",
            SECRET_KEY=secrets.token_urlsafe(50),
        )
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        handle, name = tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")
        self.log_path = Path(name)
        command = [
            sys.executable, "-m", "gunicorn", self.config.wsgi_app,
            "--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT),
            "--workers", str(self.config.workers), "--worker-class", self.config.worker_class,
            "--threads", str(self.config.threads), "--keep-alive", "5", "--backlog", "128",
            "--log-level", "warning", "--error-logfile", "-",
        ]
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
        os.close(handle)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        log(f"gunicorn on 127.0.0.1:{self.port}: {self.config.workers} {self.config.worker_class} workers"
            + (f" x {self.config.threads} threads" if self.config.worker_class == "gthread" else ""))
        return self

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                status, _headers, _body = http_request(self.port, "GET", "/_bench/ping/")
            except OSError:
                time.sleep(0.1)
                continue
            if status == 200:
                return
            raise BenchError(f"gunicorn answers {status} to /_bench/ping/:\n{self.log_tail()}")
        raise BenchError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        master = self.process.pid
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = _proc_stat(int(entry))
                if stat and int(stat[1]) == master:  # field 4 of /proc/pid/stat: the parent
                    pids.append(int(entry))
        return pids

    def backend_pids(self) -> list[int]:
        """The PostgreSQL backends connected to the bench database (the workers' persistent
        connections, once each worker has served a request), if /proc shows them."""
        with psycopg.connect(_libpq(self.database_url), autocommit=True) as db:
            rows = db.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            ).fetchall()
        return [pid for (pid,) in rows if Path(f"/proc/{pid}/stat").exists()]

    def log_tail(self, lines: int = 30) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # quick shutdown of master and workers
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log_path is not None:
            text = self.log_path.read_text(errors="replace").strip()
            if text and ("Traceback" in text or "ERROR" in text or "CRITICAL" in text):
                log(f"gunicorn log ({self.log_path}):\n{self.log_tail()}")
            else:
                self.log_path.unlink(missing_ok=True)


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (so [0] is the state, [1] the parent)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of these processes, all their threads included."""
    total = 0
    for pid in pids:
        stat = _proc_stat(pid)
        if stat:
            total += int(stat[11]) + int(stat[12])  # utime, stime
    return total / CLOCK_TICKS


# --- HTTP -----------------------------------------------------------------------------------------

def http_request(port: int, method: str, path: str, *, cookies: dict | None = None, form: dict | None = None,
                 timeout: float = 30.0) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request with http.client, for the set-up steps (login); not for measuring."""
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html", "Accept-Language": "fr"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def update_cookies(cookies: dict, headers: http.client.HTTPMessage) -> dict:
    for header in headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip()
    return cookies


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def log_in(port: int, login: str, password: str) -> dict:
    """Log in through the real login page (GET for the CSRF cookie and token, then POST), as a
    browser does; returns the cookies of the new session. The member must land on their home."""
    cookies: dict = {}
    status, headers, body = http_request(port, "GET", "/accounts/login/")
    token = CSRF_FIELD.search(body)
    if status != 200 or token is None:
        raise BenchError(f"GET /accounts/login/ answered {status} without a CSRF token")
    update_cookies(cookies, headers)
    form = {"login": login, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
    status, headers, body = http_request(port, "POST", "/accounts/login/", cookies=cookies, form=form)
    update_cookies(cookies, headers)
    location = headers.get("Location", "")
    if status != 302 or not location.endswith("/my/") or "sessionid" not in cookies:
        raise BenchError(f"login of {login} answered {status} to {location or 'nowhere'}: "
                         f"{body[:300].decode(errors='replace')}")
    return cookies


def raw_get(port: int, path: str, cookies: dict | None = None) -> bytes:
    """The bytes of a browser-like GET, built once and sent as is by `hammer`."""
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"User-Agent: {USER_AGENT}",
             "Accept: text/html,application/xhtml+xml", "Accept-Language: fr", "Connection: keep-alive"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items()))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _read_response(sock: socket.socket, buffer: bytearray) -> tuple[int, bool, bytes]:
    """(status, whether the server closes the connection, body); needs a Content-Length, which
    Django's CommonMiddleware always sets."""
    while (end := buffer.find(b"\r\n\r\n")) < 0:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before the response headers")
        buffer += chunk
    head = bytes(buffer[:end]).decode("latin-1").split("\r\n")
    del buffer[:end + 4]
    status = int(head[0].split(" ", 2)[1])
    length, closes = None, head[0].startswith("HTTP/1.0")
    for line in head[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection":
            closes = value.strip().lower() == "close"
    if length is None:
        raise ConnectionError("response without Content-Length")
    while len(buffer) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed in the response body")
        buffer += chunk
    body = bytes(buffer[:length])
    del buffer[:length]
    return status, closes, body


# --- measuring ------------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Measure:
    """What one or several runs of `hammer` saw on one side."""

    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    completed: int = 0  # responses the server CPU sample covers (ok, errors and those after the end)
    cpu_seconds: float = 0.0  # gunicorn workers
    db_cpu_seconds: float = 0.0  # PostgreSQL backends
    first_error: str = ""

    def add(self, other: "Measure") -> "Measure":
        self.ok += other.ok
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies_ms += other.latencies_ms
        self.completed += other.completed
        self.cpu_seconds += other.cpu_seconds
        self.db_cpu_seconds += other.db_cpu_seconds
        self.first_error = self.first_error or other.first_error
        return self

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies_ms, 50)

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies_ms, 99)

    @property
    def cpu_ms(self) -> float:
        """Server (gunicorn workers) CPU time per response."""
        return 1000 * self.cpu_seconds / self.completed if self.completed else 0.0

    @property
    def db_cpu_ms(self) -> float:
        """PostgreSQL (backends of the workers) CPU time per response."""
        return 1000 * self.db_cpu_seconds / self.completed if self.completed else 0.0


Check = Callable[[int, bytes], bool]


@dataclass(frozen=True)
class CpuPids:
    """The processes whose CPU time a measure samples."""

    workers: list[int]
    database: list[int]

    @classmethod
    def of(cls, server: "Server") -> "CpuPids":
        """Call after a warm-up, when every worker holds its database connection."""
        return cls(server.worker_pids(), server.backend_pids())


def hammer(port: int, requests: list[list[bytes]], seconds: float, check: Check,
           pids: CpuPids | None = None) -> Measure:
    """Client i sends requests[i] in turn, again and again, for `seconds`; one thread per client.
    Responses completed after the deadline are not counted (their CPU is, in `completed`)."""
    state = {"deadline": 0.0}
    go = threading.Event()
    results = [Measure() for _ in requests]

    def client(mine: list[bytes], result: Measure) -> None:
        sock, buffer, turn = None, bytearray(), 0
        go.wait()
        deadline = state["deadline"]
        while (started := time.perf_counter()) < deadline:
            try:
                if sock is None:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    buffer.clear()
                sock.sendall(mine[turn % len(mine)])
                turn += 1
                status, closes, body = _read_response(sock, buffer)
                good = check(status, body)
                problem = "" if good else f"status {status}: {body[:200].decode(errors='replace')}"
            except OSError as error:
                closes, good, problem = True, False, f"{type(error).__name__}: {error}"
            finished = time.perf_counter()
            result.completed += 1
            if closes and sock is not None:
                sock.close()
                sock = None
            if finished > deadline:
                break
            if good:
                result.ok += 1
                result.latencies_ms.append((finished - started) * 1000)
            else:
                result.errors += 1
                result.first_error = result.first_error or problem
        if sock is not None:
            sock.close()

    threads = [threading.Thread(target=client, args=(mine, result), daemon=True)
               for mine, result in zip(requests, results, strict=True)]
    for thread in threads:
        thread.start()
    pids = pids or CpuPids([], [])
    cpu_before, db_cpu_before = cpu_seconds(pids.workers), cpu_seconds(pids.database)
    state["deadline"] = time.perf_counter() + seconds
    go.set()
    for thread in threads:
        thread.join()
    total = Measure(seconds=seconds, cpu_seconds=cpu_seconds(pids.workers) - cpu_before,
                    db_cpu_seconds=cpu_seconds(pids.database) - db_cpu_before)
    for result in results:
        total.add(result)
    total.seconds = seconds
    return total


# --- a run ------------------------------------------------------------------------------------------

def bare_check(status: int, body: bytes) -> bool:
    return status == 200 and body.startswith(b"person ")


class Run:
    """One invocation of `python -m bench`: its size, database and (lazily started) server, shared by
    the benchmarks, and the bare baseline once measured."""

    def __init__(self, size: Size, database_url: str, config: ServerConfig, redis_url: str = ""):
        self.size = size
        self.database_url = database_url
        self.config = config
        self.redis_url = redis_url
        self._server: Server | None = None
        self._server_error: BenchError | None = None
        self.bare: Measure | None = None  # the latest measure of the bare view, for later comparisons

    def server(self) -> Server:
        """The server, started at the first call; if it could not start, the same error each time."""
        if self._server_error is not None:
            raise self._server_error
        if self._server is None:
            try:
                self._server = Server(self.database_url, self.config, self.redis_url).start()
            except BenchError as error:
                self._server_error = error
                raise
        return self._server

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def bare_requests(self, per_client: int = 64) -> list[list[bytes]]:
        """Each client asks for persons picked at random among the registry (a stable sample)."""
        from guichet.members.models import Person

        port = self.server().port
        wanted = per_client * self.config.clients
        ids = list(Person.objects.order_by("?").values_list("pk", flat=True)[:wanted])
        if not ids:
            raise BenchError("the bench database holds no person")
        return [[raw_get(port, f"/_bench/person/{pk}/") for pk in ids[i::self.config.clients]]
                for i in range(self.config.clients)]

    def measure_bare(self) -> Measure:
        """A bare measure on its own (warm-up, then the rounds of this size), for benchmarks run
        without `home`, which measures the bare view interleaved with the member home."""
        server = self.server()
        requests = self.bare_requests()
        hammer(server.port, requests, self.size.warmup_seconds, bare_check)
        pids = CpuPids.of(server)
        measure = Measure()
        for _ in range(self.size.rounds):
            measure.add(hammer(server.port, requests, self.size.round_seconds, bare_check, pids))
        self.bare = measure
        return measure


# --- output -----------------------------------------------------------------------------------------

def _format(value) -> str:
    if isinstance(value, bool) or isinstance(value, int) or isinstance(value, str):
        return str(value)
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def bench_line(name: str, fields: dict) -> str:
    """`BENCH <name> key=value ... ratio=<r>`: the fields in their order, ratio last."""
    parts = [f"{key}={_format(value)}" for key, value in fields.items() if key != "ratio"]
    parts.append(f"ratio={_format(fields['ratio'])}")
    return f"BENCH {name} " + " ".join(parts)


# --- benchmarks with a database of their own, filled with COPY ---------------------------------------

def own_database_url(url: str, suffix: str) -> str:
    """The URL of a benchmark's own database beside the shared one (e.g. guichet_bench_authz)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database_name(url)}_{suffix}"))


def connect_alias(alias: str, url: str) -> None:
    """Give Django a second connection, `alias`, to a benchmark's own database."""
    from django.db import connections

    settings = dict(connections.settings["default"])
    settings["NAME"] = database_name(url)
    connections.settings[alias] = settings


def copy_rows(db, table: str, columns: list[str], rows) -> None:
    """COPY rows (tuples; None is NULL) into a table, in blocks of 50,000 lines."""
    import io

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)))
    with db.cursor() as cursor, cursor.copy(statement) as copy:
        buffer = io.StringIO()
        for count, row in enumerate(rows, start=1):
            buffer.write("\t".join("\\N" if value is None else str(value) for value in row))
            buffer.write("\n")
            if count % 50_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())


def default_columns(model, given: list[str]) -> dict:
    """A value for each concrete column not given, so fields other apps add later keep working."""
    values = {}
    for model_field in model._meta.concrete_fields:
        if model_field.column in given or model_field.primary_key:
            continue
        if model_field.null:
            values[model_field.column] = None
        elif model_field.has_default() and not callable(model_field.default):
            values[model_field.column] = model_field.default
        elif model_field.get_internal_type() in ("CharField", "TextField", "EmailField", "URLField"):
            values[model_field.column] = ""
        else:
            raise BenchError(f"no value for {model.__name__}.{model_field.name} in the bulk data")
    return values
