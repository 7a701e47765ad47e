"""Patents (several exports with as-of dates), plus the pledges and awards that refer to them.

Each patent is generated with its whole life (filing, publication, grant or rejection, transfer,
fee lapse or term end) and then written, as it stood on each export's as-of date, to every export
that would list it: the first export lists everything published by its date; later exports list
what was published or changed since the previous one; the last city export also lists every
patent still valid or pending (a "current holdings" export with fee status). Nothing is kept after
a patent is written except a few candidates per firm for pledges and awards.
"""

from __future__ import annotations

import bisect
import itertools
from datetime import date, timedelta

from orchestration.identifiers import format_appno

from . import vocab
from .context import Context
from .entities import Entity, Population, person_name
from .plan import FIRST_YEAR, LAST_DATE, PATENT_APPS_CITY, PLEDGES_CITY
from .writers import BadRule, FileSpec, TableWriter

INV, UM, DES = 0, 1, 2
TYPE_DIGIT = ("1", "2", "3")
PUB_EPOCH = date(2007, 7, 1)
PUB_RATE = (2790, 3260, 1360)          # document numbers issued per day (approximate national pace)
PUB_BASE = (100_000_000, 200_000_000, 300_000_000)
DESIGN_15Y_FROM = date(2021, 6, 1)
LOCARNO = ("06-01", "06-04", "09-01", "09-03", "02-02", "03-01", "14-03", "07-02", "23-04", "32-00", "10-04")
PROVINCE_LABEL = {"41": "河南(41)", "11": "北京(11)", "31": "上海(31)", "44": "广东(44)", "32": "江苏(32)"}

PATENT_RULES = [
    BadRule("application_no_check_digit", "application_no"),
    BadRule("invalid_date", "application_date"),
    BadRule("missing_key", "application_no"),
    BadRule("unknown_value", "patent_type", ("集成电路布图设计", "植物新品种")),
]
PLEDGE_RULES = [BadRule("application_no_check_digit", "application_no"), BadRule("missing_key", "registration_no"),
                BadRule("invalid_date", "registration_date")]
AWARD_RULES = [BadRule("application_no_check_digit", "application_no")]

# National serial capacity per year of filing (applications of that type nationwide, rounded up).
_CAP_ANCHORS = {2005: (180_000, 150_000, 170_000), 2010: (400_000, 420_000, 660_000),
                2015: (1_120_000, 1_130_000, 570_000), 2020: (1_500_000, 2_930_000, 770_000),
                2026: (1_700_000, 3_000_000, 900_000)}

REAL_HEADER = [
    ("申请日", "application_date"), ("公开日", "pub_date"), ("授权公告日", "grant_date"), ("申请人", "patentees"),
    ("发明人", "inventors"), ("申请号", "application_no"), ("公开号", "pub_no"), ("授权公告号", "grant_pub_no"),
    ("专利类型", "patent_type"), ("专利名称", "title"), ("申请人地址", "address"), ("法律状态", "legal_status"),
    ("主分类号", "ipc_main"), ("分类号", "ipc_all"), ("国省代码", "province_code"), ("专利代理机构", "agency"),
    ("申请人类型", "applicant_type"), ("实质审查日", "exam_date"),
]


