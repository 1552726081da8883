"""`make lighthouse`: Lighthouse's accessibility audit of the home page as a first-time visitor sees it
(the cookie banner open), against a `manage.py runserver` started here on a free port with the demo data.

Prints `LIGHTHOUSE accessibility=<score>` (0-100) on stdout and each failed audit on stderr; the JSON
report is kept in var/lighthouse/report.json. Lighthouse itself comes from npm, installed by the Makefile
into var/lighthouse (git-ignored); Chromium is Debian's (CHROME_PATH).
"""

# ruff: noqa: S603 - the commands are this script's own (manage.py, the local lighthouse), no outside input
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "lighthouse"
LIGHTHOUSE = WORK / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("runserver exited before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def main(path: str = "/") -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    database = WORK / "demo.sqlite3"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="guichet.settings", DEBUG="1",
               DATABASE_URL=f"sqlite:///{database}",
               CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    env.pop("REDIS_URL", None)
    python = sys.executable
    fresh = not database.exists()
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    if fresh:
        subprocess.run([python, "manage.py", "load_demo", "--members", "50", "--quiet"], cwd=ROOT, env=env,
                       check=True)
    port = free_port()
    server = subprocess.Popen([python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = WORK / "report.json"
    try:
        url = f"http://127.0.0.1:{port}{path}"
        wait_ready(url, server)
        subprocess.run([str(LIGHTHOUSE), url, "--only-categories=accessibility", "--output=json",
                        f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}", "--quiet"],
                       cwd=ROOT, env=env, check=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    result = json.loads(report.read_text())
    category = result["categories"]["accessibility"]
    for ref in category["auditRefs"]:
        audit = result["audits"][ref["id"]]
        if audit.get("score") is not None and audit["score"] < 1:
            items = audit.get("details", {}).get("items", [])
            print(f"lighthouse: failed {ref['id']}: {audit['title']}", file=sys.stderr)
            for item in items[:10]:
                node = item.get("node", {})
                print(f"    {node.get('selector', '')}: {node.get('explanation', '')[:200]}", file=sys.stderr)
    print(f"LIGHTHOUSE accessibility={round(category['score'] * 100)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
