"""Trademark registrations (registration number x Nice class) in several exports with as-of dates.

Same scheme as the patents: each application is generated with its whole life (preliminary
publication, registration or rejection, renewals, cancellation or expiry) and written as it stood
on each export's as-of date to every export that lists it.
"""

from __future__ import annotations

import bisect
import itertools
from datetime import date, timedelta

from . import vocab
from .context import Context
from .entities import Entity, Population, person_name, trade_name, uscc_for
from .patents import anniversary
from .plan import LAST_DATE, TRADEMARK_APPS_CITY
from .regions import make_address
from .writers import BadRule, FileSpec, TableWriter

TRADEMARK_RULES = [
    BadRule("missing_key", "reg_no"),
    BadRule("invalid_date", "application_date"),
    BadRule("unknown_value", "status", ("待定", "状态不明")),
]

# National application numbers at the start of each year (approximate; numbers grow with filings).
_REG_ANCHORS = {
    1995: 900_000, 1996: 1_000_000, 1998: 1_200_000, 2000: 1_450_000, 2002: 2_300_000, 2004: 3_700_000,
    2006: 5_100_000, 2008: 6_400_000, 2010: 8_000_000, 2012: 10_300_000, 2014: 13_900_000, 2016: 18_900_000,
    2017: 22_300_000, 2018: 28_100_000, 2019: 35_500_000, 2020: 43_200_000, 2021: 52_300_000,
    2022: 61_800_000, 2023: 69_400_000, 2024: 76_000_000, 2025: 82_000_000, 2026: 88_000_000, 2027: 93_000_000,
}

STATUS_VOCAB = {
    # registered, expired, cancelled (注销), revoked (撤销), applied, preliminary, rejected
    "a": ("已注册", "已失效", "已注销", "已撤销", "申请中", "初审公告", "驳回"),
    "b": ("注册", "失效", "注销", "撤销", "申请中", "初审公告", "驳回"),
    "c": ("有效", "无效", "注销", "撤销", "申请中", "初审公告", "驳回"),
}


def _anchor(year: int) -> int:
    keys = sorted(_REG_ANCHORS)
    if year in _REG_ANCHORS:
        return _REG_ANCHORS[year]
    for a, b in zip(keys, keys[1:]):
        if a < year < b:
            t = (year - a) / (b - a)
            return round(_REG_ANCHORS[a] * (1 - t) + _REG_ANCHORS[b] * t)
    return _REG_ANCHORS[keys[-1]]


def trademark_specs(ctx: Context) -> list[FileSpec]:
    if not ctx.detailed:
        cols = [("注册号", "reg_no"), ("国际分类", "nice_class"), ("商标名称", "name"), ("申请人名称", "registrant"),
                ("申请人地址", "address"), ("申请日期", "application_date"), ("注册公告日期", "reg_date"),
                ("专用权期限", "term"), ("商标状态", "status"), ("注销日期", "cancel_date")]
        return [FileSpec("trademarks", "trademarks_20211231.csv", date(2021, 12, 31), cols, options={"vocab": "a"}),
                FileSpec("trademarks", "trademarks_20261031.csv", LAST_DATE, cols, options={"vocab": "a"})]
    return [
        FileSpec("trademarks", "trademarks_20181231.csv", date(2018, 12, 31), [
            ("注册号", "reg_no"), ("国际分类", "nice_class"), ("商标名称", "name"), ("申请人名称", "registrant"),
            ("申请人地址", "address"), ("申请日期", "application_date"), ("注册公告日期", "reg_date"),
            ("专用权期限", "term"), ("商标状态", "status")], encoding="gbk", options={"vocab": "a"}),
        FileSpec("trademarks", "商标数据_2021年6月.csv", date(2021, 6, 30), [
            ("注册号", "reg_no"), ("类别", "nice_class"), ("商标名称", "name"), ("注册人", "registrant"),
            ("申请人地址", "address"), ("申请日期", "application_date"), ("注册日期", "reg_date"),
            ("专用权期限止", "term_end"), ("法律状态", "status"), ("注销日期", "cancel_date")],
            encoding="utf-8-sig", date_style="compact", options={"vocab": "b"}),
        FileSpec("trademarks", "trademarks_20231231.csv", date(2023, 12, 31), [
            ("注册号", "reg_no"), ("国际分类号", "nice_class"), ("商标名称", "name"), ("申请人名称", "registrant"),
            ("申请人地址", "address"), ("申请日期", "application_date"), ("注册公告日期", "reg_date"),
            ("专用权期限", "term"), ("商标状态", "status"), ("无效日期", "cancel_date"),
            ("统一社会信用代码", "registrant_uscc")], date_style="slash", options={"vocab": "c", "class_pad": True}),
        FileSpec("trademarks", "商标_2026年10月.csv", LAST_DATE, [
            ("注册号", "reg_no"), ("国际分类", "nice_class"), ("商标名称", "name"), ("申请人名称", "registrant"),
            ("申请人地址", "address"), ("申请日期", "application_date"), ("注册公告日期", "reg_date"),
            ("专用权期限", "term"), ("商标状态", "status"), ("注销日期", "cancel_date")],
            encoding="gbk", date_style="cn", options={"vocab": "a"}),
    ]


