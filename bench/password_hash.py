"""`BENCH password-hash`: the cost of one password hash with the project's hasher (Argon2, ACC-3),
which bounds the login rate: every login checks one password, and checking costs one hash.

`ms` is the wall time of one hash and `cpu_ms` its CPU time (Django's Argon2 runs 8 lanes in
parallel threads, so CPU and wall time differ on a multi-core machine); `logins_per_s_per_core` is
1000 / cpu_ms. The baseline is the gunicorn workers' CPU time for one bare request (`bare_cpu_ms`,
from `BENCH home` when it ran in the same invocation, measured here otherwise): ratio = cpu_ms /
bare_cpu_ms, i.e. one login costs the server as much CPU as `ratio` bare requests. No target: the
figure is there to size the login capacity (and to notice if the hasher's parameters change).
"""

import statistics
import time

from bench.harness import Run

NAME = "password-hash"


def run(run: Run) -> dict:
    from django.contrib.auth.hashers import get_hasher, make_password

    from guichet.accounts.demo import DEMO_MEMBER_PASSWORD

    hasher = get_hasher()
    make_password(DEMO_MEMBER_PASSWORD)  # loads the library, warms the allocator
    walls, cpus = [], []
    for _ in range(run.size.hashes):
        wall, cpu = time.perf_counter(), time.process_time()
        make_password(DEMO_MEMBER_PASSWORD)
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    cpu_ms = statistics.median(cpus)
    bare = run.bare or run.measure_bare()
    return {
        "algorithm": hasher.algorithm, "ms": statistics.median(walls), "cpu_ms": cpu_ms,
        "logins_per_s_per_core": 1000 / cpu_ms, "bare_cpu_ms": bare.cpu_ms,
        "ratio": cpu_ms / bare.cpu_ms if bare.cpu_ms else 0.0,
    }
