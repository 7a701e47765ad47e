"""Regions the sample is generated for: units, their towns, postcodes, populations and addresses.

The city scale reads the project's own region seeds (pack ``puyang``), the province scale pack
``henan``; the nation scale uses one generic unit per province (code = first two digits + 0000).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from . import vocab

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


@dataclass
class Unit:
    code: str
    name: str
    kind: str                      # district | county | zone | prefecture | province
    postcode: str
    towns: list[tuple[str, str]]   # (code, name): towns (city), counties (province), the capital (nation)
    weight: float                  # share of firms, patents and trademarks
    population: dict[int, int]     # year -> residents, year-end estimates (2020 = census)
    prefix_forms: tuple[str, ...]  # address prefixes naming the unit, e.g. 河南省濮阳市清丰县
    admin_codes: tuple[str, ...]   # registration-authority codes (USCC digits 3-8)


@dataclass
class Area:
    """A set of units generated together (the city; the province; one province of the nation)."""

    code: str            # root code: 410900, 410000, 110000 ...
    name: str            # 濮阳市, 河南省, 北京市 ...
    short: str           # 濮阳, 河南, 北京
    province: str        # 河南省 ...
    units: list[Unit]
    weight: float = 1.0  # share of the scale's volume
    detailed: bool = True  # city-style variety (towns, zones, ambiguous addresses)
    outside_city: str = "郑州"  # where outside co-owners and out-of-area addresses sit
    bank_city: str = "濮阳"
    hightech_codes: tuple[str, ...] = field(default=())


def _read_seed(name: str, pack: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if row["pack"] == pack]


# ---------------------------------------------------------------------------------------------
# City: Puyang

PUYANG_POSTCODES = {
    "410902": "457000", "410922": "457300", "410923": "457400", "410926": "457500",
    "410927": "457600", "410928": "457100", "410971": "457000", "410972": "457001",
}
# Invented split of the 2020 census total (3,772,088) over the units; the county figures were not
# found (domain.md 4.2), so these are placeholders of plausible size, not facts.
PUYANG_CENSUS_2020 = {
    "410902": 712_358, "410922": 621_530, "410923": 476_905, "410926": 452_110,
    "410927": 318_644, "410928": 980_431, "410971": 61_240, "410972": 148_870,
}
PUYANG_FIRM_WEIGHTS = {
    "410902": 0.25, "410922": 0.12, "410923": 0.10, "410926": 0.08,
    "410927": 0.06, "410928": 0.15, "410971": 0.08, "410972": 0.16,
}
# Year-end resident estimates relative to the census, per unit kind (urban units grow).
_CITY_TREND = {2019: 0.957, 2020: 1.0, 2021: 0.998, 2022: 0.992, 2023: 0.989, 2024: 0.986, 2025: 0.983}
_URBAN_TREND = {2019: 0.950, 2020: 1.0, 2021: 1.006, 2022: 1.010, 2023: 1.016, 2024: 1.021, 2025: 1.027}


def puyang_area() -> Area:
    units_rows = _read_seed("region_units.csv", "puyang")
    towns_rows = _read_seed("region_towns.csv", "puyang")
    units: list[Unit] = []
    for row in units_rows:
        code = row["region_code"]
        if row["level"] == "city":
            continue
        name = row["region_name"]
        towns = [(t["town_code"], t["town_name"]) for t in towns_rows if t["region_code"] == code]
        if row["level"] == "zone":
            if code == "410971":
                prefixes = ("河南省濮阳市河南濮阳工业园区", "濮阳市工业园区", "河南濮阳工业园区", "河南省濮阳工业园区")
            else:
                prefixes = ("河南省濮阳市濮阳经济技术开发区", "濮阳市开发区", "濮阳经济技术开发区", "河南省濮阳市经开区")
        elif row["level"] == "district":
            prefixes = (f"河南省濮阳市{name}", f"濮阳市{name}", f"河南省濮阳市{name}")
        else:
            prefixes = (f"河南省濮阳市{name}", f"濮阳市{name}", f"河南省{name}", name)
        trend = _URBAN_TREND if code in ("410902", "410972", "410971") else _CITY_TREND
        census = PUYANG_CENSUS_2020[code]
        units.append(Unit(
            code=code, name=name, kind=row["level"], postcode=PUYANG_POSTCODES[code], towns=towns,
            weight=PUYANG_FIRM_WEIGHTS[code],
            population={y: round(census * f) for y, f in trend.items()},
            prefix_forms=prefixes, admin_codes=(code,),
        ))
    return Area(code="410900", name="濮阳市", short="濮阳", province="河南省", units=units,
                detailed=True, outside_city="郑州", bank_city="濮阳")


# ---------------------------------------------------------------------------------------------
# Province: Henan (units are the prefectures)

HENAN_POSTCODES = {
    "410100": "450000", "410200": "475000", "410300": "471000", "410400": "467000", "410500": "455000",
    "410600": "458000", "410700": "453000", "410800": "454000", "410900": "457000", "411000": "461000",
    "411100": "462000", "411200": "472000", "411300": "473000", "411400": "476000", "411500": "464000",
    "411600": "466000", "411700": "463000", "419001": "459000",
}
# 2020 census residents in 万 (rounded public figures) and a patent-activity weight.
HENAN_PREFECTURES = {
    "410100": (1260.1, 35.0), "410200": (482.4, 3.0), "410300": (705.7, 10.0), "410400": (498.7, 3.5),
    "410500": (547.8, 4.0), "410600": (156.6, 1.5), "410700": (625.2, 7.0), "410800": (352.1, 4.0),
    "410900": (377.2, 2.5), "411000": (438.1, 5.0), "411100": (237.0, 2.0), "411200": (203.5, 1.5),
    "411300": (971.3, 6.0), "411400": (781.7, 4.0), "411500": (623.4, 3.0), "411600": (902.6, 3.5),
    "411700": (700.8, 3.0), "419001": (72.7, 1.0),
}


def henan_area() -> Area:
    units_rows = _read_seed("region_units.csv", "henan")
    towns_rows = _read_seed("region_towns.csv", "henan")
    units: list[Unit] = []
    for row in units_rows:
        code = row["region_code"]
        if row["level"] == "province":
            continue
        name = row["region_name"]
        pop_wan, weight = HENAN_PREFECTURES[code]
        towns = [(t["town_code"], t["town_name"]) for t in towns_rows if t["region_code"] == code]
        if not towns:
            towns = [(code, "")]
        census = round(pop_wan * 10_000)
        units.append(Unit(
            code=code, name=name, kind="prefecture", postcode=HENAN_POSTCODES[code], towns=towns,
            weight=weight, population={y: round(census * f) for y, f in _CITY_TREND.items()},
            prefix_forms=(f"河南省{name}", f"河南省{name}", name),
            admin_codes=tuple(t[0] for t in towns if t[0].isdigit() and len(t[0]) == 6) or (code,),
        ))
    return Area(code="410000", name="河南省", short="河南", province="河南省", units=units,
                detailed=False, outside_city="北京", bank_city="郑州")


# ---------------------------------------------------------------------------------------------
# Nation: one generic unit per province

PROVINCES = (
    # code2, name, capital, census 万, patent weight
    ("11", "北京市", "北京", 2189, 7.0), ("12", "天津市", "天津", 1387, 2.0), ("13", "河北省", "石家庄", 7461, 2.0),
    ("14", "山西省", "太原", 3492, 0.8), ("15", "内蒙古自治区", "呼和浩特", 2405, 0.5), ("21", "辽宁省", "沈阳", 4259, 1.5),
    ("22", "吉林省", "长春", 2407, 0.7), ("23", "黑龙江省", "哈尔滨", 3185, 0.7), ("31", "上海市", "上海", 2487, 5.0),
    ("32", "江苏省", "南京", 8475, 15.0), ("33", "浙江省", "杭州", 6457, 13.0), ("34", "安徽省", "合肥", 6103, 3.5),
    ("35", "福建省", "福州", 4154, 3.5), ("36", "江西省", "南昌", 4519, 1.5), ("37", "山东省", "济南", 10153, 6.0),
    ("41", "河南省", "郑州", 9937, 3.0), ("42", "湖北省", "武汉", 5775, 3.0), ("43", "湖南省", "长沙", 6644, 2.5),
    ("44", "广东省", "广州", 12601, 20.0), ("45", "广西壮族自治区", "南宁", 5013, 0.8), ("46", "海南省", "海口", 1008, 0.2),
    ("50", "重庆市", "重庆", 3205, 1.5), ("51", "四川省", "成都", 8367, 3.0), ("52", "贵州省", "贵阳", 3856, 0.6),
    ("53", "云南省", "昆明", 4721, 0.6), ("54", "西藏自治区", "拉萨", 365, 0.05), ("61", "陕西省", "西安", 3953, 2.0),
    ("62", "甘肃省", "兰州", 2502, 0.4), ("63", "青海省", "西宁", 592, 0.1), ("64", "宁夏回族自治区", "银川", 720, 0.2),
    ("65", "新疆维吾尔自治区", "乌鲁木齐", 2585, 0.4),
)


# Postcode of each provincial capital (addresses in the nation sample start with it).
CAPITAL_POSTCODES = {
    "11": "100000", "12": "300000", "13": "050000", "14": "030000", "15": "010000", "21": "110000", "22": "130000",
    "23": "150000", "31": "200000", "32": "210000", "33": "310000", "34": "230000", "35": "350000", "36": "330000",
    "37": "250000", "41": "450000", "42": "430000", "43": "410000", "44": "510000", "45": "530000", "46": "570000",
    "50": "400000", "51": "610000", "52": "550000", "53": "650000", "54": "850000", "61": "710000", "62": "730000",
    "63": "810000", "64": "750000", "65": "830000",
}


def nation_areas() -> list[Area]:
    areas = []
    total = sum(p[4] for p in PROVINCES)
    for code2, name, capital, pop_wan, weight in PROVINCES:
        code = f"{code2}0000"
        municipality = name.endswith("市") and name[:-1] == capital
        city = name if municipality else f"{capital}市"
        towns = [(f"{code2}0102", ""), (f"{code2}0105", "高新区"), (f"{code2}0112", "经济技术开发区")]
        prefix = name if municipality else f"{name}{city}"
        census = round(pop_wan * 10_000)
        unit = Unit(
            code=code, name=name, kind="province", postcode=CAPITAL_POSTCODES[code2], towns=towns, weight=1.0,
            population={y: round(census * f) for y, f in _CITY_TREND.items()},
            prefix_forms=(prefix, prefix, city), admin_codes=(f"{code2}0100", f"{code2}0102", code),
        )
        areas.append(Area(code=code, name=name, short=capital, province=name, units=[unit], weight=weight / total,
                          detailed=False, outside_city="北京" if code2 != "11" else "上海", bank_city=capital))
    return areas


# ---------------------------------------------------------------------------------------------
# Addresses

def street(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.7:
        return f"{rng.choice(vocab.ROADS)}{rng.randint(1, 399)}号"
    if r < 0.85:
        return f"{rng.choice(vocab.ROADS)}与{rng.choice(vocab.ROADS)}交叉口"
    return f"{rng.choice(vocab.ROADS)}中段"


def village(rng: random.Random) -> str:
    return f"{rng.choice(vocab.VILLAGE_FIRST)}{rng.choice(vocab.VILLAGE_FIRST)}{rng.choice(vocab.VILLAGE_SECOND)}村"


def make_address(rng: random.Random, area: Area, unit: Unit, person: bool = False) -> str:
    """An address (without postcode) that names the unit, usually with a town.

    City detail: a few county addresses name only 城关镇 without the county (ambiguous on purpose).
    """
    town_code, town = rng.choice(unit.towns)
    if not area.detailed:
        body = f"{rng.choice(unit.prefix_forms)}{town}"
        return body + (village(rng) if person else street(rng))
    if unit.kind == "county" and town == "城关镇" and rng.random() < 0.08:
        prefix = f"{area.province}{area.name}" if rng.random() < 0.5 else area.name
        return f"{prefix}城关镇{village(rng) if person else street(rng)}"
    prefix = rng.choice(unit.prefix_forms)
    if unit.kind == "zone":
        if person:
            return f"{prefix}{town}{village(rng)}"
        return f"{prefix}{town if rng.random() < 0.4 else ''}{street(rng)}"
    if person:
        if unit.kind == "district" and not town.endswith(("镇", "乡")):
            return f"{prefix}{town}{street(rng)}"
        return f"{prefix}{town}{village(rng)}"
    if rng.random() < 0.35:
        return f"{prefix}{street(rng)}"
    return f"{prefix}{town}{street(rng)}"


# Institutions and firms outside the area that appear as first patentees with a local co-owner.
OUTSIDE_ENTITIES = (
    # name, address, postcode, kind, uscc region, 国省代码
    ("中国石油化工股份有限公司", "北京市朝阳区朝阳门北大街22号", "100728", "企业", "110000", "北京(11)"),
    ("郑州大学", "河南省郑州市高新技术开发区科学大道100号", "450001", "大专院校", "410100", "河南(41)"),
    ("河南工业大学", "河南省郑州市高新技术产业开发区莲花街100号", "450001", "大专院校", "410100", "河南(41)"),
    ("中国石油大学(北京)", "北京市昌平区府学路18号", "102249", "大专院校", "110000", "北京(11)"),
    ("北京化工大学", "北京市朝阳区北三环东路15号", "100029", "大专院校", "110000", "北京(11)"),
    ("郑州华恒化工科技有限公司", "河南省郑州市金水区经三路68号", "450008", "企业", "410105", "河南(41)"),
)