def term_text(start: date, end: date) -> str:
    return (f"{start.year}年{start.month:02d}月{start.day:02d}日 至 "
            f"{end.year}年{end.month:02d}月{end.day:02d}日")


class Mark:
    __slots__ = ("reg_no", "classes", "name", "registrant", "address", "uscc", "pilot", "app_date",
                 "prelim_date", "reg_date", "reject_date", "terms", "end_kind", "end_date", "end_known")


class TrademarkGenerator:
    def __init__(self, ctx: Context, pop: Population, area_index: int, share: float, offset: float):
        self.ctx = ctx
        self.pop = pop
        self.area = pop.area
        self.rng = ctx.rng("trademarks", self.area.code)
        self.share = share
        self.offset = offset
        self.firms = pop.firms
        self.cum = list(itertools.accumulate(f.tm_w for f in pop.firms))
        self.units = pop.area.units
        self.cum_units = list(itertools.accumulate(u.weight for u in self.units))

    def _registrant(self, year: int) -> tuple[str, str, str, bool, tuple[int, ...]]:
        """name, address, uscc, pilot, classes to choose from"""
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            total = self.cum[-1]
            for _ in range(6):
                f: Entity = self.firms[bisect.bisect_right(self.cum, rng.random() * total)]
                if f.est_year <= year:
                    break
            return f.name_at(date(year, 6, 30)), f.address, f.uscc, f.pilot, f.industry.nice
        unit = self.units[bisect.bisect_right(self.cum_units, rng.random() * self.cum_units[-1])]
        area = self.area
        if r < 0.72:
            if unit.kind == "county" and rng.random() < 0.3:
                name = f"{unit.name}{trade_name(rng)}{rng.choice(vocab.COOPERATIVE_WORDS)}"
                uscc = uscc_for(rng, unit.admin_codes[0], year, "9", "3")
            else:
                if area.detailed and rng.random() < 0.4:
                    place = area.name + unit.name if unit.kind == "district" else unit.name
                else:
                    place = area.name
                name = f"{place}{trade_name(rng)}{rng.choice(vocab.SMALL_BUSINESS_WORDS)}有限公司"
                uscc = uscc_for(rng, unit.admin_codes[0], year)
            return name, make_address(rng, area, unit), uscc, False, vocab.SMALL_BUSINESS_CLASSES
        return person_name(rng), make_address(rng, area, unit, person=True), "", False, vocab.SMALL_BUSINESS_CLASSES

    def _mark_name(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.03:
            return "图形"
        if r < 0.12:
            return rng.choice(vocab.TRADEMARK_LATIN)
        name = trade_name(rng) + rng.choice(vocab.TRADEMARK_SUFFIX)
        if r > 0.95:
            name += " " + rng.choice(vocab.TRADEMARK_LATIN)
        return name

    def _make(self, app: date, reg_no: int, firm_share: float) -> Mark:
        rng = self.rng
        m = Mark()
        m.reg_no = reg_no
        year = app.year
        m.name = self._mark_name()
        m.registrant, m.address, m.uscc, m.pilot, classes = self._registrant(year)
        first = rng.choice(classes)
        m.classes = [first]
        if year >= 2014 and rng.random() < 0.06:
            for c in rng.sample(classes, min(len(classes), rng.randint(2, 3))):
                if c not in m.classes:
                    m.classes.append(c)
        m.app_date = app
        o = app.toordinal()
        slow = year < 2013
        m.prelim_date = date.fromordinal(o + (rng.randint(330, 640) if slow else rng.randint(150, 300)))
        m.reject_date = None
        m.terms = []
        m.end_kind = ""
        m.end_date = None
        m.end_known = None
        p_reject = 0.2 if year < 2015 else 0.3
        if rng.random() < p_reject:
            m.reject_date = date.fromordinal(o + (rng.randint(200, 500) if slow else rng.randint(120, 300)))
            m.prelim_date = None
            m.reg_date = None
            return m
        m.reg_date = m.prelim_date + timedelta(days=91)
        start = m.reg_date
        recorded = m.reg_date
        company = bool(m.uscc)
        while True:
            end = anniversary(start, 10) - timedelta(days=1)
            m.terms.append((start, end, recorded))
            if rng.random() < 0.032:
                cancel = date.fromordinal(rng.randint(start.toordinal() + 1095, end.toordinal()))
                m.end_kind = "撤销" if rng.random() < 0.6 else "注销"
                m.end_date = cancel
                m.end_known = cancel
                break
            if end > LAST_DATE + timedelta(days=400):
                break
            if rng.random() < (0.5 if company else 0.3):
                recorded = end - timedelta(days=rng.randint(-150, 330))
                start = end + timedelta(days=1)
                continue
            m.end_kind = "失效"
            m.end_date = end
            m.end_known = end + timedelta(days=rng.randint(210, 400))
            break
        return m

    def run(self, writers: list[TableWriter]) -> None:
        rng = self.rng
        factor = self.ctx.plan.trademark_factor * self.share
        specs = [w.spec for w in writers]
        bounds = [date.min] + [s.as_of for s in specs]
        for year in sorted(TRADEMARK_APPS_CITY):
            n = round(TRADEMARK_APPS_CITY[year] * factor)
            if n <= 0:
                continue
            start = date(year, 1, 1).toordinal()
            end = min(date(year, 12, 31), LAST_DATE).toordinal()
            span = end - start + 1
            cap_total = _anchor(year + 1) - _anchor(year)
            cap = max(int(cap_total * self.share), n + 10)
            lo = _anchor(year) + int(cap_total * self.offset)
            room = cap - n
            days = sorted(rng.randrange(span) for _ in range(n))
            for i, d in enumerate(days):
                m = self._make(date.fromordinal(start + d), lo + (d * room) // span + i, 0.3)
                self._emit(m, writers, specs, bounds)

    def _emit(self, m: Mark, writers: list[TableWriter], specs: list[FileSpec], bounds: list[date]) -> None:
        for k, w in enumerate(writers):
            as_of = bounds[k + 1]
            if m.app_date > as_of:
                continue
            prev = bounds[k]
            include = k == 0 or m.app_date > prev
            if not include:
                events = [m.prelim_date, m.reg_date, m.reject_date, m.end_known]
                events += [t[2] for t in m.terms[1:]]
                include = any(ev is not None and prev < ev <= as_of for ev in events)
            if include:
                view = self._view(m, as_of, specs[k])
                for c in m.classes:
                    w.write(dict(view, nice_class=f"{c:02d}" if specs[k].options.get("class_pad") else str(c)))

    def _view(self, m: Mark, d: date, spec: FileSpec) -> dict:
        words = STATUS_VOCAB[spec.options["vocab"]]
        term = None
        cancel = None
        reg_date = None
        if m.reject_date is not None:
            status = words[6] if m.reject_date <= d else words[4]
        elif d < m.prelim_date:
            status = words[4]
        elif d < m.reg_date:
            status = words[5]
        else:
            reg_date = m.reg_date
            shown = [t for t in m.terms if t[2] <= d]
            term = shown[-1] if shown else m.terms[0]
            if m.end_known is not None and m.end_known <= d:
                if m.end_kind == "失效":
                    status = words[1]
                    if self.rng.random() < 0.5:
                        cancel = m.end_known
                else:
                    status = words[2] if m.end_kind == "注销" else words[3]
                    cancel = m.end_date
            else:
                status = words[0]
        flags = []
        if m.pilot and "registrant_uscc" in spec.keys:
            flags.append("uscc_check_digit")
        if status in words[1:4] and (cancel is None or "cancel_date" not in spec.keys):
            flags.append("ended_without_date")
        return {
            "reg_no": str(m.reg_no), "name": m.name, "registrant": m.registrant, "address": m.address,
            "application_date": m.app_date, "reg_date": reg_date,
            "term": term_text(term[0], term[1]) if term else "", "term_end": term[1] if term else None,
            "status": status, "cancel_date": cancel, "registrant_uscc": m.uscc,
            "_flags": flags,
        }
