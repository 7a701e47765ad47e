"""The people and organisations of one area: firms, institutions, individuals, outside co-owners."""

from __future__ import annotations

import random
from datetime import date

from orchestration.identifiers import USCC_CHARSET, make_uscc

from . import vocab
from .regions import OUTSIDE_ENTITIES, Area, Unit, make_address

ORG_CHARS = USCC_CHARSET.replace("0", "")  # letters/digits used in MA-style organisation bodies
TIERS = (("large", 0.04, 6.0), ("medium", 0.16, 2.5), ("small", 0.45, 1.0), ("micro", 0.35, 0.4))
EMERGING = {"new_materials", "new_energy", "energy_saving_env", "next_gen_it", "hydrogen", "ai"}


class Entity:
    """A patentee / registrant / roster firm. Plain attributes; kept only while its area is generated."""

    __slots__ = (
        "idx", "kind", "applicant_type", "name", "former_name", "rename_date", "unit", "address", "postcode",
        "uscc", "pilot", "industry", "gb_code", "gb_name", "est_year", "tier", "innov", "inv_w", "um_w", "tm_w",
        "above_years", "key_years", "hightech", "srdi", "has_pct", "province_code", "multi_industry",
    )

    def __init__(self, idx: int, kind: str, applicant_type: str, name: str, unit: Unit | None, address: str,
                 postcode: str, uscc: str = "", industry: vocab.Industry | None = None, gb: int = 0,
                 est_year: int = 1990, tier: str = "small", innov: float = 1.0, province_code: str = "41"):
        self.idx = idx
        self.kind = kind                      # firm | institution | person | outside
        self.applicant_type = applicant_type  # 企业 | 个人 | 大专院校 | 科研单位 | 机关团体
        self.name = name
        self.former_name = ""
        self.rename_date: date | None = None
        self.unit = unit
        self.address = address
        self.postcode = postcode
        self.uscc = uscc
        self.pilot = False
        self.industry = industry or vocab.OTHER_INDUSTRY
        self.gb_code = self.industry.gb_codes[gb % len(self.industry.gb_codes)]
        self.gb_name = self.industry.gb_names[gb % len(self.industry.gb_names)]
        self.est_year = est_year
        self.tier = tier
        self.innov = innov
        self.inv_w = 0.0
        self.um_w = 0.0
        self.tm_w = 0.0
        self.above_years: list[int] = []
        self.key_years: list[int] = []
        self.hightech = False
        self.srdi = False
        self.has_pct = False
        self.province_code = province_code
        self.multi_industry = False

    def name_at(self, d: date) -> str:
        if self.rename_date is not None and d < self.rename_date:
            return self.former_name
        return self.name

    @property
    def flags(self) -> tuple[str, ...]:
        return ("uscc_check_digit",) if self.pilot else ()


def person_name(rng: random.Random) -> str:
    given = rng.choice(vocab.GIVEN_CHARS)
    if rng.random() < 0.75:
        given += rng.choice(vocab.GIVEN_CHARS)
    return rng.choice(vocab.SURNAMES) + given


