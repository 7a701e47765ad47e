"""What the monthly 通报 says: every number and sentence, read from the published marts.

Pure reading and wording (no Word, no charts): `briefing_content` returns a `BriefingContent`
whose fields the Word template (templates/monthly_briefing.docx) and the HTML for the PDF print.
Every number comes from a mart (metric_values, target_progress, county_assessment,
metric_change_decomposition, fee_warnings, zero_invention_enterprises, key_enterprise_progress);
the text only words them. A missing value is worded ("无数据"), never printed as nan/None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Sequence

import pandas as pd

from ..exports import (
    is_missing,
    AssessmentReport,
    NoAssessment,
    load_county_assessment,
    rank_change_text,
    ranking_table,
)

Reader = Callable[[str, Sequence[Any]], pd.DataFrame]

NO_DATA = "无数据"
UNATTRIBUTED = "UNATTRIBUTED"
COUNT_UNITS = {"件", "家", "笔"}
STATUS_WORDS = {"met": "已达标", "on_track": "进度符合预期", "behind": "进度滞后", "no_data": "暂无数据"}
COMPARATOR_WORDS = {">=": "达到", ">": "超过", "<=": "不超过"}
POLICY_YEARS = (2025, 2026, 2027)
# the stock metrics whose change the 通报 explains, in the order it explains them
EXPLAINED_METRICS = (
    "invention_per_10k",
    "valid_invention_patents",
    "high_value_invention_patents",
    "valid_trademarks",
    "hightech_enterprises",
    "above_scale_enterprises",
    "srdi_sme_valid",
    "little_giant_valid",
    "ip_advantage_enterprises_total",
    "above_scale_zero_invention",
)
FEE_STATE_WORDS = {"due_soon": "90日内到期", "grace": "已进入滞纳期", "lapse_risk": "滞纳期最后一个月（即将失效）"}


class NoPeriodData(LookupError):
    """The warehouse has no month-end for the requested period."""


def fmt_number(value: Any, unit: str = "", *, signed: bool = False) -> str:
    """A number as the 通报 prints it: whole numbers for counts, two decimals otherwise; 无数据 when missing."""
    if is_missing(value):
        return NO_DATA
    number = float(value)
    if unit in COUNT_UNITS or unit == "万元" and number == round(number):
        text = f"{number:,.0f}" if abs(number - round(number)) < 1e-9 else f"{number:,.2f}"
    else:
        text = f"{number:,.2f}"
    if text in ("-0", "-0.00"):
        text = text[1:]
    if signed and number > 0:
        text = "+" + text
    return text


def with_unit(value: Any, unit: str) -> str:
    text = fmt_number(value, unit)
    if text == NO_DATA:
        return text
    if unit == "%":
        return text + "%"
    return text + unit


def period_label(period_end: date) -> str:
    return f"{period_end.year}年{period_end.month}月"


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(first_next.toordinal() - 1)


@dataclass
class RankingTable:
    index: str  # （一）, （二）…
    metric_code: str
    metric_name: str
    unit: str
    sentence: str
    rows: list[dict[str, str]]  # rank, unit, value, previous, change, rank_change
    first_unit: str | None
    last_unit: str | None


# the issuing office's 文号 prefix by region pack root (the office edits the rest of the line in the template)
DOC_NUMBER_PREFIX = {"410900": "濮知", "410000": "豫知"}


@dataclass
class BriefingContent:
    root_code: str
    root_name: str
    period_end: date
    period_label: str
    focus_code: str  # the root, or the unit this version is for
    focus_name: str
    title: str
    subtitle: str
    file_stem: str
    overall_intro: str
    overall_sentences: list[str]
    rankings: list[RankingTable]
    zero_invention: list[str]
    key_enterprises: list[str]
    hightech_srdi: list[str]
    fee_risk: list[str]
    fee_rows: list[dict[str, str]]
    change_sentences: list[str]
    problems: list[str]
    attachment_name: str
    has_data: bool
    notes: list[str] = field(default_factory=list)
    # for the charts (plain numbers, not text)
    per_10k_by_unit: list[tuple[str, float | None]] = field(default_factory=list)
    per_10k_target: float | None = None
    waterfall: list[tuple[str, float]] = field(default_factory=list)
    waterfall_start: tuple[str, float] | None = None
    waterfall_end: tuple[str, float] | None = None

    @property
    def doc_number(self) -> str:
        return f"{DOC_NUMBER_PREFIX.get(self.root_code, '')}〔    〕    号"

    def all_text(self) -> list[str]:
        """Every sentence and cell the document prints (for checks that nothing reads nan/None)."""
        texts = [self.title, self.subtitle, self.overall_intro, *self.overall_sentences, *self.zero_invention,
                 *self.key_enterprises, *self.hightech_srdi, *self.fee_risk, *self.change_sentences,
                 *self.problems, self.attachment_name]
        for table in self.rankings:
            texts.append(table.metric_name)
            texts.append(table.sentence)
            for row in table.rows:
                texts.extend(row.values())
        for row in self.fee_rows:
            texts.extend(row.values())
        return texts


# --- reading -------------------------------------------------------------------------------------


def _regions(read: Reader) -> pd.DataFrame:
    return read("select region_code, region_name, is_assessment_unit, sort_order, coalesce(is_root, false) as is_root "
                "from marts.regions order by sort_order", [])


def _catalog(read: Reader) -> pd.DataFrame:
    return read("select metric_code, metric_name, unit, period_kind, direction, assessed, sort_order "
                "from marts.metric_catalog order by sort_order", []).set_index("metric_code")


def _values(read: Reader, period_ends: Sequence[date], region_code: str) -> pd.DataFrame:
    placeholders = ", ".join("?" for _ in period_ends)
    frame = read(
        f"select period_end, metric_code, value, numerator, denominator from marts.metric_values "
        f"where industry_code = 'ALL' and region_code = ? and period_end in ({placeholders})",
        [region_code, *period_ends],
    )
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    return frame


def latest_period(read: Reader) -> date | None:
    frame = read("select max(period_end) as p from marts.metric_values", [])
    value = frame["p"].iloc[0] if not frame.empty else None
    return None if is_missing(value) else pd.Timestamp(value).date()


# --- wording -------------------------------------------------------------------------------------


def _value_at(values: pd.DataFrame, period_end: date, metric_code: str) -> float | None:
    hit = values[(values["period_end"] == period_end) & (values["metric_code"] == metric_code)]
    if hit.empty or is_missing(hit["value"].iloc[0]):
        return None
    return float(hit["value"].iloc[0])


def _projection(actual: float | None, previous_year_end: float | None, period_end: date, period_kind: str) -> float | None:
    if actual is None:
        return None
    months = period_end.month
    if months == 12:
        return actual
    if period_kind == "flow":
        return actual * 12 / months
    if previous_year_end is None:
        return None
    return previous_year_end + (actual - previous_year_end) * 12 / months


def _meets(value: float, comparator: str, target: float) -> bool:
    if comparator == ">=":
        return value >= target - 1e-9
    if comparator == ">":
        return value > target + 1e-9
    return value <= target + 1e-9


def _overall(read: Reader, catalog: pd.DataFrame, root: str, period_end: date) -> tuple[list[str], list[str], float | None]:
    """One sentence per target metric: value, this year's target and gap, time elapsed, projection,
    and the targets of the other policy years. Also the problems (metrics behind) and the per-10k target."""
    targets = read("select distinct year, metric_code, comparator, target from marts.target_progress", [])
    year = period_end.year
    previous_year_end = date(year - 1, 12, 31)
    values = _values(read, [period_end, previous_year_end], root)
    sentences: list[str] = []
    problems: list[str] = []
    per_10k_target = None
    months = period_end.month
    for code in [c for c in catalog.index if c in set(targets["metric_code"])]:
        metric = catalog.loc[code]
        unit = str(metric["unit"] or "")
        name = str(metric["metric_name"])
        mine = targets[targets["metric_code"] == code].sort_values("year")
        actual = _value_at(values, period_end, code)
        base = _value_at(values, previous_year_end, code)
        parts = [f"{name}{with_unit(actual, unit)}"]
        this_year = mine[mine["year"] == year]
        if this_year.empty:
            parts.append(f"{year}年未设目标")
        else:
            row = this_year.iloc[0]
            comparator, target = str(row["comparator"]), float(row["target"])
            if code == "invention_per_10k":
                per_10k_target = target
            goal = f"{year}年目标为{COMPARATOR_WORDS.get(comparator, comparator)}{with_unit(target, unit)}"
            if actual is None:
                parts.append(goal + "，本期无数据，无法判断进度")
                problems.append(f"{name}本期无数据，无法判断是否达到{year}年目标。")
            elif _meets(actual, comparator, target):
                parts.append(goal + "，已达标")
            else:
                gap = (actual - target) if comparator == "<=" else (target - actual)
                projection = _projection(actual, base, period_end, str(metric["period_kind"]))
                if projection is not None and unit in COUNT_UNITS:
                    projection = float(round(projection))  # a projected count is a whole number
                gap_text = f"{fmt_number(gap)}个百分点" if unit == "%" else with_unit(gap, unit)
                text = goal + f"，尚差{gap_text}；时间已过{months}个月（{months / 12:.0%}）"
                if projection is None:
                    text += "，缺少上年末数据，无法预计年末值"
                else:
                    reach = _meets(projection, comparator, target)
                    text += f"，按当前进度预计年末{with_unit(projection, unit)}，{'可以达标' if reach else '难以达标'}"
                    if not reach:
                        problems.append(f"{name}按当前进度预计年末{with_unit(projection, unit)}，未能达到{year}年"
                                        f"目标（{COMPARATOR_WORDS.get(comparator, '')}{with_unit(target, unit)}）。")
                parts.append(text)
        others = []
        for _, r in mine.iterrows():
            other_year = int(r["year"])
            if other_year not in POLICY_YEARS or other_year == year:
                continue
            text = f"{other_year}年目标为{COMPARATOR_WORDS.get(str(r['comparator']), '')}{with_unit(r['target'], unit)}"
            if other_year > year and actual is not None and not _meets(actual, str(r["comparator"]), float(r["target"])):
                gap = (actual - float(r["target"])) if r["comparator"] == "<=" else (float(r["target"]) - actual)
                text += f"（尚差{fmt_number(gap)}个百分点）" if unit == "%" else f"（尚差{with_unit(gap, unit)}）"
            others.append(text)
        if others:
            parts.append("；".join(others))
        sentences.append("，".join(parts) + "。")
    if not sentences:
        sentences.append("目标表中没有本市的考核目标。")
    return sentences, problems, per_10k_target


def _rankings(report: AssessmentReport | None, names: dict[str, str], focus: str | None) -> tuple[list[RankingTable], list[str]]:
    if report is None:
        return [], []
    numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
                "十六", "十七", "十八", "十九", "二十"]
    tables: list[RankingTable] = []
    problems: list[str] = []
    for position, (_, metric) in enumerate(report.metrics.iterrows()):
        code = str(metric["metric_code"])
        unit = str(metric["unit"] or "")
        table = ranking_table(report, code)
        table = table[table["单位代码"] != UNATTRIBUTED]
        ranked = table[table["排名"].notna() & table["数值"].notna()]
        rows = []
        for _, row in table.iterrows():
            change = row["同比变化"]
            rows.append({
                "rank": "—" if is_missing(row["排名"]) or is_missing(row["数值"]) else str(int(row["排名"])),
                "unit": str(row["单位"]),
                "value": fmt_number(row["数值"], unit),
                "previous": fmt_number(row["上年同期"], unit),
                "change": fmt_number(change, unit, signed=True),
                "rank_change": rank_change_text(row["排名"], row["上年排名"]),
            })
        index = f"（{numerals[position] if position < len(numerals) else position + 1}）"
        if ranked.empty:
            sentence = f"本期各单位{metric['metric_name']}均无数据，不作排名。"
            first = last = None
        elif len(ranked) == 1 or ranked["数值"].max() - ranked["数值"].min() < 1e-9:
            only = ranked.iloc[0]
            first = last = None
            sentence = (f"仅{only['单位']}有数据（{with_unit(only['数值'], unit)}），不作比较。" if len(ranked) == 1 else
                        f"有数据的各单位均为{with_unit(only['数值'], unit)}，名次并列。")
            missing = table[table["数值"].isna()]["单位"].tolist()
            if missing and len(ranked) > 1:
                sentence += "、".join(missing) + "本期无数据。"
        else:
            first_row, last_row = ranked.iloc[0], ranked.iloc[-1]
            first, last = str(first_row["单位"]), str(last_row["单位"])
            sentence = (f"{first}以{with_unit(first_row['数值'], unit)}居首"
                        f"（名次变化：{first_row['名次变化']}），{last}以{with_unit(last_row['数值'], unit)}居末"
                        f"（名次变化：{last_row['名次变化']}）。")
            movers = [f"{r['单位']}{r['名次变化']}" for _, r in ranked.iterrows() if r["名次变化"] not in ("持平", "—")]
            if movers:
                sentence += "与上年同期相比名次变动：" + "、".join(movers) + "。"
            missing = table[table["数值"].isna()]["单位"].tolist()
            if missing:
                sentence += "、".join(missing) + "本期无数据，排在最后。"
            if focus and focus in names:
                mine = table[table["单位代码"] == focus]
                if not mine.empty:
                    row = mine.iloc[0]
                    rank = NO_DATA if is_missing(row["排名"]) else f"第{int(row['排名'])}名"
                    sentence += f"{names[focus]}为{with_unit(row['数值'], unit)}，{rank}。"
            if len(ranked) > 1:
                problems.append(f"{metric['metric_name']}：{last}排名末位（{with_unit(last_row['数值'], unit)}）。")
        tables.append(RankingTable(index, code, str(metric["metric_name"]), unit, sentence, rows, first, last))
    return tables, problems


def _metric_line(values: pd.DataFrame, catalog: pd.DataFrame, period_end: date, code: str) -> str:
    unit = str(catalog.loc[code, "unit"] or "") if code in catalog.index else ""
    name = str(catalog.loc[code, "metric_name"]) if code in catalog.index else code
    return f"{name}{with_unit(_value_at(values, period_end, code), unit)}"


def _zero_invention(read: Reader, values: pd.DataFrame, period_end: date, scope: Sequence[str], focus_name: str) -> list[str]:
    lines = []
    placeholders = ", ".join("?" for _ in scope)
    listed = read(f"select region_code, count(*) as n from marts.zero_invention_enterprises "
                  f"where period_end = ? and region_code in ({placeholders}) group by region_code",
                  [period_end, *scope])
    count = _value_at(values, period_end, "above_scale_zero_invention")
    firms = _value_at(values, period_end, "above_scale_enterprises")
    coverage = _value_at(values, period_end, "above_scale_invention_coverage")
    year_start = _value_at(values, date(period_end.year - 1, 12, 31), "above_scale_zero_invention")
    if count is None:
        return [f"{focus_name}本期无规上工业企业名录数据，无法统计\"清零\"进展。"]
    text = (f"{focus_name}规上工业企业{fmt_number(firms, '家')}家，其中尚无有效发明专利的\"清零\"对象"
            f"{fmt_number(count, '家')}家，发明专利覆盖率{with_unit(coverage, '%')}。")
    if year_start is not None:
        delta = year_start - count
        text += (f"较上年末减少{fmt_number(delta, '家')}家。" if delta > 0 else
                 f"较上年末增加{fmt_number(-delta, '家')}家。" if delta < 0 else "与上年末持平。")
    lines.append(text)
    total_listed = int(listed["n"].sum()) if not listed.empty else 0
    lines.append(f"\"清零\"企业名单共{total_listed}家（见附件清单）。" if total_listed else "\"清零\"企业名单为空。")
    return lines


def _key_enterprises(read: Reader, values: pd.DataFrame, period_end: date, scope: Sequence[str], focus_name: str) -> list[str]:
    ratio = _value_at(values, period_end, "key_enterprise_doubling_ratio")
    patents = _value_at(values, period_end, "key_enterprise_invention_patents")
    doubled = _value_at(values, period_end, "key_enterprises_doubled")
    placeholders = ", ".join("?" for _ in scope)
    firms = read(f"select count(*) as n from marts.key_enterprise_progress where period_end = ? and region_code in ({placeholders})",
                 [period_end, *scope])
    n = int(firms["n"].iloc[0]) if not firms.empty else 0
    if n == 0:
        return [f"{focus_name}本期名录中没有标记为重点企业的企业，无法统计倍增进度。"]
    return [f"{focus_name}重点企业{n}家，共拥有有效发明专利{fmt_number(patents, '件')}件，"
            f"为基期的{fmt_number(ratio, '倍')}倍（2027年目标为2倍）；已实现倍增的重点企业{fmt_number(doubled, '家')}家。"]


def _hightech_srdi(read: Reader, catalog: pd.DataFrame, values: pd.DataFrame, period_end: date, focus_name: str, is_root: bool) -> list[str]:
    codes = ["hightech_enterprises", "hightech_with_invention_rate", "srdi_sme_new", "little_giant_new",
             "srdi_sme_valid", "little_giant_valid"]
    targets = read("select metric_code, comparator, target from marts.target_progress where year = ? and period_end = ?",
                   [period_end.year, period_end]) if is_root else pd.DataFrame(columns=["metric_code", "comparator", "target"])
    lines = []
    for code in codes:
        if code not in catalog.index:
            continue
        unit = str(catalog.loc[code, "unit"] or "")
        actual = _value_at(values, period_end, code)
        line = f"{_metric_line(values, catalog, period_end, code)}"
        hit = targets[targets["metric_code"] == code]
        if not hit.empty:
            target = float(hit["target"].iloc[0])
            comparator = str(hit["comparator"].iloc[0])
            line += f"，{period_end.year}年目标{COMPARATOR_WORDS.get(comparator, '')}{with_unit(target, unit)}"
            if actual is not None:
                line += "，已达标" if _meets(actual, comparator, target) else "，尚未达标"
        elif is_root and code in ("hightech_enterprises", "hightech_with_invention_rate", "srdi_sme_new", "little_giant_new"):
            line += f"，{period_end.year}年未设目标"
        lines.append(line)
    return [f"{focus_name}" + "；".join(lines) + "。"]


def _fee_risk(read: Reader, names: dict[str, str], period_end: date, scope: Sequence[str], focus_name: str) -> tuple[list[str], list[dict[str, str]]]:
    placeholders = ", ".join("?" for _ in scope)
    frame = read(
        f"select region_code, state, count(*) as n, sum(fee_yuan) as fee from marts.fee_warnings "
        f"where period_end = ? and region_code in ({placeholders}) and state in ('due_soon', 'grace', 'lapse_risk') "
        f"group by all", [period_end, *scope])
    unknown = read(f"select count(*) as n from marts.fee_warnings where period_end = ? and region_code in ({placeholders}) "
                   f"and state = 'unknown'", [period_end, *scope])
    unknown_n = int(unknown["n"].iloc[0]) if not unknown.empty else 0
    rows: list[dict[str, str]] = []
    if frame.empty:
        lines = [f"{focus_name}本期没有年费即将到期或处于滞纳期的有效发明专利。"]
    else:
        total = int(frame["n"].sum())
        at_risk = int(frame.loc[frame["state"].isin(["grace", "lapse_risk"]), "n"].sum())
        lines = [f"{focus_name}共有{total}件有效发明专利年费即将到期或已逾期，其中{at_risk}件已进入滞纳期，"
                 f"如不及时缴费将失效。各单位情况见下表。"]
        wide = frame.pivot_table(index="region_code", columns="state", values="n", aggfunc="sum", fill_value=0)
        for code in [c for c in names if c in wide.index] + [c for c in wide.index if c not in names]:
            rows.append({
                "unit": names.get(code, "未归属"),
                "due_soon": str(int(wide.at[code, "due_soon"])) if "due_soon" in wide.columns else "0",
                "grace": str(int(wide.at[code, "grace"])) if "grace" in wide.columns else "0",
                "lapse_risk": str(int(wide.at[code, "lapse_risk"])) if "lapse_risk" in wide.columns else "0",
            })
    if unknown_n:
        lines.append(f"另有{unknown_n}件有效发明专利的导出数据未载明年费缴纳情况，未计入预警。")
    return lines, rows


def _changes(read: Reader, catalog: pd.DataFrame, period_end: date, focus: str, focus_name: str) -> tuple[list[str], list[tuple[str, float]], tuple[str, float] | None, tuple[str, float] | None]:
    frame = read(
        "select comparison, metric_code, start_period, start_value, end_value, change, part_code, part_name, part_order, value, records "
        "from marts.metric_change_decomposition where period_end = ? and region_code = ? order by metric_code, comparison, part_order",
        [period_end, focus])
    sentences: list[str] = []
    waterfall: list[tuple[str, float]] = []
    start = end = None
    if frame.empty:
        return [f"{period_label(period_end)}没有可比较的上期数据，无法分析指标变动原因。"], [], None, None
    for code in EXPLAINED_METRICS:
        if code not in catalog.index:
            continue
        unit = str(catalog.loc[code, "unit"] or "")
        name = str(catalog.loc[code, "metric_name"])
        for comparison, label in (("month", "本月"), ("ytd", "今年以来")):
            part = frame[(frame["metric_code"] == code) & (frame["comparison"] == comparison)]
            if part.empty:
                sentences.append(f"{name}{label}无可比较的期初数据。")
                continue
            change = part["change"].iloc[0]
            if is_missing(change):
                sentences.append(f"{name}{label}因缺少常住人口数据无法计算变动。")
                continue
            if abs(change) < 1e-9 and (part["part_code"] == "none").all():
                sentences.append(f"{name}{label}没有变化（{with_unit(part['end_value'].iloc[0], unit)}）。")
                continue
            verb = "增加" if change > 0 else "减少" if change < 0 else "持平"
            amount = with_unit(abs(change), unit)
            head = (f"{name}{label}{verb}{amount}" if verb != "持平" else f"{name}{label}总体持平") + \
                   f"（由{with_unit(part['start_value'].iloc[0], unit)}到{with_unit(part['end_value'].iloc[0], unit)}）"
            pieces = []
            for _, p in part[part["part_code"] != "none"].iterrows():
                if is_missing(p["value"]):
                    continue
                if unit.endswith("万人"):
                    piece = f"{p['part_name']}{'+' if p['value'] > 0 else ''}{fmt_number(p['value'], unit)}"
                    if not is_missing(p["records"]):
                        piece += f"（{int(p['records']):,}件）"
                else:
                    count = f"{int(p['records']):,}" if not is_missing(p["records"]) else fmt_number(abs(p["value"]), unit)
                    piece = f"{p['part_name']}{count}{unit}"
                pieces.append(piece)
            sentences.append(head + ("，其中" + "，".join(pieces) if pieces else "") + "。")
            if code == "valid_invention_patents" and comparison == "ytd":
                start = (f"{period_end.year - 1}年末", float(part["start_value"].iloc[0]))
                end = (f"{period_end.month}月末", float(part["end_value"].iloc[0]))
                waterfall = [(str(p["part_name"]), float(p["value"])) for _, p in part.iterrows()
                             if p["part_code"] != "none" and not is_missing(p["value"])]
    setting = read("select value from marts.settings_in_use where setting_name = ?", ["attribution_as_of"])
    follows_period = setting.empty or str(setting["value"].iloc[0]).strip() != "newest"
    if follows_period:
        sentences.append(
            "说明：专利按各月末已知的第一专利权人、商标按注册人归属，权利人变更自首次显示新权利人的导出数据日期起"
            "计为原单位转出、新单位转入（转往市外的只计转出）；企业按当年名录所属县区归属，名录调整自名录年度1月1日起"
            "计为划出和划入，其持有的专利、商标随之划转。")
    else:
        restated = read(
            "select count(*) as n from marts.metric_change_restatements where seen_month > ? and seen_month <= ? and is_invention"
            " and (? = (select region_code from marts.regions where is_root) or region_code = ?)",
            [date(period_end.year - 1, 12, 31), period_end, focus, focus])
        n = int(restated["n"].iloc[0]) if not restated.empty else 0
        sentences.append(
            "说明：各期数据均按每件专利、商标最新导出的权利人和企业名录归属重新计算，专利权转让和名录调整使相关记录的"
            "全部历史归入新的单位，不计为某月的增减" + (f"；今年以来导出数据中第一权利人发生变更的发明专利{n}件。" if n else "；今年以来导出数据中未发现第一权利人变更的发明专利。"))
    return sentences, waterfall, start, end


# --- the whole content ---------------------------------------------------------------------------


def briefing_content(read: Reader, period_end: date, focus_code: str | None = None) -> BriefingContent:
    """Everything the 通报 of ``period_end`` says, for the city (``focus_code`` None or the root) or one unit."""
    regions = _regions(read)
    roots = regions[regions["is_root"].astype(bool)]
    root = str(roots["region_code"].iloc[0])
    root_name = str(roots["region_name"].iloc[0])
    units = regions[regions["is_assessment_unit"].astype(bool)]
    names = dict(zip(units["region_code"], units["region_name"]))
    focus = focus_code or root
    if focus != root and focus not in names:
        raise ValueError(f"unknown unit {focus!r}")
    focus_name = root_name if focus == root else names[focus]
    scope = [*names, UNATTRIBUTED] if focus == root else [focus]
    catalog = _catalog(read)
    available = read("select count(*) as n from marts.metric_values where period_end = ?", [period_end])
    has_data = int(available["n"].iloc[0]) > 0

    label = period_label(period_end)
    title = f"{root_name}知识产权助力制造业倍增行动监测通报"
    subtitle = f"（{label}" + ("" if focus == root else f" · {focus_name}") + "）"
    file_stem = f"{title}_{period_end.year}年{period_end.month}月" + ("" if focus == root else f"_{focus_name}")
    attachment = f"附件：{root_name}县区知识产权考核（{label}，电子表格）"
    if not has_data:
        latest = latest_period(read)
        reason = (f"数仓中没有{label}的数据" + (f"，最近一期为{period_label(latest)}" if latest else "") + "，本期不作通报。")
        none = ["本期无数据。"]
        return BriefingContent(root, root_name, period_end, label, focus, focus_name, title, subtitle, file_stem,
                               reason, none, [], none, none, none, none, [], none, none, "附件：无", False)

    values_root = _values(read, [period_end, date(period_end.year - 1, 12, 31)], root)
    values_focus = values_root if focus == root else _values(read, [period_end, date(period_end.year - 1, 12, 31)], focus)
    overall, problems, per_10k_target = _overall(read, catalog, root, period_end)
    intro = (f"截至{label}末，{root_name}知识产权助力制造业倍增行动各项监测指标如下（存量指标为月末数，"
             f"流量指标为当年1月至{period_end.month}月累计数）。")
    if focus != root:
        intro += f"本版为{focus_name}版，企业名单和年费预警仅列{focus_name}的记录。"
    try:
        report = load_county_assessment(read, period_end)
    except NoAssessment:
        report = None
    rankings, ranking_problems = _rankings(report, names, None if focus == root else focus)
    zero = _zero_invention(read, values_focus, period_end, scope, focus_name)
    key = _key_enterprises(read, values_focus, period_end, scope, focus_name)
    hightech = _hightech_srdi(read, catalog, values_focus, period_end, focus_name, focus == root)
    fee_lines, fee_rows = _fee_risk(read, {**names, UNATTRIBUTED: "未归属"}, period_end, scope, focus_name)
    changes, waterfall, start, end = _changes(read, catalog, period_end, focus, focus_name)

    per_10k = read("select region_code, value from marts.metric_values where period_end = ? and industry_code = 'ALL' "
                   "and metric_code = 'invention_per_10k'", [period_end]).set_index("region_code")["value"]
    by_unit = [(names[c], None if c not in per_10k.index or is_missing(per_10k[c]) else float(per_10k[c])) for c in names]

    all_problems = problems + ranking_problems
    if fee_rows:
        all_problems.append(fee_lines[0].replace("各单位情况见下表。", "请督促权利人及时缴费。"))
    if not all_problems:
        all_problems = ["本期未发现需要特别关注的问题。"]

    return BriefingContent(
        root, root_name, period_end, label, focus, focus_name, title, subtitle, file_stem,
        intro, overall, rankings, zero, key, hightech, fee_lines, fee_rows, changes, all_problems, attachment, True,
        per_10k_by_unit=by_unit, per_10k_target=per_10k_target, waterfall=waterfall,
        waterfall_start=start, waterfall_end=end,
    )

