"""Run quizapp's benchmarks and print one table.

    uv run python -m bench              # everything; writes bench/RESULTS.md
    uv run python -m bench import       # one part (import, vault, study, math, cards,
                                        # exercise, tui, startup, calibration,
                                        # anki-import, anki-export, web, postgres,
                                        # postgres-study, postgres-import,
                                        # postgres-stats)
    uv run python -m bench --smoke      # tiny sizes, checks the scripts still run (used by CI)

Every timing is printed beside a baseline measured in the same run, because the machine is
shared and noisy; the goal column says what the figure must meet.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import parts
from bench.report import Row, table, write_results

PARTS: dict[str, Callable[[bool], list[Row]]] = {
    "import": parts.bench_import,
    "vault": parts.bench_vault,
    "study": parts.bench_study,
    "math": parts.bench_math,
    "cards": parts.bench_cards,
    "exercise": parts.bench_exercise,
    "drill": parts.bench_drill,
    "tui": parts.bench_tui,
    "startup": parts.bench_startup,
    "web": parts.bench_web,
    "calibration": parts.bench_calibration,
    "anki-import": parts.bench_anki_import,
    "anki-export": parts.bench_anki_export,
    "postgres": parts.bench_postgres,
    "postgres-study": parts.bench_postgres_study,
    "postgres-import": parts.bench_postgres_import,
    "postgres-stats": parts.bench_postgres_stats,
}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the chosen parts, print and record the table."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", choices=[*PARTS, []], help="parts to run (all)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; writes no RESULTS.md")
    args = parser.parse_args(argv)
    chosen = args.parts or list(PARTS)
    start = time.perf_counter()
    rows: list[Row] = []
    for name in chosen:
        print(f"== {name}", file=sys.stderr, flush=True)
        rows.extend(PARTS[name](args.smoke))
    elapsed = time.perf_counter() - start
    print(table(rows))
    if not args.smoke:
        command = "uv run python -m bench" + (" " + " ".join(args.parts) if args.parts else "")
        if args.parts:
            print("(a partial run: RESULTS.md is written only by a full run)", file=sys.stderr)
        else:
            write_results(Path(__file__).with_name("RESULTS.md"), rows, elapsed, command)
    missed = [r for r in rows if r.ok is False]
    if missed and not args.smoke:
        print(f"{len(missed)} figure(s) missed their goal", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