def patent_specs(ctx: Context) -> list[FileSpec]:
    if not ctx.detailed:
        cols = [("申请号", "application_no"), ("专利名称", "title"), ("专利类型", "patent_type"), ("专利权人", "patentees"),
                ("地址", "address"), ("申请日", "application_date"), ("授权公告日", "grant_date"),
                ("授权公告号", "grant_pub_no"), ("法律状态", "legal_status"), ("失效日", "lapse_date"),
                ("主分类号", "ipc_main"), ("分类号", "ipc_all"), ("同族国家", "family_countries")]
        opts = {"vocab": "mixed", "types": "simple", "postcode": True}
        return [FileSpec("patents", "patents_20231231.csv", date(2023, 12, 31), cols, options=dict(opts)),
                FileSpec("patents", "patents_20261031.csv", LAST_DATE, cols, options=dict(opts))]
    return [
        FileSpec("patents", "patents_20151231.csv", date(2015, 12, 31), REAL_HEADER, encoding="utf-8-sig",
                 date_style="compact", appno_style="cn_dot",
                 options={"vocab": "real", "types": "real", "postcode": True, "grant_zero": True}),
        FileSpec("patents", "专利导出_2020年12月.csv", date(2020, 12, 31), [
            ("申请号", "application_no"), ("专利名称", "title"), ("专利类型", "patent_type"), ("当前专利权人", "patentees"),
            ("专利权人地址", "address"), ("申请日", "application_date"), ("公开日", "pub_date"), ("授权日", "grant_date"),
            ("授权公告号", "grant_pub_no"), ("法律状态", "legal_status"), ("失效日", "lapse_date"),
            ("主分类号", "ipc_main"), ("IPC", "ipc_all"), ("发明人", "inventors"), ("申请人类型", "applicant_type"),
        ], encoding="gbk", date_style="slash", appno_style="plain", list_sep="；",
            options={"vocab": "mixed", "types": "grant", "postcode": True}),
        FileSpec("patents", "patents_20231231.csv", date(2023, 12, 31), [
            ("申请号", "application_no"), ("名称", "title"), ("专利类型", "patent_type"),
            ("申请(专利权)人", "patentees"), ("地址", "address"), ("申请日", "application_date"),
            ("授权公告日", "grant_date"), ("授权公告号", "grant_pub_no"), ("法律状态", "legal_status"),
            ("失效日期", "lapse_date"), ("主分类号", "ipc_main"), ("分类号", "ipc_all"),
            ("统一社会信用代码", "patentee_uscc"), ("同族国家", "family_countries"), ("年费缴至年度", "fee_paid_through_year"),
            ("专利代理机构", "agency"),
        ], encoding="utf-8", date_style="iso", appno_style="dot",
            options={"vocab": "plain", "types": "simple", "postcode": False}),
        FileSpec("patents", "专利导出_2025年6月.csv", date(2025, 6, 30), [
            ("申请号", "application_no"), ("专利名称", "title"), ("专利类型", "patent_type"), ("专利权人", "patentees"),
            ("专利权人地址", "address"), ("申请日", "application_date"), ("授权公告日", "grant_date"),
            ("法律状态", "legal_status"), ("失效日", "lapse_date"), ("主分类号", "ipc_main"), ("分类号", "ipc_all"),
            ("发明人", "inventors"), ("同族国家", "family_countries"),
        ], encoding="gbk", date_style="cn", appno_style="cn_plain", list_sep="、",
            options={"vocab": "real", "types": "real", "postcode": True}),
        FileSpec("patents", "patents_20261031.csv", LAST_DATE, [
            ("申请号", "application_no"), ("专利名称", "title"), ("专利类型", "patent_type"), ("当前专利权人", "patentees"),
            ("申请人地址", "address"), ("申请日", "application_date"), ("公开日", "pub_date"),
            ("授权公告日", "grant_date"), ("授权公告号", "grant_pub_no"), ("法律状态", "legal_status"),
            ("权利终止日", "lapse_date"), ("主分类号", "ipc_main"), ("分类号", "ipc_all"),
            ("同族国家", "family_countries"), ("年费缴至年度", "fee_paid_through_year"),
            ("统一社会信用代码", "patentee_uscc"), ("申请人类型", "applicant_type"),
        ], encoding="utf-8-sig", date_style="dot", appno_style="cn_dot",
            options={"vocab": "mixed", "types": "real", "postcode": True, "full": True}),
    ]


