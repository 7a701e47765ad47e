"""Time the monthly 通报 on a built warehouse (issue: briefing < 10 s at city scale).

    .venv/bin/python bench/briefing_bench.py --warehouse FILE [--period YYYY-MM] [--repeat 3] [--label city]

Times, each the median of --repeat runs in this process: reading and wording the content from the
marts; the whole DOCX with charts and the attachment workbook (what the `monthly_briefing` asset
does); the same plus the PDF (what `ipwh report monthly` does). Also the calibration figure the
project records beside every timing (a pure-Python loop of 20M additions, median of 3; the targets
are for a machine where it takes 1.4 s). Prints a Markdown table row; not part of the test run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def calibration() -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(20_000_000):
            total += i
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def timed(function, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", required=True, type=Path)
    parser.add_argument("--period", help="YYYY-MM (default: the latest month)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)

    from orchestration.exports import parse_period, warehouse_reader
    from orchestration.reports.briefing import find_converter, write_monthly_briefing
    from orchestration.reports.content import briefing_content, latest_period

    read, close = warehouse_reader(args.warehouse)
    try:
        period_end = parse_period(args.period) if args.period else latest_period(read)
    finally:
        close()

    def content() -> None:
        reader, closer = warehouse_reader(args.warehouse)
        try:
            briefing_content(reader, period_end)
        finally:
            closer()

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        content_s = timed(content, args.repeat)
        docx_s = timed(lambda: write_monthly_briefing(args.warehouse, period_end, out, pdf=False), args.repeat)
        converter = find_converter()
        pdf_s = timed(lambda: write_monthly_briefing(args.warehouse, period_end, out, pdf=True), args.repeat) if converter else None
    calib = calibration()
    print("| scale | period | content | DOCX + charts + attachment | with PDF | calibration (20M additions) |")
    print("|---|---|---|---|---|---|")
    print(f"| {args.label or args.warehouse} | {period_end:%Y-%m} | {content_s:.2f} s | {docx_s:.2f} s | "
          + (f"{pdf_s:.2f} s ({converter[0]})" if pdf_s is not None else "no converter")
          + f" | {calib:.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
