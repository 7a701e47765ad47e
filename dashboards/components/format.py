"""How numbers, periods and codes are written for the people reading the dashboards (in Chinese)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd

from orchestration.exports import is_missing  # noqa: F401 (the pages import it from here)

# Units counted in whole items: shown without decimals, with thousands separators.
COUNT_UNITS = frozenset({"件", "家", "笔", "个", "元"})
# Units written straight after the number, without a space.
TIGHT_UNITS = frozenset({"%"})

NO_VALUE = "—"

# Status as a word plus an icon from Streamlit's bundled Material Symbols font (no emoji font needed);
# the colour directive and the icon are Streamlit markdown, so these belong in markdown, captions and labels.
STATUS_WORDS = {
    "met": "已达标",
    "on_track": "进度正常",
    "behind": "落后",
    "no_data": "无数据",
}
STATUS_ICONS = {
    "met": ("green", "check_circle"),
    "on_track": ("blue", "trending_up"),
    "behind": ("orange", "warning"),
    "no_data": ("gray", "remove"),
}
STATUS_LABELS = {
    status: f":{STATUS_ICONS[status][0]}[:material/{STATUS_ICONS[status][1]}: {word}]"
    for status, word in STATUS_WORDS.items()
}

COMPARATOR_LABELS = {
    ">=": "达到 ≥",
    ">": "超过 >",
    "<=": "不超过 ≤",
}

FILE_STATUS_LABELS = {
    "loaded": "已加载",
    "unchanged": "未变化",
    "rejected": "被拒绝",
}

SOURCE_LABELS = {
    "patents": "专利",
    "patent_versions": "专利（早期导出中的专利权人）",
    "trademarks": "商标",
    "trademark_versions": "商标（早期导出中的注册人）",
    "overseas_filings": "海外申请",
    "hightech": "高新技术企业",
    "srdi": "专精特新企业",
    "ip_advantage": "知识产权优势企业",
    "enterprises": "企业名录",
    "population": "常住人口",
    "pledges": "质押融资",
    "awards": "专利奖",
}




def format_number(value: Any, unit: str | None = None) -> str:
    """``1,234`` for counts, ``2.45`` / ``1,234.50`` for everything else; ``—`` when missing."""
    if is_missing(value):
        return NO_VALUE
    number = float(value)
    if unit in COUNT_UNITS and number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}"


def format_quantity(value: Any, unit: str | None) -> str:
    """A number with its unit: ``2.45 件/万人``, ``15.00%``, ``884 件``."""
    text = format_number(value, unit)
    if text == NO_VALUE or not unit:
        return text
    return f"{text}{unit}" if unit in TIGHT_UNITS else f"{text} {unit}"


def format_population_wan(persons: Any) -> str:
    """Resident population in 万人 with two decimals."""
    if is_missing(persons):
        return NO_VALUE
    return f"{float(persons) / 10_000:,.2f}"


def period_label(period_end: date) -> str:
    return f"{period_end.year}年{period_end.month:02d}月"


def timestamp_label(moment: Any) -> str:
    if is_missing(moment):
        return NO_VALUE
    return moment.strftime("%Y-%m-%d %H:%M")


def status_label(status: str | None) -> str:
    """The status as icon + word, in Streamlit markdown (``:orange[:material/warning: 落后]``)."""
    return STATUS_LABELS.get(status or "no_data", STATUS_LABELS["no_data"])


def status_word(status: str | None) -> str:
    """The status as a plain word, for tables and downloads."""
    return STATUS_WORDS.get(status or "no_data", STATUS_WORDS["no_data"])


def comparator_label(comparator: str) -> str:
    return COMPARATOR_LABELS.get(comparator, comparator)


# The eleven industries of the policy, in the order of its text (copied from seeds/industries.csv).
INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("chemicals", "化工", "传统产业"),
    ("equipment", "装备制造", "传统产业"),
    ("food", "食品加工", "传统产业"),
    ("home_furnishing", "现代家居", "传统产业"),
    ("down_products", "羽绒制品", "传统产业"),
    ("new_materials", "新材料", "新兴产业"),
    ("new_energy", "新能源", "新兴产业"),
    ("energy_saving_env", "节能环保", "新兴产业"),
    ("next_gen_it", "新一代信息技术", "新兴产业"),
    ("hydrogen", "氢能", "未来产业"),
    ("ai", "人工智能", "未来产业"),
)
INDUSTRY_LABELS = {code: name for code, name, _ in INDUSTRIES}
INDUSTRY_GROUPS = {code: group for code, _, group in INDUSTRIES}

PATENT_TYPE_LABELS = {"invention": "发明", "utility_model": "实用新型", "design": "外观设计"}

FEE_STATE_LABELS = {
    "lapse_risk": ":red[:material/error:] 即将失效（滞纳期最后一个月）",
    "grace": ":orange[:material/warning:] 已逾期（滞纳期内）",
    "due_soon": ":violet[:material/schedule:] 即将到期（90天内）",
    "unknown": ":gray[:material/help:] 缴费状态未知",
}
FEE_STATE_SHORT = {"lapse_risk": "即将失效", "grace": "已逾期", "due_soon": "即将到期", "unknown": "状态未知"}

DESIGNATION_KIND_LABELS = {
    "hightech": "高新技术企业",
    "srdi_sme": "省级专精特新中小企业",
    "little_giant": "专精特新“小巨人”企业",
    "ip_advantage": "知识产权优势（示范）企业",
    "ip_advantage_cultivation": "市级知识产权优势培育企业",
    "above_scale": "规上工业企业",
    "key_enterprise": "重点企业",
}

DESIGNATION_LEVEL_LABELS = {
    "hightech": "高新技术企业",
    "provincial_srdi_sme": "省级",
    "little_giant": "国家级",
    "national_demonstration": "国家知识产权示范企业",
    "national_advantage": "国家知识产权优势企业",
    "provincial_demonstration": "河南省知识产权示范企业",
    "provincial_advantage": "河南省知识产权优势企业",
    "provincial_strong": "河南省知识产权强企",
    "municipal_advantage": "市级知识产权优势企业",
    "municipal_cultivation": "市级知识产权优势培育企业",
}

ATTRIBUTION_METHOD_LABELS = {
    "enterprise_master": "企业名录匹配",
    "roster_area": "名录所属县区",
    "address": "地址识别",
    "record_address": "记录所载地址识别",
    "credit_code": "信用代码区划",
    "in_pack_no_unit": "本地但无法确定单位",
    "no_location": "无地址信息",
    "outside_pack": "区域外",
}

PERIOD_KIND_LABELS = {"stock": "存量（截至期末）", "flow": "流量（当年累计）", "ratio": "比率"}
DIRECTION_LABELS = {"higher_better": "越高越好", "lower_better": "越低越好"}


def industry_label(code: Any) -> str:
    if is_missing(code):
        return NO_VALUE
    return INDUSTRY_LABELS.get(str(code), "全部产业" if code == "ALL" else str(code))


def designation_label(kind: Any, level: Any) -> str:
    """高新技术企业 / 省级专精特新中小企业 / 规上工业企业（2025年名录） …"""
    kind_text = DESIGNATION_KIND_LABELS.get(str(kind), str(kind))
    if is_missing(level):
        return kind_text
    level = str(level)
    if level.startswith("roster_"):
        return f"{kind_text}（{level.removeprefix('roster_')}年名录）"
    if kind in ("ip_advantage", "ip_advantage_cultivation"):
        return DESIGNATION_LEVEL_LABELS.get(level, level)
    return kind_text


def date_label(value: Any) -> str:
    if is_missing(value):
        return NO_VALUE
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def yes_no(value: Any) -> str:
    if is_missing(value):
        return NO_VALUE
    return "是" if bool(value) else "否"


RULE_LABELS = {
    "application_no_check_digit": "申请号校验位错误",
    "application_no_check_missing": "申请号缺少校验位",
    "application_no_type_digit": "申请号类型位与专利类型不符",
    "invalid_application_no": "申请号格式错误",
    "invalid_certificate_no": "高企证书编号格式错误",
    "invalid_reg_no": "商标注册号格式错误",
    "invalid_date": "日期无法识别",
    "date_out_of_range": "日期超出合理范围",
    "invalid_term": "专用权期限无法识别",
    "missing_key": "缺少关键字段",
    "negative_number": "数值为负",
    "invalid_number": "数值无法识别",
    "invalid_year": "年度无法识别",
    "invalid_region_code": "区划代码无法识别",
    "invalid_industry_code": "行业代码无法识别",
    "invalid_nice_class": "国际分类无法识别",
    "nice_class_name_mismatch": "国际分类类名与类号不符",
    "unknown_value": "取值不在可接受范围",
    "uscc_check_digit": "信用代码校验位不符",
    "uscc_invalid_format": "信用代码格式错误",
    "lapsed_without_date": "失效但缺少失效日",
    "ended_without_date": "商标已失效但缺少注销日",
    "patent_type_conflict": "专利类型与申请号不一致",
}


def rule_label(rule: Any) -> str:
    if is_missing(rule):
        return NO_VALUE
    return RULE_LABELS.get(str(rule), str(rule))


_CJK = re.compile(r"[\u4e00-\u9fff]")


def field_label(source: Any, column: Any) -> str:
    """A landing-file column as officials know it: its first Chinese header in the source catalog
    (申请号 for patents.application_no), never the internal field name."""
    if is_missing(column):
        return NO_VALUE
    from orchestration.sources.catalog import SOURCES

    spec = SOURCES.get(str(source))
    if spec is not None:
        try:
            aliases = spec.column(str(column)).aliases
        except KeyError:
            aliases = ()
        for alias in aliases:
            if _CJK.search(alias):
                return alias
    return FIELD_FALLBACK_LABELS.get(str(column), "其他字段")


# Fields that are not a catalog column (the whole row, the file itself).
FIELD_FALLBACK_LABELS = {"_row": "整行", "_file": "整个文件", "row": "整行"}


def setting_basis(source: Any) -> str:
    """Where a setting's value comes from, in words: the seed's ``source`` is an engineer's note."""
    text = "" if is_missing(source) else str(source)
    if "UNCONFIRMED" in text.upper():
        return "未找到官方依据（假设值）"
    return "项目文档设定"
