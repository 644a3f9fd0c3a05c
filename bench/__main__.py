"""``python -m bench [all|perform|timers|generate] [options]`` — see bench/README.md."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from bench.common import (
    DEFAULT_DATABASE_URL,
    DEFAULT_PGBENCH_DATABASE,
    DatabaseUrl,
    Summary,
    configure,
    heading,
    prepare_database,
    say,
    server_summary,
    setup_django,
)


def _positive(value: str) -> int:
    number = int(value.replace("_", "").replace(",", ""))
    if number <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return number


def _non_negative(value: str) -> int:
    number = int(value.replace("_", "").replace(",", ""))
    if number < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Claims Portal benchmarks on PostgreSQL. Figures are printed, never asserted.",
    )
    parser.add_argument(
        "which",
        nargs="?",
        default="all",
        choices=(
            "all",
            "perform",
            "timers",
            "generate",
            "api",
            "retention",
            "transfer",
            "lists",
            "dashboard",
            "feed",
            "webhooks",
            "floor",
        ),
        help="which benchmark (default: all = generate, timers, perform, api; retention: generate, then the "
        "retention job)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="benchmark database, DROPPED and recreated; its name must contain 'bench' "
        "(default $BENCH_DATABASE_URL or %(default)s)",
    )
    sizes = parser.add_argument_group("sizes")
    sizes.add_argument(
        "--claims", type=_positive, default=1_000_000, help="claims generated (default 1,000,000)"
    )
    sizes.add_argument(
        "--due", type=_non_negative, default=None, help="of which past their deadline (default 10%%)"
    )
    sizes.add_argument(
        "--seconds", type=float, default=20.0, help="duration of each perform/pgbench run (default 20)"
    )
    sizes.add_argument(
        "--workers", type=_positive, default=8, help="perform processes and pgbench clients (default 8)"
    )
    sizes.add_argument(
        "--perform-claims",
        type=_non_negative,
        default=0,
        help="claims generated in ClaimSubmitted for perform (default 3000 x --seconds; 3 operations each)",
    )
    sizes.add_argument(
        "--background-claims",
        type=_non_negative,
        default=0,
        help="'perform' alone: timed claims generated first so the table is not small (default 0)",
    )
    sizes.add_argument(
        "--transfer-claims",
        type=_positive,
        default=100_000,
        help="'transfer': active claims of one firm moved by transfer-claims (default 100,000)",
    )
    sizes.add_argument(
        "--transfer-workers",
        type=_positive,
        default=2,
        help="'transfer': transfer-claims --workers, connections moving claims at once (default 2)",
    )
    sizes.add_argument(
        "--batch-size",
        type=_positive,
        default=5000,
        help="run-timers and transfer-claims --batch-size (default 5000)",
    )
    sizes.add_argument(
        "--facts",
        type=_positive,
        default=5_000_000,
        help="'dashboard': management-information facts over 60 months (default 5,000,000)",
    )
    api = parser.add_argument_group("api (granian or gunicorn + wrk)")
    api.add_argument(
        "--api-server",
        default="granian",
        choices=("granian", "gunicorn"),
        help="the server (default granian, as make run and production)",
    )
    api.add_argument(
        "--topology",
        default="direct",
        choices=("direct", "prod"),
        help="direct: the server talks to PostgreSQL; prod: through PgBouncer in transaction pooling",
    )
    api.add_argument(
        "--pgbouncer-pool", type=_positive, default=8, help="--topology prod: PgBouncer server connections"
    )
    api.add_argument("--api-workers", type=_positive, default=2, help="server processes (default 2)")
    api.add_argument(
        "--api-worker-class",
        default="gthread",
        choices=("sync", "gthread"),
        help="gunicorn worker class (default gthread: keep-alive; sync closes every connection)",
    )
    api.add_argument(
        "--api-threads",
        type=_positive,
        default=4,
        help="threads per worker: granian blocking threads or gunicorn gthread threads (default 4)",
    )
    api.add_argument(
        "--api-claims-per-client",
        type=_non_negative,
        default=0,
        help="claims generated per wrk client (default 120 x --seconds, at least 300)",
    )
    api.add_argument(
        "--feed-claims", type=_positive, default=200, help="claims per client style (default 200)"
    )
    api.add_argument(
        "--feed-background", type=_non_negative, default=1000, help="other claims on the firm's worklist"
    )
    api.add_argument(
        "--feed-rate", type=float, default=20.0, help="liability decisions per second (default 20)"
    )
    api.add_argument(
        "--feed-interval", type=float, default=1.0, help="client polling interval, s (default 1)"
    )
    api.add_argument(
        "--webhook-rate",
        type=float,
        default=200.0,
        help="liability decisions per second for the webhook client, and claim changes per second of the "
        "webhook delivery measurement (default 200)",
    )
    hooks = parser.add_argument_group("webhooks (delivery after commit; also the end of 'feed')")
    hooks.add_argument(
        "--webhook-seconds", type=float, default=30.0, help="seconds of steady changes (default 30)"
    )
    hooks.add_argument(
        "--webhook-generators",
        type=_positive,
        default=4,
        help="processes changing claims through perform() (default 4)",
    )
    hooks.add_argument(
        "--webhook-deliverers",
        type=_positive,
        default=1,
        help="'run-timers --only webhook-deliveries' processes (default 1)",
    )
    hooks.add_argument(
        "--webhook-backlog",
        type=_non_negative,
        default=3000,
        help="then changes made with no deliverer running, to time how fast the deliverers empty the "
        "backlog (default 3000; 0 skips it)",
    )
    hooks.add_argument(
        "--webhook-window",
        type=_positive,
        default=10,
        help="claims each generator changes in turn (default 10: one claim's changes 0.2 s apart at "
        "200/s from 4 generators; 1: one claim's three changes one after the other)",
    )
    lists = parser.add_argument_group("lists (A2A reads of one large insurer at two sizes)")
    lists.add_argument(
        "--lists-small",
        type=_positive,
        default=100_000,
        help="claims of the first, small measurement (default 100,000); the second is at --claims",
    )
    lists.add_argument(
        "--lists-repeats", type=_positive, default=40, help="timed calls of each request (default 40)"
    )
    pg = parser.add_argument_group("pgbench")
    pg.add_argument("--no-pgbench", action="store_true", help="skip pgbench (no ratio)")
    pg.add_argument("--pgbench-scale", type=_positive, default=10, help="pgbench -i -s (default 10)")
    pg.add_argument(
        "--pgbench-database",
        default=DEFAULT_PGBENCH_DATABASE,
        help="database for pgbench, dropped and recreated; name must contain 'pgbench' (default %(default)s)",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        help="CLAIMSPORTAL_LOG_LEVEL for every process (default INFO, as in production)",
    )
    parser.add_argument(
        "--worker-logs", action="store_true", help="let perform workers' log lines through to stderr"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db = DatabaseUrl.parse(args.database_url)
    if args.which == "lists":
        # in-process reads: no rate limit, plain HTTP (the test client)
        os.environ.setdefault("CLAIMSPORTAL_A2A_RATE", "0")
        os.environ.setdefault("CLAIMSPORTAL_INSECURE_HTTP", "1")
    configure(db.url, args.log_level)
    setup_django()

    from bench import api, dashboard, floor, lists, perform, retention, timers, transfer, webhooks
    from bench.generate import cnf_check, ensure_world, generate_claims

    summary = Summary()
    started = time.monotonic()
    heading(f"Claims Portal benchmark: {args.which}")
    say(
        f"database {db.name}; claims {args.claims:,}; due "
        f"{(args.claims // 10 if args.due is None else args.due):,}; perform {args.workers} processes x "
        f"{args.seconds:g} s"
    )
    prepare_database(db)
    say(server_summary())
    try:
        if args.which in ("all", "timers", "generate", "retention"):
            heading("generate")
            due = args.claims // 10 if args.due is None else args.due
            result = generate_claims(ensure_world(), count=args.claims, due=due)
            summary.add("generate", f"claims inserted ({result.due:,} due)", f"{result.count:,}")
            summary.add("generate", "seconds (rate)", f"{result.seconds:.1f} ({result.rate:,.0f}/s)")
            summary.add("generate", "VACUUM ANALYZE seconds", f"{result.vacuum_seconds:.1f}")
            for phase, n in sorted(result.by_phase.items()):
                say(f"    due in {phase:<45} {n:>9,}")
            logging.disable(logging.INFO)  # the reference addClaims' log lines are not figures
            try:
                by_type = cnf_check(result.first_id, result.last_id)
            finally:
                logging.disable(logging.NOTSET)
            for claim_type, problems in by_type.items():
                say(
                    f"    stored CNF of {claim_type:<4} vs perform(addClaim): {'DIFFERENCES' if problems else 'same'}"
                )
                for problem in problems[:10]:
                    say(f"        {problem}")
            differ = sorted(t for t, problems in by_type.items() if problems)
            summary.add(
                "generate",
                "stored CNF vs perform(addClaim)",
                f"differs: {', '.join(differ)} (see log)" if differ else f"same ({', '.join(by_type)})",
            )
        if args.which in ("all", "timers"):
            heading("timers: run-timers --once")
            timers.run(args, db, summary)
        if args.which == "retention":
            heading("retention: claimsportal retention")
            retention.run(args, db, summary)
        if args.which == "perform" and args.background_claims:
            heading("background claims")
            generate_claims(ensure_world(), count=args.background_claims, due=0)
        if args.which in ("all", "perform"):
            heading("perform")
            perform.run(args, db, summary)
        if args.which in ("all", "transfer"):
            heading("transfer: transfer-claims")
            transfer.run(args, db, summary)
        if args.which == "lists":
            heading("lists: worklist, searches, notifications at two sizes")
            lists.run(args, summary)
        if args.which in ("all", "api"):
            heading(f"api: {args.api_server} + wrk")
            api.run(args, db, summary)
        if args.which in ("all", "dashboard"):
            heading("dashboard: 5 years of facts")
            dashboard.run(args, db, summary)
        if args.which == "feed":
            heading("feed: polling, cursor feed and webhook clients")
            api.run_feed(args, db, summary)
        if args.which == "floor":
            heading("floor: the HTTP stack's CPU per request before the product's work")
            floor.run(args, db, summary)
        if args.which in ("feed", "webhooks"):
            heading("webhooks: delivery after commit at a steady change rate")
            webhooks.run(args, summary)
    except KeyboardInterrupt:
        say("interrupted")
        summary.print()
        return 130
    summary.print()
    say(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