def anniversary(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def years_passed(start: date, d: date) -> int:
    """Number of anniversaries of start that fell on or before d."""
    n = d.year - start.year
    if (d.month, d.day) < (start.month, start.day):
        n -= 1
    return max(0, n)


def _cap(year: int, ptype: int) -> int:
    keys = sorted(_CAP_ANCHORS)
    if year <= keys[0]:
        return _CAP_ANCHORS[keys[0]][ptype]
    for a, b in zip(keys, keys[1:]):
        if year <= b:
            t = (year - a) / (b - a)
            return round(_CAP_ANCHORS[a][ptype] * (1 - t) + _CAP_ANCHORS[b][ptype] * t)
    return _CAP_ANCHORS[keys[-1]][ptype]


class Patent:
    __slots__ = (
        "appno", "ptype", "app_date", "pub_date", "pub_no", "grant_date", "grant_no", "exam_date", "reject_date",
        "reject_kind", "lapse_kind", "lapse_date", "lapse_known", "lapse_k", "owners", "new_owners",
        "transfer_date", "title", "inventors", "ipc_main", "ipc_all", "family", "agency", "fee_unknown",
        "lapse_gap", "visible",
    )


class PatentGenerator:
    def __init__(self, ctx: Context, pop: Population, area_index: int, area_share: float, area_offset: float):
        self.ctx = ctx
        self.pop = pop
        self.area = pop.area
        self.rng = ctx.rng("patents", self.area.code)
        self.share = area_share
        self.offset = area_offset
        self.n_areas = len(ctx.plan.areas)
        self.area_index = area_index
        firms = pop.firms
        self.firms = firms
        self.cum_inv = list(itertools.accumulate(f.inv_w for f in firms))
        self.cum_um = list(itertools.accumulate(f.um_w for f in firms))
        insts = pop.institutions
        self.insts = insts
        self.cum_inst_inv = list(itertools.accumulate(i.inv_w for i in insts))
        self.cum_inst_um = list(itertools.accumulate(i.um_w for i in insts))
        self.pledge_pool: dict[int, list] = {}     # firm idx -> [seen, [(appno, grant, end, title)]]
        self.award_pool: list = []
        self.award_seen = 0
        self.award_cap = max(40, round(80 * ctx.plan.patent_factor * area_share))
        self.is_city = self.area.code == "410900"
        self.oilfield = next((i for i in insts if "中原油田" in i.name), None)
        self.sinopec = pop.outside[0] if pop.outside else None

    # -- owners -----------------------------------------------------------------------------------
    def _firm(self, ptype: int, year: int) -> Entity:
        rng = self.rng
        cum = self.cum_inv if ptype == INV else self.cum_um
        total = cum[-1]
        firms = self.firms
        for _ in range(20):
            f = firms[bisect.bisect_right(cum, rng.random() * total)]
            if f.est_year <= year:
                return f
        return f

    def _inst(self, ptype: int) -> Entity:
        cum = self.cum_inst_inv if ptype == INV else self.cum_inst_um
        return self.insts[bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    def _owners(self, ptype: int, year: int) -> tuple[Entity, ...]:
        rng = self.rng
        r = rng.random()
        p_person, p_inst, p_out = ((0.12, 0.13, 0.04), (0.18, 0.08, 0.015), (0.35, 0.01, 0.0))[ptype]
        if r < p_person:
            person = rng.choice(self.pop.persons)
            return (person,)
        if r < p_person + p_inst and self.insts:
            inst = self._inst(ptype)
            if inst is self.oilfield and self.sinopec is not None and rng.random() < 0.55:
                return (self.sinopec, inst)
            return (inst,)
        if r < p_person + p_inst + p_out and self.pop.outside:
            outside = rng.choice(self.pop.outside[1:]) if rng.random() < 0.7 else self.pop.outside[0]
            local = self._firm(ptype, year) if rng.random() < 0.75 or not self.insts else self._inst(ptype)
            return (outside, local)
        firm = self._firm(ptype, year)
        if rng.random() < 0.06:
            other = self._inst(ptype) if (rng.random() < 0.4 and self.insts) else self._firm(ptype, year)
            if other is not firm:
                return (firm, other)
        return (firm,)

    # -- one patent -------------------------------------------------------------------------------
    def _title(self, ptype: int, industry: vocab.Industry) -> str:
        rng = self.rng
        if ptype == INV:
            r = rng.random()
            if r < 0.35:
                return f"一种{rng.choice(industry.inventions)}的制备方法"
            if r < 0.55:
                return f"一种{rng.choice(industry.inventions)}及其制备方法"
            if r < 0.7:
                return f"{rng.choice(industry.inventions)}的生产工艺"
            if r < 0.85:
                return f"一种{rng.choice(industry.devices)}及其控制方法"
            return f"一种{rng.choice(industry.inventions)}检测方法及系统"
        if ptype == UM:
            r = rng.random()
            if r < 0.6:
                return f"一种{rng.choice(industry.devices)}"
            if r < 0.8:
                return f"一种新型{rng.choice(industry.devices)}"
            return f"一种便于维护的{rng.choice(industry.devices)}"
        d = rng.choice(industry.designs)
        return d if rng.random() < 0.6 else f"{d}({rng.randint(1, 9)})"

    def _ipc(self, ptype: int, industry: vocab.Industry) -> tuple[str, list[str]]:
        rng = self.rng
        if ptype == DES:
            m = rng.choice(LOCARNO)
            return m, [m]
        main = rng.choice(industry.ipc)
        allc = [main]
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            src = industry if rng.random() < 0.75 else rng.choice(vocab.ALL_INDUSTRIES)
            c = rng.choice(src.ipc)
            if c not in allc:
                allc.append(c)
        return main, allc

    def _make(self, ptype: int, app: date, serial: int, seq: int) -> Patent | None:
        rng = self.rng
        p = Patent()
        year = app.year
        digit = TYPE_DIGIT[ptype]
        if ptype == INV and rng.random() < 0.005:
            digit = "8"
        p.appno = format_appno(f"{year}{digit}{serial:07d}")
        p.ptype = ptype
        p.app_date = app
        owners = self._owners(ptype, year)
        p.owners = owners
        p.new_owners = None
        p.transfer_date = None
        lead = owners[0] if owners[0].kind != "outside" or len(owners) == 1 else owners[1]
        if lead.multi_industry or rng.random() >= 0.85:
            industry = rng.choice(vocab.ALL_INDUSTRIES)
        else:
            industry = lead.industry
        p.title = self._title(ptype, industry)
        p.ipc_main, p.ipc_all = self._ipc(ptype, industry)
        n_inv = 1 if owners[0].kind == "person" else rng.choice((1, 2, 2, 3, 3, 4, 5, 6))
        inventors = [owners[0].name] if owners[0].kind == "person" else []
        while len(inventors) < n_inv:
            inventors.append(person_name(rng))
        p.inventors = inventors
        p.agency = "" if (owners[0].kind == "person" and rng.random() < 0.4) else rng.choice(vocab.AGENCIES)
        p.exam_date = None
        p.reject_date = None
        p.reject_kind = ""
        p.grant_date = None
        p.lapse_kind = ""
        p.lapse_date = None
        p.lapse_known = None
        p.lapse_k = 0
        p.family = None
        p.fee_unknown = rng.random() < 0.05
        p.lapse_gap = rng.random() < 0.015
        o = app.toordinal()
        if ptype == INV:
            pub = o + (rng.randint(100, 320) if rng.random() < 0.4 else rng.randint(545, 560))
            p.pub_date = date.fromordinal(pub)
            if rng.random() < 0.93:
                p.exam_date = date.fromordinal(pub if rng.random() < 0.5 else o + rng.randint(60, 420))
            p_grant = 0.66 if year <= 2010 else 0.56 if year <= 2014 else 0.42 if year <= 2019 else 0.5
            if p.exam_date is not None and rng.random() < p_grant:
                lag = rng.randint(420, 1350) if year < 2018 else rng.randint(360, 1000)
                g = max(o + lag, pub + 45, p.exam_date.toordinal() + 120)
                p.grant_date = date.fromordinal(g)
            else:
                p.reject_kind = "驳回" if p.exam_date is not None and rng.random() < 0.7 else "视为撤回"
                p.reject_date = date.fromordinal(o + rng.randint(700, 1700))
            p.visible = p.pub_date
        else:
            if rng.random() < (0.07 if ptype == UM else 0.05):
                return None  # not granted: never published
            lag = rng.randint(150, 400) if year < 2017 else rng.randint(110, 300)
            p.grant_date = date.fromordinal(o + lag)
            p.pub_date = p.grant_date
            p.visible = p.grant_date
        # document numbers
        vis = p.pub_date
        days = (vis - PUB_EPOCH).days
        mix = (seq * self.n_areas + self.area_index) % PUB_RATE[ptype]
        if days >= 0:
            number = PUB_BASE[ptype] + days * PUB_RATE[ptype] + mix
            p.pub_no = f"CN{number}{'AUS'[ptype]}"
            p.grant_no = f"CN{number}{'BUS'[ptype]}"
        else:
            number = (1, 2, 3)[ptype] * 1_000_000 + 600_000 + ((vis - date(2003, 1, 1)).days * 300 + mix) % 399_999
            p.pub_no = f"CN{number}{'AYD'[ptype]}"
            p.grant_no = f"CN{number}{'CYD'[ptype]}"
        if ptype == INV and p.grant_date is not None and (p.grant_date - PUB_EPOCH).days >= 0 and days < 0:
            p.grant_no = f"CN{PUB_BASE[0] + (p.grant_date - PUB_EPOCH).days * PUB_RATE[0] + mix}B"
        if p.grant_date is not None:
            self._life(p, owners)
        if ptype == INV and owners[0].kind in ("firm", "institution") and year >= 2010:
            r = rng.random()
            boost = 3.0 if owners[0].hightech else 1.0
            if r < 0.012 * boost:
                extra = rng.sample(vocab.COUNTRIES_PCT, rng.randint(1, 4))
                p.family = ["CN", "WO"] + extra if rng.random() < 0.7 else ["CN"] + extra
                owners[0].has_pct = True
            elif r < 0.012 * boost + 0.004:
                p.family = ["CN", rng.choice(("TW", "HK"))]
        return p

    def _life(self, p: Patent, owners: tuple[Entity, ...]) -> None:
        rng = self.rng
        app, grant = p.app_date, p.grant_date
        ptype = p.ptype
        term = 20 if ptype == INV else 10 if ptype == UM or app < DESIGN_15Y_FROM else 15
        term_end = anniversary(app, term)
        kind = owners[0].kind
        g_index = years_passed(app, grant) + 1
        lapse_at = 0
        for k in range(g_index, term):
            if ptype == INV:
                if kind == "person":
                    h = 0.22
                elif kind == "institution":
                    h = 0.11
                else:
                    h = 0.05 if k < 6 else 0.075 if k < 10 else 0.06
            elif ptype == UM:
                h = 0.33 if kind == "person" else (0.15 if k < 4 else 0.22)
            else:
                h = 0.4 if kind == "person" else 0.25
            if rng.random() < h:
                lapse_at = k
                break
        if lapse_at:
            p.lapse_kind = "fee"
            p.lapse_k = lapse_at
            p.lapse_date = anniversary(app, lapse_at)
            p.lapse_known = p.lapse_date + timedelta(days=rng.randint(190, 260))
        else:
            p.lapse_kind = "term"
            p.lapse_date = term_end
            p.lapse_known = term_end
        if rng.random() < 0.003:
            inv = grant + timedelta(days=rng.randint(200, 2000))
            if inv < p.lapse_date:
                p.lapse_kind = "invalid"
                p.lapse_date = inv
                p.lapse_known = inv
        if rng.random() < (0.04 if ptype == INV else 0.02):
            t = grant + timedelta(days=rng.randint(100, 3000))
            if t < p.lapse_known and t <= LAST_DATE:
                p.transfer_date = t
                if self.pop.outside and rng.random() < 0.08:
                    new = self.pop.outside[-1]
                else:
                    new = self._firm(ptype, t.year)
                if new is not owners[0]:
                    p.new_owners = (new,) + tuple(o for o in owners[1:] if o is not new)
                else:
                    p.transfer_date = None

    # -- candidates for pledges and awards ----------------------------------------------------------
    def _remember(self, p: Patent) -> None:
        if p.grant_date is None or p.ptype == DES or p.grant_date > LAST_DATE:
            return
        rng = self.rng
        end = p.lapse_date
        for holder in (p.new_owners or p.owners):
            if holder.kind != "firm":
                continue
            slot = self.pledge_pool.setdefault(holder.idx, [0, []])
            slot[0] += 1
            item = (p.appno, p.grant_date, end, p.title, holder)
            if len(slot[1]) < 6:
                slot[1].append(item)
            else:
                j = rng.randrange(slot[0])
                if j < 6:
                    slot[1][j] = item
        if p.ptype == INV and p.owners[0].kind in ("firm", "institution") and p.grant_date.year >= 2008:
            if (end - p.grant_date).days > 6 * 365:
                self.award_seen += 1
                item = (p.appno, p.grant_date, end, p.title, p.owners[0])
                if len(self.award_pool) < self.award_cap:
                    self.award_pool.append(item)
                else:
                    j = rng.randrange(self.award_seen)
                    if j < self.award_cap:
                        self.award_pool[j] = item

    # -- the stream -------------------------------------------------------------------------------
    def run(self, writers: list[TableWriter]) -> None:
        rng = self.rng
        factor = self.ctx.plan.patent_factor * self.share
        specs = [w.spec for w in writers]
        bounds = [date.min] + [s.as_of for s in specs]
        seq = 0
        for year in range(FIRST_YEAR, LAST_DATE.year + 1):
            start = date(year, 1, 1).toordinal()
            end = min(date(year, 12, 31), LAST_DATE).toordinal()
            span = end - start + 1
            for ptype in (INV, UM, DES):
                n = round(PATENT_APPS_CITY[year][ptype] * factor)
                if n <= 0:
                    continue
                cap_total = _cap(year, ptype)
                cap = max(int(cap_total * self.share), n + 10)
                lo = 1 + int(cap_total * self.offset)
                days = sorted(rng.randrange(span) for _ in range(n))
                room = cap - n
                for i, d in enumerate(days):
                    serial = lo + (d * room) // span + i
                    seq += 1
                    p = self._make(ptype, date.fromordinal(start + d), serial, seq)
                    if p is None:
                        continue
                    self._remember(p)
                    self._emit(p, writers, specs, bounds)

    def _emit(self, p: Patent, writers: list[TableWriter], specs: list[FileSpec], bounds: list[date]) -> None:
        visible = p.visible
        for k, w in enumerate(writers):
            as_of = bounds[k + 1]
            if visible > as_of:
                continue
            prev = bounds[k]
            include = k == 0 or visible > prev
            if not include:
                for ev in (p.grant_date, p.lapse_known, p.reject_date, p.transfer_date):
                    if ev is not None and prev < ev <= as_of:
                        include = True
                        break
            if not include and specs[k].options.get("full"):
                include = self._alive(p, as_of)
            if include:
                w.write(self._view(p, as_of, specs[k]))

    @staticmethod
    def _alive(p: Patent, d: date) -> bool:
        if p.grant_date is not None and p.grant_date <= d:
            return p.lapse_known is None or p.lapse_known > d
        return p.reject_date is None or p.reject_date > d

    def _view(self, p: Patent, d: date, spec: FileSpec) -> dict:
        opts = spec.options
        vocab_style = opts["vocab"]
        granted = p.grant_date is not None and p.grant_date <= d
        owners = p.new_owners if (p.transfer_date is not None and p.transfer_date <= d) else p.owners
        first = owners[0]
        flags: list[str] = []
        lapse_date = None
        fee_year = None
        if not granted:
            if p.reject_date is not None and p.reject_date <= d:
                status = "无权" if vocab_style == "plain" else f"无权-{p.reject_kind}"
            elif vocab_style == "plain":
                status = "审中"
            elif vocab_style == "real" and (p.exam_date is None or p.exam_date > d):
                status = "审中-公开"
            else:
                status = "审中-实质审查"
        elif p.lapse_known <= d:
            kind = p.lapse_kind
            if kind == "fee":
                status = "无权-未缴年费"
            elif kind == "term":
                status = "失效" if vocab_style == "plain" else "无权-期限届满"
            else:
                status = "无权" if vocab_style == "plain" else "无权-全部无效"
            if "lapse_date" in spec.keys and not p.lapse_gap:
                lapse_date = p.lapse_date
            else:
                flags.append("lapsed_without_date")
        else:
            status = {"real": "有权-审定授权", "plain": "有效", "mixed": "有权"}[vocab_style]
            if not p.fee_unknown:
                if p.lapse_kind == "fee" and p.lapse_date <= d:
                    fee_year = p.lapse_k
                else:
                    fee_year = years_passed(p.app_date, d) + 1
        ptype = p.ptype
        types = opts["types"]
        if ptype == INV:
            if types == "simple":
                ptext = "发明"
            elif not granted:
                ptext = "发明公开"
            elif types == "real" and p.pub_date < p.grant_date:
                ptext = "发明公开;发明授权"
            else:
                ptext = "发明授权"
        else:
            ptext = "实用新型" if ptype == UM else "外观设计"
        if owners is p.owners:
            names = [o.name_at(p.app_date) for o in owners]
        else:
            names = [o.name_at(p.transfer_date) for o in owners]
        address = first.address
        if opts.get("postcode"):
            address = first.postcode + address
        if first.pilot and "patentee_uscc" in spec.keys:
            flags.append("uscc_check_digit")
        grant_date = p.grant_date if granted else ("0" if opts.get("grant_zero") else None)
        return {
            "application_no": p.appno,
            "application_date": p.app_date,
            "pub_date": p.pub_date,
            "grant_date": grant_date,
            "exam_date": (p.exam_date if p.exam_date is not None and p.exam_date <= d else
                          ("0" if opts.get("grant_zero") else None)),
            "patentees": names,
            "inventors": p.inventors,
            "pub_no": p.pub_no if ptype == INV else (p.grant_no if granted else ""),
            "grant_pub_no": p.grant_no if granted else "",
            "patent_type": ptext,
            "title": p.title,
            "address": address,
            "legal_status": status,
            "lapse_date": lapse_date,
            "ipc_main": p.ipc_main,
            "ipc_all": p.ipc_all,
            "province_code": PROVINCE_LABEL.get(first.province_code, f"({first.province_code})"),
            "agency": p.agency,
            "applicant_type": first.applicant_type,
            "patentee_uscc": first.uscc,
            "family_countries": p.family or ["CN"],
            "fee_paid_through_year": fee_year,
            "_flags": flags,
        }

    # -- pledges and awards -----------------------------------------------------------------------
    def pledges(self, writers: list[TableWriter]) -> None:
        rng = self.ctx.rng("pledges", self.area.code)
        factor = self.ctx.plan.patent_factor * self.share
        holders = [(idx, slot[1]) for idx, slot in self.pledge_pool.items()]
        if not holders:
            return
        weights = list(itertools.accumulate(min(30, len(items)) + 0.0 for _, items in holders))
        specs = [w.spec for w in writers]
        pledgees = vocab.PLEDGEES if self.is_city else tuple(
            t.format(city=self.area.units[0].name.rstrip("市")) for t in vocab.BANK_TEMPLATES)
        serial = 0
        for year, n in sorted(PLEDGES_CITY.items()):
            n = round(n * factor)
            start = date(year, 1, 1).toordinal()
            end = min(date(year, 12, 31), LAST_DATE).toordinal()
            regs = []
            for _ in range(n):
                for _try in range(25):
                    idx = bisect.bisect_right(weights, rng.random() * weights[-1])
                    items = holders[idx][1]
                    when = date.fromordinal(rng.randint(start, end))
                    ok = [it for it in items if it[1] + timedelta(days=30) <= when < it[2]]
                    if ok:
                        regs.append((when, ok[: rng.choice((1, 1, 1, 2, 2, 3, 4))]))
                        break
            regs.sort(key=lambda r: r[0])
            for when, items in regs:
                serial += rng.randint(1, 4000)
                holder = items[0][4]
                if rng.random() < 0.16:
                    amount = rng.choice((1000, 1000, 1200, 1500, 2000, 3000, 5000, 8000))
                else:
                    amount = int(min(990, max(20, round(rng.lognormvariate(5.5, 0.8), -1))))
                release = when + timedelta(days=rng.randint(330, 1100)) if rng.random() < 0.6 else None
                if release is not None and release > LAST_DATE:
                    release = None
                rec = {
                    "registration_no": f"Y{year}98{serial:07d}" if self.n_areas == 1 else
                    f"Y{year}98{self.area_index:02d}{serial:07d}",
                    "application_no": [it[0] for it in items], "title": items[0][3],
                    "pledgor": holder.name_at(when), "pledgee": rng.choice(pledgees), "amount_wan": amount,
                    "registration_date": when, "_flags": (),
                }
                for k, w in enumerate(writers):
                    prev = specs[k - 1].as_of if k else date.min
                    as_of = specs[k].as_of
                    shown_release = release if release is not None and release <= as_of else None
                    if prev < when <= as_of or (when <= prev and shown_release is not None and shown_release > prev):
                        w.write(dict(rec, release_date=shown_release))

    def awards(self, writer: TableWriter) -> None:
        rng = self.ctx.rng("awards", self.area.code)
        pool = sorted(self.award_pool, key=lambda it: it[0])
        used: set[str] = set()
        factor = max(1, round(self.ctx.plan.patent_factor * self.share))
        plan = []
        for year in range(2012, 2026):
            plan += [(year, "中国专利优秀奖")] * (rng.choice((0, 1, 1, 2)) * factor)
            plan += [(year, "河南省专利奖二等奖")] * (rng.choice((0, 1, 1)) * factor)
            if year == 2019:
                plan.append((year, "中国专利银奖"))
            if year == 2016:
                plan.append((year, "国家科学技术进步奖二等奖"))
        for year, award in plan:
            ok = [it for it in pool if it[1].year <= year - 2 and it[2].year > year and it[0] not in used]
            if not ok:
                continue
            it = rng.choice(ok)
            used.add(it[0])
            writer.write({"application_no": it[0], "title": it[3], "patentees": it[4].name_at(date(year, 6, 30)),
                          "award": award, "year": year, "_flags": ()})


def pledge_specs(ctx: Context) -> list[FileSpec]:
    if not ctx.detailed:
        cols = [("登记号", "registration_no"), ("专利号", "application_no"), ("出质人", "pledgor"), ("质权人", "pledgee"),
                ("质押金额(万元)", "amount_wan"), ("登记日", "registration_date"), ("解除日", "release_date")]
        return [FileSpec("pledges", "pledges_20261031.csv", LAST_DATE, cols, appno_style="zl_dot")]
    return [
        FileSpec("pledges", "专利质押登记_2014-2022.csv", date(2022, 12, 31), [
            ("登记号", "registration_no"), ("专利号", "application_no"), ("专利名称", "title"), ("出质人", "pledgor"),
            ("质权人", "pledgee"), ("质押金额(万元)", "amount_wan"), ("登记日", "registration_date"),
            ("解除日", "release_date")], encoding="gbk", appno_style="zl_dot", list_sep="；"),
        FileSpec("pledges", "专利权质押信息_2023年1月-2026年10月.xlsx", LAST_DATE, [
            ("登记号", "registration_no"), ("申请号", "application_no"), ("出质人", "pledgor"), ("质权人", "pledgee"),
            ("质押金额(万元)", "amount_wan"), ("登记日", "registration_date"), ("解除日", "release_date")],
            fmt="xlsx", date_style="excel", appno_style="dot", list_sep=";",
            title_rows=("濮阳市专利权质押登记信息（2023年1月-2026年10月）",)),
    ]


def award_specs(ctx: Context) -> list[FileSpec]:
    return [FileSpec("awards", "专利奖获奖名单_2012-2025.csv", date(2025, 12, 31), [
        ("专利号", "application_no"), ("专利名称", "title"), ("专利权人", "patentees"), ("奖项", "award"),
        ("年度", "year")], encoding="utf-8-sig" if ctx.detailed else "utf-8", appno_style="zl_dot")]


def area_shares(ctx: Context) -> list[tuple[float, float]]:
    weights = [a.weight for a in ctx.plan.areas]
    total = sum(weights)
    out, acc = [], 0.0
    for w in weights:
        out.append((w / total, acc))
        acc += w / total
    return out