def trade_name(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return rng.choice(vocab.TRADE_CURATED)
    a = rng.choice(vocab.TRADE_FIRST)
    b = rng.choice(vocab.TRADE_SECOND)
    return a + b if a != b else a + "达"


def org_body(rng: random.Random, est_year: int) -> str:
    if est_year >= 2015:
        return "MA" + "".join(rng.choice(ORG_CHARS) for _ in range(6))
    return rng.choice("1567") + "".join(rng.choice("0123456789") for _ in range(7))


def uscc_for(rng: random.Random, region_code: str, est_year: int, dept: str = "9", kind: str = "1") -> str:
    return make_uscc(region_code, org_body(rng, est_year), dept=dept, kind=kind)


def _weighted_pick(rng: random.Random, items: list, weights: list[float]):
    return rng.choices(items, weights=weights, k=1)[0]


class Population:
    """All entities of one area plus the weighted pickers the generators use."""

    def __init__(self, area: Area, rng: random.Random, n_firms: int, n_persons: int):
        self.area = area
        self.firms: list[Entity] = []
        self.institutions: list[Entity] = []
        self.persons: list[Entity] = []
        self.outside: list[Entity] = []
        self._names: set[str] = set()
        units = area.units
        unit_w = [u.weight for u in units]
        industries = list(vocab.ALL_INDUSTRIES)
        ind_w = [i.firm_share for i in industries]
        prov = area.code[:2]
        for idx in range(n_firms):
            unit = _weighted_pick(rng, units, unit_w)
            industry = _weighted_pick(rng, industries, ind_w)
            est_year = max(1980, 2026 - int(rng.expovariate(1 / 11)))
            r = rng.random()
            acc = 0.0
            tier, tier_f = "micro", 0.4
            for t, share, f in TIERS:
                acc += share
                if r < acc:
                    tier, tier_f = t, f
                    break
            innov = rng.lognormvariate(0, 1.0) * tier_f * (1.6 if industry.code in EMERGING else 1.0)
            name = self._firm_name(rng, unit, industry)
            admin = rng.choice(unit.admin_codes)
            if area.detailed and rng.random() < 0.12:
                admin = area.code  # registered at the city level
            firm = Entity(idx, "firm", "企业", name, unit, make_address(rng, area, unit), unit.postcode,
                          uscc_for(rng, admin, est_year), industry, rng.randrange(100), est_year, tier, innov, prov)
            if est_year < 2019 and rng.random() < 0.06:
                firm.former_name = self._former_name(rng, unit, industry, name)
                start = max(date(est_year + 1, 1, 1), date(2015, 1, 1)).toordinal()
                firm.rename_date = date.fromordinal(rng.randrange(start, date(2024, 6, 30).toordinal()))
            self.firms.append(firm)
        # A couple of early pilot codes that fail the check but are legal (flagged, never dropped).
        n_pilot = max(1, n_firms // 1200)
        for firm in rng.sample(self.firms, n_pilot):
            good = firm.uscc
            firm.uscc = good[:17] + ("0" if good[17] != "0" else "1")
            firm.pilot = True
        self._add_institutions(rng)
        for _ in range(n_persons):
            unit = _weighted_pick(rng, units, unit_w)
            self.persons.append(Entity(len(self.persons), "person", "个人", person_name(rng), unit,
                                       make_address(rng, area, unit, person=True), unit.postcode,
                                       province_code=prov))
        for i, (name, addr, pc, kind, region, _code) in enumerate(OUTSIDE_ENTITIES):
            dept, k = ("9", "1") if kind == "企业" else ("1", "2")
            ent = Entity(i, "outside", kind, name, None, addr, pc, uscc_for(rng, region, 2000, dept, k),
                         est_year=1980, province_code=region[:2])
            self.outside.append(ent)

    # -- names ------------------------------------------------------------------------------------
    def _firm_name(self, rng: random.Random, unit: Unit, industry: vocab.Industry) -> str:
        area = self.area
        for _ in range(50):
            word = rng.choice(industry.name_words)
            zihao = trade_name(rng)
            r = rng.random()
            if r < 0.45:
                prefix = area.name
            elif r < 0.58:
                prefix = area.short
            elif r < 0.72:
                prefix = area.province[:-1] if area.province.endswith("省") else area.province
            elif r < 0.87 and area.detailed and unit.kind == "county":
                prefix = unit.name
            elif r < 0.92:
                prefix = "中原" if area.code[:2] == "41" else area.short
            else:
                prefix = ""
            s = rng.random()
            if s < 0.62:
                suffix = "有限公司"
            elif s < 0.77:
                suffix = "股份有限公司"
            elif s < 0.92:
                suffix = "有限责任公司"
            elif s < 0.95:
                suffix = "集团有限公司"
            else:
                suffix = f"有限公司{area.short}分公司"
                prefix = rng.choice(("河南", "山东", "北京", "江苏"))
            if not prefix:
                name = f"{zihao}({area.short}){word}{suffix}"
            else:
                name = f"{prefix}{zihao}{word}{suffix}"
            if name not in self._names:
                self._names.add(name)
                return name
        name = f"{area.name}{trade_name(rng)}{rng.randrange(10, 99)}号{industry.name_words[0]}有限公司"
        self._names.add(name)
        return name

    def _former_name(self, rng: random.Random, unit: Unit, industry: vocab.Industry, current: str) -> str:
        if rng.random() < 0.5 and current.endswith("股份有限公司"):
            old = current[: -len("股份有限公司")] + "有限公司"
            if old not in self._names:
                self._names.add(old)
                return old
        return self._firm_name(rng, unit, industry)

    def _add_institutions(self, rng: random.Random) -> None:
        area = self.area
        by_code = {u.code: u for u in area.units}
        if area.code == "410900":
            hl = by_code["410902"]
            specs = [
                ("濮阳职业技术学院", "大专院校", hl, "河南省濮阳市华龙区长庆路与绿城路交叉口", "1", "2", 6.0),
                ("河南大学濮阳工学院", "大专院校", hl, "河南省濮阳市华龙区京开大道西段", "1", "2", 4.0),
                ("濮阳医学高等专科学校", "大专院校", hl, "河南省濮阳市华龙区黄河路中段", "1", "2", 1.5),
                ("濮阳市农业科学院", "科研单位", hl, "河南省濮阳市华龙区中原路388号", "1", "2", 2.0),
                ("中国石油化工股份有限公司中原油田分公司", "企业", hl, "河南省濮阳市华龙区中原路277号", "9", "1", 25.0),
                ("中石化中原石油工程有限公司", "企业", hl, "河南省濮阳市华龙区中原东路462号", "9", "1", 12.0),
                ("濮阳市人民医院", "机关团体", hl, "河南省濮阳市华龙区胜利路252号", "1", "2", 1.0),
                ("濮阳市油田总医院", "机关团体", hl, "河南省濮阳市华龙区大庆路95号", "1", "2", 1.0),
                ("濮阳市产品质量检验检测中心", "机关团体", by_code["410972"], "河南省濮阳市濮阳经济技术开发区昆吾路66号",
                 "1", "2", 0.5),
            ]
        else:
            specs = []
            for u in area.units:
                city = u.name if u.name.endswith("市") else u.name
                specs.append((f"{city}职业技术学院", "大专院校", u, f"{u.prefix_forms[0]}{rng.choice(vocab.ROADS)}88号",
                              "1", "2", 3.0))
                specs.append((f"{city}农业科学院", "科研单位", u, f"{u.prefix_forms[0]}{rng.choice(vocab.ROADS)}18号",
                              "1", "2", 1.0))
        by_industry = {i.code: i for i in vocab.ALL_INDUSTRIES}
        for i, (name, atype, unit, addr, dept, kind, w) in enumerate(specs):
            if "油田" in name:
                industry = by_industry["chemicals"]
            elif "石油工程" in name:
                industry = by_industry["equipment"]
            elif "农业科学院" in name:
                industry = by_industry["food"]
            else:
                industry = None  # research across industries: chosen per patent
            ent = Entity(i, "institution", atype, name, unit, addr, unit.postcode,
                         uscc_for(rng, area.code, 1995, dept, kind), industry, est_year=1980, tier="large", innov=w,
                         province_code=area.code[:2])
            ent.multi_industry = industry is None
            self.institutions.append(ent)
