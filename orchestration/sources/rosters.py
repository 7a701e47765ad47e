"""Official rosters as published: metadata from the title, and rows of places outside the pack.

Published lists (高新技术企业, 专精特新, 小巨人, 知识产权优势企业, 专利奖) often carry only
``序号, 企业名称, 所属地区``: the level, year, batch and stage stand in the title row above the header
or in the file name. ``infer`` reads them from there, only from explicit words (a list whose stage
is not written anywhere is rejected, not guessed), and says where each value came from.

A provincial list carries every city's firms. ``outside_areas`` names the area values that are a
place of China outside the active region pack (郑州市, 金水区 …, from the Ministry of Civil Affairs'
2024 division list copied to ``reference/china_divisions_2024.txt``); ingestion keeps those rows in
``audit.quarantine`` (rule ``outside_pack``) so they never count. An area naming no known place is
kept as it is (attribution decides; nothing is guessed here).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR

from .catalog import ENUMS, Source

DIVISIONS = Path(__file__).resolve().parent / "reference" / "china_divisions_2024.txt"
SEEDS = DBT_PROJECT_DIR / "seeds"
CN_NUMERALS = "一二三四五六七八九十"
# Division names that are words as well as places (阳泉市城区 …): never taken as a place on their own.
GENERIC_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "城区", "郊区", "矿区", "新区", "市中区"}


@dataclass(frozen=True)
class Inferred:
    column: str
    value: str  # raw word, parsed and checked like a cell of the file
    origin: str  # 标题 or 文件名

    def describe(self, label: str) -> str:
        return f"{label}={self.value}（来自{self.origin}）"


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _year(text: str) -> str | None:
    m = re.search(r"(?<!\d)(20\d{2})(?:年|年度)?(?!\d)", text)
    return m[1] if m else None


def _batch(text: str) -> str | None:
    m = re.search(rf"第([{CN_NUMERALS}\d]+)批", text)
    return f"第{m[1]}批" if m else None


def _enum_word(text: str, enum: str) -> str | None:
    """The longest accepted spelling of the enum written in the text."""
    words = sorted((k for k in ENUMS[enum] if not k.isascii()), key=len, reverse=True)
    folded = text.replace("“", '"').replace("”", '"')
    for word in words:
        if word.replace("“", '"').replace("”", '"') in folded:
            return word
    return None


def _srdi_level(text: str) -> str | None:
    if "小巨人" in text:
        return "专精特新小巨人"
    if "专精特新" in text and "中小企业" in text:
        return "专精特新中小企业"
    return None


def _srdi_stage(text: str) -> str | None:
    if "撤销" in text or "取消" in text:
        return "撤销"
    if "复核" in text:
        return "复核通过"
    if "公示" in text or "拟认定" in text or "拟入选" in text:
        return "公示"
    if "公布" in text or "认定" in text or "名单" in text:
        return "公布"
    return None


INFER_RULES = {
    "srdi": {"level": _srdi_level, "year": _year, "batch": _batch, "stage": _srdi_stage},
    "ip_advantage": {"level": lambda t: _enum_word(t, "ip_advantage_level"), "year": _year},
    "hightech": {"batch": _batch, "year": _year},  # year: only for a list without 证书编号 (its key)
    # not enterprises: a list without 规上年度 lists firms on no above-scale roster (contract.md)
}


def infer(source: Source, present: set[str], title: str, file_name: str) -> list[Inferred]:
    """Values for the source's columns missing from the header, from the title, else the file name."""
    rules = INFER_RULES.get(source.name, {})
    found: list[Inferred] = []
    title_f, name_f = _fold(title), _fold(Path(file_name).stem)
    for column, rule in rules.items():
        if column in present or (source.name == "hightech" and column == "year" and "certificate_no" in present):
            continue
        for text, origin in ((title_f, "标题"), (name_f, "文件名")):
            value = rule(text) if text else None
            if value:
                found.append(Inferred(column, value, origin))
                break
    return found


def _read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@functools.lru_cache(maxsize=8)
def pack_places(pack: str) -> tuple[str, str, tuple[str, ...]]:
    """(root name, admin code prefix, names of the pack's root, units and aliases)."""
    packs = {r["pack"]: r for r in _read_seed("region_packs.csv")}
    if pack not in packs:
        raise ValueError(f"unknown region pack {pack!r}")
    root = packs[pack]
    names = {root["root_name"], *[a for a in root["root_aliases"].split(";") if a]}
    for r in _read_seed("region_units.csv"):
        if r["pack"] == pack:
            names.update(n for n in (r["region_name"], r["short_name"]) if n)
    for r in _read_seed("region_aliases.csv"):
        if r["pack"] == pack and r["alias"]:
            names.add(r["alias"])
    return root["root_name"], root["admin_prefix"], tuple(sorted({_fold(n) for n in names}, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _divisions() -> tuple[tuple[str, str], ...]:
    """(name, code) of every division, and prefecture-level names without 市 (郑州), longest first."""
    out: dict[str, str] = {}
    for line in DIVISIONS.read_text(encoding="utf-8").splitlines():
        code, _, name = line.strip().partition(" ")
        if not name or name in GENERIC_NAMES:
            continue
        out.setdefault(name, code)
        if code.endswith("00") and name.endswith("市") and len(name) >= 3:
            out.setdefault(name[:-1], code)
    return tuple(sorted(out.items(), key=lambda item: len(item[0]), reverse=True))


def outside_place(area: str, pack: str) -> str | None:
    """The place of China outside the pack that ``area`` names, or None (inside, or no known place)."""
    text = _fold(area)
    if not text:
        return None
    _, prefix, names = pack_places(pack)
    if any(n in text for n in names):
        return None
    for name, code in _divisions():
        if len(name) >= 2 and name in text:
            return None if code.startswith(prefix) else name
    return None
