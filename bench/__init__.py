"""Guichet's benchmarks: `make bench` (or `python -m bench`) prints one `BENCH <name> ... ratio=<r>` line
per benchmark.

Each benchmark compares itself with a baseline measured in the same run on the same machine, since
absolute times mean little on shared, noisy machines. The run builds its own PostgreSQL database
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/guichet_bench) and its own gunicorn
server; see bench/harness.py.

Adding a benchmark: write `bench/<name>.py` with a module docstring that states what is measured
against what and the target, a `NAME` and a `run(run: harness.Run) -> dict` returning the fields of
its line (`ratio` included; `harness.bench_line` puts it last), then list the module in
`bench/__main__.py`. Data it needs beyond the registry goes in `harness.Size` and `harness.build_data`
(bump `harness.DATA_VERSION` so that databases built before are rebuilt).
"""
