"""Claims Portal benchmarks (``make bench`` / ``python -m bench``): figures are printed, never asserted.

* ``bench.perform`` — ``claims.services.perform`` with 8 worker processes on PostgreSQL, against
  ``pgbench`` TPC-B with 8 clients on the same server; plus one process alone (ops/s, p50/p99).
* ``bench.generate`` — a fast set-based generator of claims in the timed phases (default 1,000,000).
* ``bench.timers`` — ``claimsportal run-timers --once`` over the generated claims: wall time, peak RSS,
  and an SQL check of what moved.

See ``bench/README.md``.
"""
