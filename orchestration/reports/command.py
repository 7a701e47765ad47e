"""`ipwh report monthly [--period YYYY-MM] [--unit CODE] [--out DIR] [--no-pdf]`: the monthly 通报."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def add_report_parser(sub) -> None:
    report = sub.add_parser("report", help="write a report for officials (the monthly 通报)")
    report.add_argument("what", choices=["monthly"])
    report.add_argument("--period", help="month, YYYY-MM (default: the latest month in the warehouse)")
    report.add_argument("--unit", help="a unit's region code: the version for that unit (default: the city)")
    report.add_argument("--out", help="folder to write into (default: the current folder)")
    report.add_argument("--no-pdf", action="store_true", help="write the DOCX and the attachment only")
    report.add_argument("--warehouse", help="published warehouse file (default IPWH_WAREHOUSE)")
    report.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from ..exports import parse_period, warehouse_reader
    from ..settings import get_settings
    from .briefing import write_monthly_briefing
    from .content import latest_period

    warehouse = Path(args.warehouse).expanduser().resolve() if args.warehouse else Path(get_settings().warehouse_path)
    if not warehouse.exists():
        print(f"ipwh report: no published warehouse at {warehouse} (run ipwh build first)", file=sys.stderr)
        return 1
    if args.period:
        try:
            period_end = parse_period(args.period)
        except ValueError as exc:
            print(f"ipwh report: {exc}", file=sys.stderr)
            return 2
    else:
        read, close = warehouse_reader(warehouse)
        try:
            period_end = latest_period(read)
        finally:
            close()
        if period_end is None:
            print(f"ipwh report: the warehouse at {warehouse} has no period", file=sys.stderr)
            return 1
    started = time.monotonic()
    try:
        files = write_monthly_briefing(warehouse, period_end, Path(args.out or "."), args.unit, pdf=not args.no_pdf)
    except ValueError as exc:
        print(f"ipwh report: {exc}", file=sys.stderr)
        return 2
    print(f"ipwh report: wrote {files.docx}")
    if files.xlsx:
        print(f"ipwh report: attachment {files.xlsx}")
    if files.pdf:
        print(f"ipwh report: PDF {files.pdf}")
    for message in files.messages:
        if not message.startswith("PDF written"):
            print(f"ipwh report: {message}")
    print(f"ipwh report: {period_end:%Y-%m} in {time.monotonic() - started:.1f}s")
    return 0
