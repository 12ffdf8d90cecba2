"""`make bench`: every benchmark, printed as tables (copy them to docs/benchmarks.md)."""

from __future__ import annotations

import argparse
import os

from benchmarks.common import machine

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/loket_bench"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("which", nargs="*", default=["queue", "display", "workflow"],
                        choices=["queue", "display", "workflow"])
    parser.add_argument("--pg", default=os.environ.get("LOKET_BENCH_PG_URL", PG_DEFAULT),
                        help="PostgreSQL URL to benchmark as well ('' to skip)")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
