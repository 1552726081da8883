"""`python -m bench [--size tiny|full] [--only NAME ...]`: run the benchmarks, one BENCH line each.

`make bench` runs them all at full size; CI runs `make bench BENCH_ARGS="--size tiny"` so that the
code keeps working (a few seconds of measuring, same lines). The database is BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/guichet_bench); BENCH_REDIS_URL, when set, gives the
server a Redis cache (otherwise each worker has its local-memory cache). Progress goes to stderr.
The exit status is 1 when a benchmark fails or counts errors; a ratio below its target is shown,
not failed (speed targets are read from the output, never asserted).
"""

import argparse
import importlib
import os
import sys
import time
import traceback

from bench import harness

# Benchmark name -> its module, imported only when it runs (some bring heavy libraries of their own).
BENCHMARKS = {
    "home": "bench.home",
    "password-hash": "bench.password_hash",
    "visits": "bench.visits",
    "ledger-append": "bench.ledger_append",
    "audience": "bench.audience",
    "authz": "bench.authz",
    "ebox-inbox": "bench.ebox_inbox",
    "signing": "bench.signing",
    "dsr-access": "bench.dsr_access",
    "retention": "bench.retention",
    "maf": "bench.maf",
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Guichet's benchmarks.")
    parser.add_argument("--size", choices=sorted(harness.SIZES), default="full",
                        help="data and durations: full (the sizes of the issues) or tiny (CI)")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), metavar="NAME",
                        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}")
    defaults = harness.ServerConfig()
    parser.add_argument("--workers", type=int, default=defaults.workers, help="gunicorn workers")
    parser.add_argument("--worker-class", default=defaults.worker_class, choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=defaults.threads, help="threads per gthread worker")
    parser.add_argument("--clients", type=int, default=defaults.clients, help="concurrent client connections")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    size = harness.SIZES[args.size]
    database_url = harness.setup_django()
    config = harness.ServerConfig(workers=args.workers, worker_class=args.worker_class, threads=args.threads,
                                  clients=args.clients)
    run = harness.Run(size, database_url, config, redis_url=os.environ.get("BENCH_REDIS_URL", ""))
    failed = False
    with harness.exclusive(database_url):
        try:
            harness.prepare_database(database_url, size)
            for name in args.only or list(BENCHMARKS):
                try:
                    fields = importlib.import_module(BENCHMARKS[name]).run(run)
                except Exception:  # noqa: BLE001 - report it and go on with the others
                    traceback.print_exc()
                    harness.log(f"{name} failed")
                    failed = True
                    continue
                print(harness.bench_line(name, fields), flush=True)
                failed = failed or bool(fields.get("errors"))
        finally:
            run.close()
    harness.log(f"{args.size} run done in {time.perf_counter() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
