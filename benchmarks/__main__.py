"""`make bench`: every benchmark, printed as tables (copy them to docs/benchmarks.md)."""

from __future__ import annotations

import argparse
import os

from benchmarks.common import machine

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/loket_bench"


KNOWN = ("queue", "display", "workflow", "voice", "reports")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """``make bench`` passes no names: every benchmark runs."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    # No ``choices``: argparse checks a list default against them and refuses it (Python 3.11).
    parser.add_argument("which", nargs="*", metavar="{queue,display,workflow,voice,reports}",
                        help="which benchmarks (default: all)")
    parser.add_argument("--pg", default=os.environ.get("LOKET_BENCH_PG_URL", PG_DEFAULT),
                        help="PostgreSQL URL to benchmark as well ('' to skip)")
    args = parser.parse_args(argv)
    unknown = [w for w in args.which if w not in KNOWN]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(KNOWN)}")
    args.which = args.which or list(KNOWN)
    return args


def main() -> None:
    args = parse_args()
    print(f"machine: {machine()}\n")
    if "queue" in args.which:
        from benchmarks import queue_bench

        print("## Queue\n")
        print(queue_bench.main(args.pg or None))
        print()
    if "display" in args.which:
        from benchmarks import display_bench

        print("## Display: call to screen in headless Chromium\n")
        print(display_bench.main())
        print()
    if "workflow" in args.which:
        from benchmarks import workflow_bench

        print("## Workflow: breach detection with 10,000 open cases\n")
        print(workflow_bench.main(args.pg or None))
        print()
    if "voice" in args.which:
        from benchmarks import voice_bench

        print("## Voice: time to a first call and to a cached call\n")
        print(voice_bench.main())
        print()
    if "reports" in args.which:
        from benchmarks import reports_bench

        print("## Reports: the dashboard's queries on a month of 5,000 tickets\n")
        print(reports_bench.main(args.pg or None))
        print()


if __name__ == "__main__":
    main()
