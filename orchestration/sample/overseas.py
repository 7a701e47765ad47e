"""Overseas filings: PCT applications, Madrid international registrations, direct foreign filings."""

from __future__ import annotations

import itertools
from datetime import date

from . import vocab
from .context import Context
from .entities import Population
from .plan import LAST_DATE, OVERSEAS_CITY
from .writers import BadRule, FileSpec, TableWriter

OVERSEAS_RULES = [
    BadRule("missing_key", "filing_no"),
    BadRule("invalid_date", "filing_date"),
    BadRule("unknown_value", "kind", ("台湾专利", "港澳商标")),
]
KINDS = (("PCT", 0.5), ("马德里", 0.3), ("国外专利", 0.12), ("国外商标", 0.08))


def overseas_specs(ctx: Context) -> list[tuple[FileSpec, tuple[int, ...]]]:
    if not ctx.detailed:
        cols = [("类型", "kind"), ("申请号", "filing_no"), ("申请日", "filing_date"), ("申请人", "applicant"),
                ("申请人地址", "address"), ("指定国家", "countries")]
        return [(FileSpec("overseas_filings", "overseas_2014_2026-10.csv", LAST_DATE, cols), tuple(range(2014, 2027)))]
    return [
        (FileSpec("overseas_filings", "海外专利商标申请_2014-2022.csv", date(2022, 12, 31), [
            ("类型", "kind"), ("申请号", "filing_no"), ("申请日", "filing_date"), ("申请人", "applicant"),
            ("申请人地址", "address"), ("指定国家", "countries")], encoding="gbk", date_style="dot", list_sep="、"),
         tuple(range(2014, 2023))),
        (FileSpec("overseas_filings", "overseas_2023-01_2026-10.xlsx", LAST_DATE, [
            ("类型", "kind"), ("国际申请号", "filing_no"), ("国际申请日", "filing_date"), ("申请人", "applicant"),
            ("统一社会信用代码", "applicant_uscc"), ("指定国家", "countries")], fmt="xlsx", date_style="serial",
            list_sep=","), (2023, 2024, 2025, 2026)),
    ]


def write_overseas(ctx: Context, writers: list[tuple[TableWriter, tuple[int, ...]]], pop: Population,
                   area_index: int, share: float) -> None:
    rng = ctx.rng("overseas", pop.area.code)
    route = {y: w for w, years in writers for y in years}
    firms = pop.firms
    cum_patent = list(itertools.accumulate(f.innov * (4 if f.has_pct else 1) * (2 if f.hightech else 1) for f in firms))
    cum_mark = list(itertools.accumulate(f.tm_w for f in firms))
    factor = ctx.plan.patent_factor * share
    n_areas = len(ctx.plan.areas)
    for year, n in sorted(OVERSEAS_CITY.items()):
        n = round(n * factor)
        w = route.get(year)
        if w is None or n <= 0:
            continue
        start = date(year, 1, 1).toordinal()
        end = min(date(year, 12, 31), LAST_DATE).toordinal()
        rows = []
        for i in range(n):
            r = rng.random()
            acc = 0.0
            kind = KINDS[-1][0]
            for k, p in KINDS:
                acc += p
                if r < acc:
                    kind = k
                    break
            cum = cum_patent if kind in ("PCT", "国外专利") else cum_mark
            firm = rng.choices(firms, cum_weights=cum, k=1)[0]
            when = date.fromordinal(rng.randint(start, end))
            serial = (i * n_areas + area_index) + 1
            if kind == "PCT":
                no = f"PCT/CN{year}/{(60_000 + serial * 3 + rng.randint(0, 2)) % 1_000_000:06d}"
                countries = rng.sample(vocab.COUNTRIES_PCT, rng.randint(1, 5))
            elif kind == "马德里":
                no = str(1_180_000 + (year - 2014) * 62_000 + serial * 2 + rng.randint(0, 1))
                countries = rng.sample(vocab.COUNTRIES_MADRID, rng.randint(1, 6))
            elif kind == "国外专利":
                office = rng.choice(("US", "EP", "JP"))
                if office == "US":
                    no = f"US{17 + max(0, year - 2020) // 2}/{100 + serial // 1000:03d},{serial % 1000:03d}"
                elif office == "EP":
                    no = f"EP{year % 100:02d}{100_000 + serial:06d}.{rng.randint(0, 9)}"
                else:
                    no = f"JP{year}-{100_000 + serial:06d}"
                countries = [office]
            else:
                office = rng.choice(("EUTM", "UK", "US"))
                no = f"{office}{(year - 2000) * 1_000_000 + 100_000 + serial:09d}"
                countries = ["EU" if office == "EUTM" else "GB" if office == "UK" else "US"]
            rows.append((when, kind, no, firm, countries))
        rows.sort(key=lambda r: (r[0], r[2]))
        for when, kind, no, firm, countries in rows:
            w.write({"kind": kind, "filing_no": no, "filing_date": when, "applicant": firm.name_at(when),
                     "address": firm.postcode + firm.address, "applicant_uscc": firm.uscc, "countries": countries,
                     "_flags": firm.flags if "applicant_uscc" in w.spec.keys else ()})
