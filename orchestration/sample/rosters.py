"""Enterprise rosters: above-scale firms, high-tech certificates, SRDI, IP advantage; population."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date

from . import plan as P
from .context import Context
from .entities import EMERGING, Entity, Population
from .regions import Area, Unit
from .writers import BadRule, FileSpec, TableWriter

SRDI_PROVINCIAL = "省级专精特新中小企业"
SRDI_GIANT = '专精特新"小巨人"'
IPA_LEVELS = {
    "nat_demo": "国家知识产权示范企业", "nat_adv": "国家知识产权优势企业",
    "prov_demo": "河南省知识产权示范企业", "prov_adv": "河南省知识产权优势企业", "strong": "河南省知识产权强企",
    "mun_adv": "市级知识产权优势企业", "mun_cult": "市级知识产权优势培育企业",
}
TIER_SCORE = {"large": 10.0, "medium": 4.0, "small": 1.0, "micro": 0.15}
BATCH_CN = ("第一批", "第二批", "第三批")

ENTERPRISE_RULES = [BadRule("missing_key", "uscc"), BadRule("unknown_value", "key_enterprise", ("待定", "不详"))]
HIGHTECH_RULES = [BadRule("missing_key", "certificate_no"), BadRule("invalid_date", "issue_date")]
SRDI_RULES = [BadRule("unknown_value", "stage", ("待定", "拟认定中"))]
IPA_RULES = [BadRule("unknown_value", "level", ("县级知识产权优势企业", "知识产权贯标企业"))]
POPULATION_RULES = [BadRule("missing_key", "region_code")]


def unit_label(unit: Unit | None, style: str) -> str:
    if unit is None:
        return ""
    if style == "short" and unit.kind == "zone":
        return {"410971": "工业园区", "410972": "经开区"}.get(unit.code, unit.name)
    return unit.name


def scaled(values: dict[int, int], factor: float) -> dict[int, int]:
    return {y: max(0, round(v * factor)) for y, v in values.items()}


def weighted_unique(rng: random.Random, pool: list[Entity], weights: list[float], n: int,
                    exclude: set[int] | None = None) -> list[Entity]:
    """Draw up to n distinct entities, probability proportional to weight (cumulative weights built once)."""
    exclude = set() if exclude is None else exclude
    avail = [(f, w) for f, w in zip(pool, weights) if f.idx not in exclude and w > 0]
    if n <= 0 or not avail:
        return []
    if n >= len(avail) // 2:
        keyed = sorted(avail, key=lambda fw: rng.random() ** (1.0 / fw[1]), reverse=True)
        return [f for f, _ in keyed[:n]]
    items = [f for f, _ in avail]
    cum = list(itertools.accumulate(w for _, w in avail))
    got: list[Entity] = []
    seen: set[int] = set()
    while len(got) < n:
        for f in rng.choices(items, cum_weights=cum, k=n - len(got)):
            if f.idx not in seen and len(got) < n:
                seen.add(f.idx)
                got.append(f)
    return got


@dataclass
class Rosters:
    hightech: list[tuple[Entity, int, int, date, str]] = field(default_factory=list)  # firm, year, batch, date, cert
    srdi: list[tuple[Entity, str, int, int, str]] = field(default_factory=list)       # firm, level, year, batch, stage
    ipa: list[tuple[Entity, str, int]] = field(default_factory=list)                  # firm, level key, year


# -------------------------------------------------------------------------------------------------
# Simulation (sets attributes on the firms that patents and trademarks then use)

def simulate(pop: Population, rng: random.Random, factor: float) -> Rosters:
    firms = pop.firms
    out = Rosters()
    # Above-scale roster and key enterprises, year by year.
    above_target = scaled(P.ABOVE_SCALE_CITY, factor)
    key_target = scaled(P.KEY_ENTERPRISES_CITY, factor)
    current: dict[int, Entity] = {}
    keys: dict[int, Entity] = {}
    keep_p = {"large": 0.99, "medium": 0.95, "small": 0.90, "micro": 0.8}
    for year in sorted(above_target):
        current = {i: f for i, f in current.items() if rng.random() < keep_p[f.tier]}
        pool = [f for f in firms if f.est_year <= year - 1 and f.idx not in current]
        need = above_target[year] - len(current)
        if need > 0:
            scored = sorted(pool, key=lambda f: -TIER_SCORE[f.tier] * rng.random())
            for f in scored[:need]:
                current[f.idx] = f
        for f in current.values():
            f.above_years.append(year)
        keys = {i: f for i, f in keys.items() if i in current and rng.random() < 0.93}
        need = key_target[year] - len(keys)
        if need > 0:
            cands = sorted((f for f in current.values() if f.idx not in keys),
                           key=lambda f: -(f.innov * TIER_SCORE[f.tier]) * rng.uniform(0.5, 1.5))
            for f in cands[:need]:
                keys[f.idx] = f
        for f in keys.values():
            f.key_years.append(year)

    # High-tech certificates: re-certification after 3 years or new firms.
    by_year: dict[int, list[Entity]] = {}
    for year, n in sorted(scaled(P.HIGHTECH_CITY, factor).items()):
        chosen: list[Entity] = []
        seen: set[int] = set()
        valid_now = {f.idx for y in (year - 1, year - 2) for f in by_year.get(y, [])}
        for f in by_year.get(year - 3, []):
            if len(chosen) < n and rng.random() < 0.72:
                chosen.append(f)
                seen.add(f.idx)
        pool = [f for f in firms if f.est_year <= year - 1 and f.idx not in seen and f.idx not in valid_now
                and f.tier != "micro"]
        weights = [f.innov * (2.0 if f.industry.code in EMERGING else 1.0) for f in pool]
        chosen += weighted_unique(rng, pool, weights, n - len(chosen))
        by_year[year] = chosen
        cap = max(10_000, 3 * len(chosen))
        serials = sorted(rng.sample(range(100, cap), len(chosen)))
        b1 = date(year, 10, rng.randint(12, 30))
        b2 = date(year, 12, rng.randint(1, 20))
        for f, serial in zip(chosen, serials):
            batch = 1 if rng.random() < 0.6 else 2
            f.hightech = True
            out.hightech.append((f, year, batch, b1 if batch == 1 else b2,
                                 f"GR{year}{pop.area.code[:2]}{serial:06d}"))
    out.hightech.sort(key=lambda r: (r[1], r[2], r[4]))

    # SRDI: provincial SMEs (公示 then 公布, 复核 after 3 years) and national little giants.
    srdi_firms: dict[int, int] = {}
    giants: set[int] = set()
    giant_target = scaled(P.LITTLE_GIANT_CITY, factor)
    revoked = 0
    for year, n in sorted(scaled(P.SRDI_CITY, factor).items()):
        pool = [f for f in firms if f.idx not in srdi_firms and f.tier in ("small", "medium")
                and f.est_year <= year - 2]
        weights = [f.innov * (2.5 if f.hightech else 1.0) for f in pool]
        for f in weighted_unique(rng, pool, weights, n):
            batch = 1 if rng.random() < 0.65 else 2
            srdi_firms[f.idx] = year
            f.srdi = True
            out.srdi.append((f, SRDI_PROVINCIAL, year, batch, "公示"))
            out.srdi.append((f, SRDI_PROVINCIAL, year, batch, "公布"))
        for f in firms:
            if srdi_firms.get(f.idx) == year - 3 and year - 3 >= 2019:
                if rng.random() < 0.75:
                    out.srdi.append((f, SRDI_PROVINCIAL, year, 1, "复核通过"))
                elif revoked < max(1, round(2 * factor)) and year <= 2025:
                    out.srdi.append((f, SRDI_PROVINCIAL, year, 1, "撤销"))
                    revoked += 1
        cands = [f for f in firms if f.idx in srdi_firms and srdi_firms[f.idx] < year and f.idx not in giants]
        cands.sort(key=lambda f: -f.innov * rng.random())
        for f in cands[: giant_target.get(year, 0)]:
            giants.add(f.idx)
            out.srdi.append((f, SRDI_GIANT, year, 1, "公示"))
            out.srdi.append((f, SRDI_GIANT, year, 1, "公布"))
    out.srdi.sort(key=lambda r: (r[2], r[1] != SRDI_PROVINCIAL, r[3], ("公示", "公布", "复核通过", "撤销").index(r[4])))

    # IP advantage designations: 培育 -> 市级优势 -> 省级 -> 国家级.
    held: dict[str, list[Entity]] = {k: [] for k in IPA_LEVELS}
    designated: set[int] = set()

    def draw(n: int, sources: list[Entity], p_from: float, year: int) -> list[Entity]:
        src = list({f.idx: f for f in sources}.values())
        rng.shuffle(src)
        got = src[: round(n * p_from)]
        pool = [f for f in firms if f.idx not in designated and f.est_year <= year - 2 and f.tier != "micro"]
        got += weighted_unique(rng, pool, [x.innov for x in pool], n - len(got), {g.idx for g in got})
        return got

    for year in range(2016, 2027):
        plan_counts = {
            "mun_cult": 12 + (year - 2016) // 2, "mun_adv": 11 + (year - 2016) // 2,
            "prov_adv": 3 + (year >= 2021), "prov_demo": 1 if year >= 2018 else 0,
            "strong": 2 if year >= 2023 else 0, "nat_adv": 1 + (year % 4 == 0) if year % 2 == 0 else 0,
            "nat_demo": 1 if year in (2019, 2023) else 0,
        }
        if year == 2026:
            plan_counts = {k: v // 2 for k, v in plan_counts.items()}
        sources = {
            "mun_cult": ([], 0.0), "mun_adv": (held["mun_cult"], 0.5), "prov_adv": (held["mun_adv"], 0.7),
            "prov_demo": (held["prov_adv"], 1.0), "strong": (held["mun_adv"] + held["prov_adv"], 0.8),
            "nat_adv": (held["prov_adv"] + held["prov_demo"], 1.0), "nat_demo": (held["nat_adv"], 1.0),
        }
        for level, n in plan_counts.items():
            n = round(n * factor)
            if n <= 0:
                continue
            src, p_from = sources[level]
            have = {f.idx for f in held[level]}
            src = [f for f in src if f.idx not in have]
            for f in draw(n, src, p_from, year):
                held[level].append(f)
                designated.add(f.idx)
                out.ipa.append((f, level, year))
    out.ipa.sort(key=lambda r: (r[2], list(IPA_LEVELS).index(r[1])))

    # Patent and trademark propensities follow the rosters.
    for f in firms:
        boost = (2.5 if f.hightech else 1.0) * (2.0 if f.key_years else 1.0) * (1.4 if f.above_years else 1.0)
        boost *= 1.5 if f.srdi else 1.0
        f.inv_w = f.innov * boost * (1.5 if f.industry.code in EMERGING else 1.0)
        f.um_w = (f.innov ** 0.7) * (1.5 if f.above_years else 1.0) * (1.8 if f.hightech else 1.0)
        f.tm_w = (0.5 + f.innov ** 0.5) * (2.0 if f.industry.code in ("food", "home_furnishing", "down_products")
                                          else 1.0)
    for inst in pop.institutions:
        inst.inv_w = inst.innov * 4
        inst.um_w = inst.innov * 3
    return out


# -------------------------------------------------------------------------------------------------
# File layouts

def _enterprise_columns(style: str) -> list[tuple[str, str]]:
    if style == "year_table":
        return [("序号", "seq"), ("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("所属县区", "area"),
                ("行业代码", "industry_code"), ("行业名称", "industry_name"), ("规上年度", "above_scale_year"),
                ("是否重点企业", "key_enterprise")]
    if style == "xlsx1":
        return [("序号", "seq"), ("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("区县", "area"),
                ("行业代码", "industry_code"), ("规上年度", "above_scale_year"), ("是否重点企业", "key_enterprise"),
                ("曾用名", "former_names")]
    if style == "xlsx2":
        return [("序号", "seq"), ("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("所属县区", "area"),
                ("行业代码", "industry_code"), ("行业名称", "industry_name"), ("规上年度", "above_scale_year"),
                ("是否重点企业", "key_enterprise"), ("注册地址", "address")]
    if style == "spaced":
        return [(" 企业名称 ", "enterprise"), ("统一社会信用代码\u3000", "uscc"), ("所属县区", "area"),
                (" 行业代码", "industry_code"), ("规上年度 ", "above_scale_year"), ("是否重点企业", "key_enterprise"),
                ("曾用名", "former_names")]
    if style == "english":
        return [("enterprise", "enterprise"), ("uscc", "uscc"), ("area", "area"), ("industry_code", "industry_code"),
                ("above_scale_year", "above_scale_year"), ("key_enterprise", "key_enterprise"),
                ("former_names", "former_names"), ("address", "address")]
    if style == "master":
        return [("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("所属县区", "area"), ("行业代码", "industry_code"),
                ("规上年度", "above_scale_year"), ("是否重点企业", "key_enterprise"), ("注册地址", "address")]
    raise ValueError(style)


def enterprise_specs(ctx: Context) -> list[tuple[FileSpec, tuple[int, ...]]]:
    """Each spec with the roster years it holds (empty tuple = firms on no roster)."""
    if not ctx.detailed:
        return [
            (FileSpec("enterprises", "enterprises_2019_2026.csv", date(2026, 12, 31), _enterprise_columns("year_table"),
                      options={"area_style": "full"}), tuple(range(2019, 2027))),
            (FileSpec("enterprises", "enterprise_master_20241231.csv", date(2024, 12, 31),
                      _enterprise_columns("master"),
                      options={"area_style": "full"}), ()),
        ]
    city = ctx.plan.areas[0].name
    return [
        (FileSpec("enterprises", "规上工业企业名单_2019_2022.csv", date(2022, 12, 31), _enterprise_columns("year_table"),
                  encoding="gbk", options={"area_style": "full"}), (2019, 2020, 2021, 2022)),
        (FileSpec("enterprises", "2023年规上工业企业名单.xlsx", date(2023, 12, 31), _enterprise_columns("xlsx1"),
                  fmt="xlsx", title_rows=(f"2023年{city}规模以上工业企业名单",), options={"area_style": "short"}),
         (2023,)),
        (FileSpec("enterprises", "2024年规上工业企业名单.xlsx", date(2024, 12, 31), _enterprise_columns("xlsx2"),
                  fmt="xlsx", title_rows=(f"2024年{city}规模以上工业企业名单", "填报单位：濮阳市工业和信息化局      截至2024年12月"),
                  options={"area_style": "full"}), (2024,)),
        (FileSpec("enterprises", "enterprises_2025.csv", date(2025, 12, 31), _enterprise_columns("spaced"),
                  encoding="utf-8-sig", options={"area_style": "short"}), (2025,)),
        (FileSpec("enterprises", "above_scale_2026.csv", date(2026, 12, 31), _enterprise_columns("english"),
                  options={"area_style": "full"}), (2026,)),
        (FileSpec("enterprises", "企业名录_20241231.csv", date(2024, 12, 31), _enterprise_columns("master"),
                  encoding="utf-8-sig", options={"area_style": "full"}), ()),
    ]


def write_enterprises(ctx: Context, writers: list[tuple[TableWriter, tuple[int, ...]]], pop: Population) -> None:
    for writer, years in writers:
        style = writer.spec.options.get("area_style", "full")
        if not years:
            for f in pop.firms:
                if f.above_years:
                    continue
                writer.write({"enterprise": f.name, "uscc": f.uscc, "area": unit_label(f.unit, style),
                              "industry_code": f.gb_code, "above_scale_year": "", "key_enterprise": "否",
                              "address": f.address, "_flags": f.flags})
            continue
        for year in years:
            mid = date(year, 6, 30)
            end = date(year, 12, 31)
            for f in pop.firms:
                if year not in f.above_years:
                    continue
                renamed = f.rename_date is not None and f.rename_date <= end
                writer.write({
                    "seq": writer.rows + 1, "enterprise": f.name_at(mid), "uscc": f.uscc,
                    "area": unit_label(f.unit, style), "industry_code": f.gb_code, "industry_name": f.gb_name,
                    "above_scale_year": year, "key_enterprise": "是" if year in f.key_years else "否",
                    "former_names": f.former_name if renamed else "", "address": f.address, "_flags": f.flags,
                })


def hightech_specs(ctx: Context) -> list[tuple[FileSpec, tuple[int, ...]]]:
    if not ctx.detailed:
        cols = [("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("证书编号", "certificate_no"),
                ("发证日期", "issue_date"), ("批次", "batch"), ("地区", "area")]
        return [(FileSpec("hightech", "hightech_2014_2025.csv", date(2025, 12, 31), cols), tuple(range(2014, 2026)))]
    city = ctx.plan.areas[0].name
    return [
        (FileSpec("hightech", "高新技术企业名单_2014-2019.csv", date(2019, 12, 31),
                  [("序号", "seq"), ("企业名称", "enterprise"), ("证书编号", "certificate_no"), ("发证日期", "issue_date"),
                   ("批次", "batch"), ("地区", "area")], encoding="gbk", date_style="slash",
                  options={"area_style": "full", "batch_style": "year"}), tuple(range(2014, 2020))),
        (FileSpec("hightech", "2020-2021年度高新技术企业.csv", date(2021, 12, 31),
                  [("企业名称", "enterprise"), ("证书编号", "certificate_no"), ("发证日期", "issue_date"), ("批次", "batch"),
                   ("所属县区", "area"), ("统一社会信用代码", "uscc")], encoding="utf-8-sig", date_style="compact",
                  options={"area_style": "short", "batch_style": "plain"}), (2020, 2021)),
        (FileSpec("hightech", f"2022年{city}高新技术企业名单.xlsx", date(2022, 12, 31),
                  [("序号", "seq"), ("企业名称", "enterprise"), ("证书编号", "certificate_no"), ("发证日期", "issue_date"),
                   ("所属县区", "area"), ("批次", "batch")], fmt="xlsx", date_style="excel",
                  title_rows=(f"2022年{city}高新技术企业名单",), options={"area_style": "full", "batch_style": "year"}),
         (2022,)),
        (FileSpec("hightech", f"2023年{city}高新技术企业名单.xlsx", date(2023, 12, 31),
                  [("序号", "seq"), ("企业名称", "enterprise"), ("证书编号", "certificate_no"), ("发证日期", "issue_date"),
                   ("地区", "area"), ("批次", "batch")], fmt="xlsx", date_style="serial",
                  title_rows=(f"2023年{city}高新技术企业名单", "（河南省2023年第一批、第二批认定）"),
                  options={"area_style": "short", "batch_style": "plain"}), (2023,)),
        (FileSpec("hightech", "hightech_2024_2025.csv", date(2025, 12, 31),
                  [("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("证书编号", "certificate_no"),
                   ("发证日期", "issue_date"), ("批次", "batch"), ("地区", "area")], date_style="cn",
                  options={"area_style": "full", "batch_style": "year"}), (2024, 2025)),
    ]


def write_hightech(writers: list[tuple[TableWriter, tuple[int, ...]]], rosters: Rosters) -> None:
    route = {y: w for w, years in writers for y in years}
    for f, year, batch, issued, cert in rosters.hightech:
        w = route.get(year)
        if w is None:
            continue
        opts = w.spec.options
        year_style = opts.get("batch_style", "year") == "year"
        batch_text = f"{year}年{BATCH_CN[batch - 1]}" if year_style else BATCH_CN[batch - 1]
        w.write({"seq": w.rows + 1, "enterprise": f.name_at(issued), "uscc": f.uscc, "certificate_no": cert,
                 "issue_date": issued, "batch": batch_text, "area": unit_label(f.unit, opts.get("area_style", "full")),
                 "_flags": f.flags if "uscc" in w.spec.keys else ()})


def srdi_specs(ctx: Context) -> list[tuple[FileSpec, tuple[int, ...]]]:
    base = [("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("级别", "level"), ("年度", "year"),
            ("批次", "batch"), ("状态", "stage"), ("所属县区", "area")]
    if not ctx.detailed:
        return [(FileSpec("srdi", "srdi_2019_2026.csv", date(2026, 12, 31), base), tuple(range(2019, 2027)))]
    return [
        (FileSpec("srdi", "专精特新企业_2019-2023.csv", date(2023, 12, 31), [("序号", "seq")] + base, encoding="gbk"),
         tuple(range(2019, 2024))),
        (FileSpec("srdi", "2024年专精特新企业名单.xlsx", date(2024, 12, 31),
                  [("序号", "seq"), ("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("类别", "level"),
                   ("年度", "year"), ("批次", "batch"), ("状态", "stage"), ("有效期", "validity"), ("所属县区", "area")],
                  fmt="xlsx", title_rows=("2024年度濮阳市专精特新企业名单",)), (2024,)),
        (FileSpec("srdi", "srdi_2025_2026-10.csv", date(2026, 10, 31), base, encoding="utf-8-sig"), (2025, 2026)),
    ]


def write_srdi(writers: list[tuple[TableWriter, tuple[int, ...]]], rosters: Rosters) -> None:
    route = {y: w for w, years in writers for y in years}
    for f, level, year, batch, stage in rosters.srdi:
        w = route.get(year)
        if w is None:
            continue
        validity = f"{year}-01-01至{year + 2}-12-31" if stage in ("公布", "复核通过") else ""
        w.write({"seq": w.rows + 1, "enterprise": f.name_at(date(year, 6, 30)), "uscc": f.uscc, "level": level,
                 "year": year, "batch": BATCH_CN[batch - 1], "stage": stage, "validity": validity,
                 "area": unit_label(f.unit, "full"), "_flags": f.flags})


def ipa_specs(ctx: Context) -> list[tuple[FileSpec, tuple[int, ...]]]:
    if not ctx.detailed:
        cols = [("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("级别", "level"), ("认定年度", "year")]
        return [(FileSpec("ip_advantage", "ip_advantage_2016_2026.csv", date(2026, 12, 31), cols),
                 tuple(range(2016, 2027)))]
    return [
        (FileSpec("ip_advantage", "知识产权优势企业_2016-2021.csv", date(2021, 12, 31),
                  [("序号", "seq"), ("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("级别", "level"),
                   ("认定年度", "year")], encoding="gbk"), tuple(range(2016, 2022))),
        (FileSpec("ip_advantage", "知识产权优势企业_2022-2026年10月.xlsx", date(2026, 10, 31),
                  [("企业名称", "enterprise"), ("统一社会信用代码", "uscc"), ("级别", "level"), ("认定年度", "year"),
                   ("有效期至", "valid_to")], fmt="xlsx", date_style="excel",
                  title_rows=("濮阳市国家、省、市级知识产权优势企业名单（2022-2026年）",)), tuple(range(2022, 2027))),
    ]


def write_ipa(writers: list[tuple[TableWriter, tuple[int, ...]]], rosters: Rosters) -> None:
    route = {y: w for w, years in writers for y in years}
    for f, level, year in rosters.ipa:
        w = route.get(year)
        if w is None:
            continue
        w.write({"seq": w.rows + 1, "enterprise": f.name_at(date(year, 6, 30)), "uscc": f.uscc,
                 "level": IPA_LEVELS[level], "year": year, "valid_to": date(year + 2, 12, 31), "_flags": f.flags})


# -------------------------------------------------------------------------------------------------
# Population

CITY_ROWS = {2020: None, 2022: 3_743_000, 2023: 3_736_000, 2024: 3_728_000, 2025: 3_719_000}


def population_specs(ctx: Context) -> list[tuple[FileSpec, tuple[int, ...]]]:
    if not ctx.detailed:
        cols = [("年份", "year"), ("区划代码", "region_code"), ("地区", "region_name"), ("常住人口", "population"),
                ("口径", "series")]
        return [(FileSpec("population", "population_2019_2025.csv", date(2025, 12, 31), cols,
                          options={"unit": "person"}), tuple(range(2019, 2026)))]
    return [
        (FileSpec("population", "常住人口_2019-2022.csv", date(2022, 12, 31),
                  [("年份", "year"), ("区划代码", "region_code"), ("地区", "region_name"), ("常住人口", "population"),
                   ("口径", "series")], encoding="utf-8-sig", options={"unit": "person"}), (2019, 2020, 2021, 2022)),
        (FileSpec("population", "2023-2025年末常住人口.xlsx", date(2025, 12, 31),
                  [("年份", "year"), ("区划代码", "region_code"), ("地区", "region_name"),
                   ("常住人口(万人)", "population"), ("口径", "series")], fmt="xlsx",
                  title_rows=("濮阳市各县（区）年末常住人口",), options={"unit": "wan"}), (2023, 2024, 2025)),
    ]


def write_population(ctx: Context, writers: list[tuple[TableWriter, tuple[int, ...]]], area: Area) -> None:
    for w, years in writers:
        wan = w.spec.options["unit"] == "wan"
        for year in years:
            series = "七普" if year == 2020 else "年末常住人口"
            rows = [(u.code, u.name, u.population[year]) for u in area.units]
            if ctx.detailed and year in CITY_ROWS:
                total = CITY_ROWS[year] or sum(r[2] for r in rows)
                rows.insert(0, (area.code, area.name, total))
            elif not ctx.detailed and len(area.units) > 1:
                rows.insert(0, (area.code, area.name, sum(r[2] for r in rows)))
            for code, name, value in rows:
                w.write({"year": year, "region_code": code, "region_name": name,
                         "population": round(value / 10_000, 2) if wan else value, "series": series})
