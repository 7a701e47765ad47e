"""总览: the city's targets at the selected month-end, the trend, the units, and data freshness."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards import data
from dashboards.analysis import project_year_end, what_it_takes
from dashboards.components.charts import last_months, trend_with_targets
from dashboards.components.changes import briefing_download, change_analysis_section
from dashboards.components.drill import drill_section
from dashboards.components.tilemap import tile_map
from dashboards.components.format import (
    COUNT_UNITS,
    FILE_STATUS_LABELS,
    NO_VALUE,
    SOURCE_LABELS,
    comparator_label,
    format_number,
    format_population_wan,
    is_missing,
    period_label,
    timestamp_label,
)
from dashboards.components import links
from dashboards.components.period import data_range_label
from dashboards.components.format import format_quantity, status_label
from dashboards.components.kpi import KpiCard, TargetStatus, gap_text, kpi_grid, target_text

# Always shown first, with or without a target.
HEADLINE_METRICS = ("valid_invention_patents", "invention_per_10k")
TREND_METRICS = ("invention_per_10k", "valid_invention_patents")
UNIT_TABLE_METRICS = ("valid_invention_patents", "invention_per_10k")
UNIT_TABLE_HEADERS = {"valid_invention_patents": "有效发明专利", "invention_per_10k": "万人有效发明"}
# Per-10k targets and the count metric each one divides.
PER_10K_TARGETS = {"invention_per_10k": "有效发明专利", "high_value_per_10k": "高价值发明专利"}
DRILL_KEY = "overview_drill"


def _as_float(value: object) -> float | None:
    return None if is_missing(value) else float(value)


def _flag(value: object) -> bool:
    return not is_missing(value) and bool(value)


def _text(value: object) -> str:
    return "" if value is None or is_missing(value) else str(value)


def _target_status(row: pd.Series) -> TargetStatus:
    return TargetStatus(
        year=int(row["year"]),
        comparator=str(row["comparator"]),
        target=float(row["target"]),
        actual=_as_float(row.get("actual")),
        gap=_as_float(row.get("gap")),
        status=_text(row.get("status")) or "no_data",
        expected_by_now=_as_float(row.get("expected_by_now")),
    )


def _card_metrics(catalog: pd.DataFrame, targets: pd.DataFrame) -> list[str]:
    """The headline metrics, then every metric with a target, in catalogue order."""
    targeted = set(targets["metric_code"])
    ordered = [code for code in catalog["metric_code"] if code in targeted and code not in HEADLINE_METRICS]
    ordered += sorted(targeted - set(ordered) - set(HEADLINE_METRICS))  # targets missing from the catalogue
    return [*HEADLINE_METRICS, *ordered]


def _build_cards(
    metric_codes: list[str],
    catalog: pd.DataFrame,
    progress: pd.DataFrame,
    levels: pd.DataFrame,
    series: pd.DataFrame,
    period_end: date,
) -> list[KpiCard]:
    by_code = catalog.set_index("metric_code")
    period_ts = pd.Timestamp(period_end)
    progress_now = progress[pd.to_datetime(progress["period_end"]) == period_ts].set_index("metric_code")
    cards = []
    for code in metric_codes:
        meta = by_code.loc[code] if code in by_code.index else None
        unit = None if meta is None else meta["unit"]
        metric_series = series[series["metric_code"] == code]
        at_period = metric_series[pd.to_datetime(metric_series["period_end"]) == period_ts]["value"]
        target = next_target = last_target = None
        if code in progress_now.index:
            target = _target_status(progress_now.loc[[code]].iloc[0])
        else:
            later = levels[(levels["metric_code"] == code) & (levels["year"] > period_end.year)]
            earlier = levels[(levels["metric_code"] == code) & (levels["year"] < period_end.year)]
            if not later.empty:
                next_target = _target_status(later.sort_values("year").iloc[0])
            elif not earlier.empty:
                last_target = _target_status(earlier.sort_values("year").iloc[-1])
        value = _as_float(at_period.iloc[0]) if len(at_period) else None
        previous_year_end = metric_series[
            pd.to_datetime(metric_series["period_end"]) == pd.Timestamp(period_end.year - 1, 12, 31)
        ]["value"]
        projection = project_year_end(
            value,
            _as_float(previous_year_end.iloc[0]) if len(previous_year_end) else None,
            period_end,
            None if meta is None else _text(meta.get("period_kind")),
        )
        if projection is not None:
            projection = _bounded(projection, code, unit)
        cards.append(
            KpiCard(
                metric_code=code,
                name=code if meta is None else meta["metric_name"],
                unit=unit,
                value=value,
                definition="" if meta is None else _text(meta["definition"]),
                target=target,
                next_target=next_target,
                last_target=last_target,
                sparkline=last_months(metric_series, period_end),
                projection=projection,
            )
        )
    return cards


def _bounded(projection, code: str, unit: str | None):
    """Counts and per-10k values cannot fall below 0, shares not above 100."""
    value = projection.value
    if unit != "%" or code.endswith(("_rate", "_coverage")):
        value = max(value, 0.0)
    if unit == "%" and code.endswith(("_rate", "_coverage")):
        value = min(value, 100.0)
    if unit in COUNT_UNITS:
        value = float(round(value))  # whole enterprises and patents
    return type(projection)(value, projection.basis)


def _trend_section(
    catalog: pd.DataFrame, levels: pd.DataFrame, series: pd.DataFrame, period_end: date
) -> None:
    st.subheader("趋势与目标")
    by_code = catalog.set_index("metric_code")
    for slot, code in zip(st.columns(len(TREND_METRICS)), TREND_METRICS):
        name = by_code.loc[code, "metric_name"] if code in by_code.index else code
        unit = by_code.loc[code, "unit"] if code in by_code.index else None
        metric_series = series[series["metric_code"] == code]
        metric_targets = levels[levels["metric_code"] == code]
        with slot:
            st.markdown(f"**{name}**")
            if metric_series.empty:
                st.info("暂无数据")
                continue
            st.altair_chart(
                trend_with_targets(metric_series, metric_targets, name, unit, period_end),
                width="stretch",
                alt=f"{name}历月走势及各年度目标线",
            )
            if metric_targets.empty:
                st.caption("未设年度目标")
            else:
                st.caption("虚线为各年度目标，竖线为所选数据期。")


def population_note(field, region: str) -> str:
    """``2024年 常住人口`` and the note, in one cell (``—`` when there is nothing to say)."""
    year, series, note = field(region, "population_year"), _text(field(region, "series")), _text(field(region, "note"))
    parts = [" ".join(part for part in ("" if is_missing(year) else f"{int(year)}年", series) if part), note]
    return "；".join(part for part in parts if part) or NO_VALUE


def _unit_section(
    warehouse: data.Warehouse,
    catalog: pd.DataFrame,
    region_table: pd.DataFrame,
    root: pd.Series,
    period_end: date,
) -> None:
    st.subheader(f"各县区（单元）· {period_label(period_end)}")
    by_code = catalog.set_index("metric_code")
    values = data.metric_values_at(warehouse, period_end, UNIT_TABLE_METRICS)
    wide = values.pivot_table(index="region_code", columns="metric_code", values="value", aggfunc="first")
    population = data.population_used(warehouse, period_end).set_index("region_code")

    rows = pd.concat(
        [
            data.assessment_units(region_table),
            region_table[region_table["region_code"] == data.UNATTRIBUTED],
            region_table[region_table["region_code"] == root["region_code"]],
        ]
    )
    headers = {}
    for code in UNIT_TABLE_METRICS:
        name = by_code.loc[code, "metric_name"] if code in by_code.index else code
        unit = by_code.loc[code, "unit"] if code in by_code.index else None
        short = UNIT_TABLE_HEADERS.get(code, name)
        headers[code] = (f"{short}（{unit}）" if unit else short, unit)

    table = pd.DataFrame({"地区": list(rows["region_name"])})
    for code, (header, unit) in headers.items():
        table[header] = [
            format_number(wide.at[region, code] if region in wide.index and code in wide.columns else None, unit)
            for region in rows["region_code"]
        ]

    def population_field(region: str, column: str) -> object:
        return population.at[region, column] if region in population.index else None

    table["常住人口（万人）"] = [format_population_wan(population_field(r, "population")) for r in rows["region_code"]]
    table["人口口径与说明"] = [population_note(population_field, r) for r in rows["region_code"]]

    numeric_columns = [header for header, _ in headers.values()] + ["常住人口（万人）"]
    table_slot, map_slot = st.container(), st.columns([2, 3])[0]  # the table full width, the map below
    with table_slot:
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                "地区": st.column_config.TextColumn("地区", pinned=True),
                "人口口径与说明": st.column_config.TextColumn("人口口径与说明", width="medium"),
                **{column: st.column_config.TextColumn(column, alignment="right") for column in numeric_columns},
            },
        )
    with map_slot:
        units = data.assessment_units(region_table)
        map_code = "invention_per_10k"
        map_values = {
            region: (wide.at[region, map_code] if region in wide.index and map_code in wide.columns else None)
            for region in units["region_code"]
        }
        map_name = by_code.loc[map_code, "metric_name"] if map_code in by_code.index else map_code
        map_unit = by_code.loc[map_code, "unit"] if map_code in by_code.index else None
        st.altair_chart(
            tile_map(units, map_values, map_name, map_unit),
            width="content",
            alt=f"各县区{map_name}方块地图",
        )

    root_code = root["region_code"]
    root_population = population.loc[root_code] if root_code in population.index else None
    if root_population is not None and not is_missing(root_population["population"]):
        st.caption(
            f"万人指标所用人口：{root['region_name']} {int(root_population['population_year'])}年"
            f"「{root_population['series']}」{format_population_wan(root_population['population'])}万人"
            + (f"（{_text(root_population['note'])}）" if _text(root_population["note"]) else "")
        )
    missing = [
        name
        for code, name in zip(rows["region_code"], rows["region_name"])
        if code != data.UNATTRIBUTED and is_missing(population_field(code, "population"))
    ]
    if missing:
        st.caption(":material/warning: 缺少常住人口，万人指标不计算：" + "、".join(missing) + "（原因见表中“人口口径与说明”列）")


def _what_it_takes_section(
    warehouse: data.Warehouse,
    catalog: pd.DataFrame,
    levels: pd.DataFrame,
    region_table: pd.DataFrame,
    root: pd.Series,
    period_end: date,
) -> None:
    """For each per-10k target: how many more patents the city and each unit need by the year end."""
    targets = levels[levels["metric_code"].isin(PER_10K_TARGETS) & (levels["year"] >= period_end.year)]
    if targets.empty:
        return
    st.subheader("达标还需多少件")
    by_code = catalog.set_index("metric_code")
    values = data.metric_values_at(warehouse, period_end, list(PER_10K_TARGETS)).set_index(["metric_code", "region_code"])
    rows = pd.concat([region_table[region_table["region_code"] == root["region_code"]], data.assessment_units(region_table)])
    codes = [code for code in PER_10K_TARGETS if code in set(targets["metric_code"])]
    # one table per target, full width, the "still needed" columns first after the region: side by
    # side they were cut at 1440 px and the columns that matter were the ones lost
    for code in codes:
        slot = st.container()
        goal = targets[targets["metric_code"] == code].sort_values("year").iloc[0]
        name = by_code.at[code, "metric_name"] if code in by_code.index else code
        counted = PER_10K_TARGETS[code]
        year, comparator, target = int(goal["year"]), str(goal["comparator"]), float(goal["target"])
        table_rows = []
        for region_code, region_name in zip(rows["region_code"], rows["region_name"]):
            row = values.loc[(code, region_code)] if (code, region_code) in values.index else None
            need = what_it_takes(
                None if row is None else _as_float(row["numerator"]),
                None if row is None else _as_float(row["denominator"]),
                target,
                comparator,
                period_end,
                year,
            )
            if need is None:
                table_rows.append((region_name, "缺少常住人口，无法测算", NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE))
                continue
            table_rows.append(
                (
                    region_name,
                    "已达到" if need.more_needed == 0 else f"{need.more_needed:,}",
                    NO_VALUE if need.per_month is None else f"{need.per_month:,}",
                    f"{need.current:,}",
                    f"{need.required:,}",
                    f"{need.population_wan:,.2f}",
                )
            )
        with slot:
            st.markdown(
                f"**{name}**：{year}年目标 {comparator_label(comparator)} {format_number(target, '件/万人')} 件/万人"
                f"（“现有”为{counted}件数）"
            )
            headers = ["地区", "还需净增（件）", "每月需净增（件）", "现有（件）", f"{year}年末需达到（件）", "人口（万人）"]
            st.dataframe(
                pd.DataFrame(table_rows, columns=headers),
                hide_index=True,
                width="stretch",
                column_config={
                    "地区": st.column_config.TextColumn("地区", pinned=True),
                    **{h: st.column_config.TextColumn(h, alignment="right") for h in headers[1:]},
                },
            )
    st.caption(
        "按各地区当期常住人口测算达到目标所需的件数；各单位按全市目标水平测算（单位目标未单独设定）。"
        "“净增”指新增授权减去失效后的增加量。"
    )


def _key_points(
    warehouse: data.Warehouse,
    catalog: pd.DataFrame,
    progress: pd.DataFrame,
    region_table: pd.DataFrame,
    root: pd.Series,
    period_end: date,
) -> None:
    """Three lines answering what a leader asks first: the headline target, the last unit, the 清零 list."""
    by_code = catalog.set_index("metric_code")
    lines = []
    code = "invention_per_10k"
    name = by_code.at[code, "metric_name"] if code in by_code.index else code
    unit = by_code.at[code, "unit"] if code in by_code.index else None
    now = progress[(pd.to_datetime(progress["period_end"]) == pd.Timestamp(period_end)) & (progress["metric_code"] == code)]
    if not now.empty:
        target = _target_status(now.iloc[0])
        lines.append(
            f"**{name}** {format_quantity(target.actual, unit)}，{target_text(target, unit)}，"
            f"{gap_text(target, unit)}（{status_label(target.status)}）"
        )
    values = data.metric_values_at(warehouse, period_end, [code, "above_scale_zero_invention"])
    units = data.assessment_units(region_table)
    per_unit = values[(values["metric_code"] == code) & values["region_code"].isin(units["region_code"])].dropna(subset=["value"])
    if len(per_unit) > 1:
        lowest = per_unit.loc[per_unit["value"] == per_unit["value"].min(), "region_code"]
        unit_names = dict(zip(units["region_code"], units["region_name"]))
        missing = [unit_names[c] for c in units["region_code"] if c not in set(per_unit["region_code"])]
        lines.append(
            f"**{name}末位**：{'、'.join(unit_names[c] for c in lowest)}（{format_quantity(per_unit['value'].min(), unit)}）"
            + (f"；{'、'.join(missing)}无常住人口数据，未参与比较" if missing else "")
        )
    zero = values[(values["metric_code"] == "above_scale_zero_invention") & (values["region_code"] == root["region_code"])]
    if not zero.empty and not is_missing(zero["value"].iloc[0]):
        count = int(zero["value"].iloc[0])
        lines.append(
            "**清零**：规上工业企业已全部拥有有效发明专利" if count == 0
            else f"**清零**：仍有 {count:,} 家规上工业企业没有有效发明专利"
        )
    if not lines:
        return
    with st.container(border=True):
        for line in lines:
            st.markdown(line)
        links.page_link("assessment", "查看县区考核排名", icon=":material/leaderboard:")
        links.page_link("enterprises", "查看清零名单和重点企业", icon=":material/factory:")


def _glossary(catalog: pd.DataFrame, metric_codes: list[str]) -> None:
    listed = catalog[catalog["metric_code"].isin(metric_codes)]
    with st.expander("指标说明"):
        for _, row in listed.iterrows():
            assumption = "（口径为假设，可在设置中调整）" if _flag(row["is_assumption"]) else ""
            st.markdown(f"- **{row['metric_name']}**（{row['unit']}）：{row['definition']}{assumption}")


def _freshness(warehouse: data.Warehouse) -> None:
    st.divider()
    files = data.latest_file_loads(warehouse)
    last = data.last_loaded_at(warehouse)
    counts = files["status"].value_counts()
    by_status = "，".join(
        f"{label} {int(counts.get(status, 0))} 个" for status, label in FILE_STATUS_LABELS.items()
    )
    line = f"数据更新：最近加载 {timestamp_label(last)}；来源文件 {len(files)} 个（{by_status}）"
    info = data.build_info(warehouse)
    if info:
        line += (
            f"。数仓构建于 {timestamp_label(pd.Timestamp(info['built_at']))}，"
            f"数据期 {data_range_label(data.periods(warehouse))}"
        )
    st.caption(line + "。")
    with st.expander(f"来源文件明细（{len(files)} 个）"):
        if files.empty:
            st.write("尚无加载记录")
            return
        shown = pd.DataFrame(
            {
                "来源": [SOURCE_LABELS.get(source, source) for source in files["source"]],
                "文件": files["file_name"],
                "状态": [FILE_STATUS_LABELS.get(status, status) for status in files["status"]],
                "读取行数": [format_number(n, "件") for n in files["rows_read"]],
                "入库行数": [format_number(n, "件") for n in files["rows_loaded"]],
                "隔离行数": [format_number(n, "件") for n in files["rows_quarantined"]],
                "加载时间": [timestamp_label(pd.Timestamp(t)) for t in files["loaded_at"]],
                "说明": [_text(message) for message in files["message"]],
            }
        )
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                column: st.column_config.TextColumn(column, alignment="right")
                for column in ("读取行数", "入库行数", "隔离行数")
            },
        )


# 大屏 (meeting-room) mode: the headline targets, the unit ranking and the 清零 count on one screen.
SCREEN_PARAM, SCREEN_VALUE, SCREEN_KEY = "screen", "big", "overview_big_screen"
BIG_SCREEN_METRICS = ("invention_per_10k", "high_value_per_10k", "valid_invention_patents", "above_scale_zero_invention")
RANKING_METRIC = "invention_per_10k"
BIG_SCREEN_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"] {padding-top: 1.2rem; padding-bottom: 0.5rem; max-width: 100%;}
[data-testid="stMetricValue"] {font-size: clamp(1.8rem, 3vw, 3.2rem);}
</style>"""


def big_screen_requested() -> bool:
    """On when the address says ``?screen=big`` (a bookmark for the meeting-room screen) or the toggle is on."""
    if SCREEN_KEY not in st.session_state:
        st.session_state[SCREEN_KEY] = st.query_params.get(SCREEN_PARAM) == SCREEN_VALUE
    return bool(st.session_state[SCREEN_KEY])


def _screen_toggle() -> None:
    def follow() -> None:
        if st.session_state[SCREEN_KEY]:
            st.query_params[SCREEN_PARAM] = SCREEN_VALUE
        else:
            st.query_params.pop(SCREEN_PARAM, None)

    st.toggle("大屏模式", key=SCREEN_KEY, on_change=follow, help="会议室大屏：一屏显示主要目标、单位排名和清零数，无需滚动")


def _big_screen(context: data.PageContext, root: pd.Series, catalog: pd.DataFrame, progress: pd.DataFrame,
                levels: pd.DataFrame, region_table: pd.DataFrame) -> None:
    warehouse, period_end = context.warehouse, context.period_end
    st.html(BIG_SCREEN_CSS)
    head, switch = st.columns([5, 1], vertical_alignment="center")
    head.markdown(f"## {root['region_name']}知识产权倍增监测 · {period_label(period_end)}末")
    with switch:
        _screen_toggle()
    codes = [code for code in BIG_SCREEN_METRICS if code in set(catalog["metric_code"])]
    series = data.metric_series(warehouse, root["region_code"], codes)
    cards = _build_cards(codes, catalog, progress, levels, series, period_end)
    for slot, card in zip(st.columns(len(cards)), cards):
        with slot, st.container(border=True):
            st.markdown(f"**{card.name}**")
            st.metric(card.name, format_quantity(card.value, card.unit), label_visibility="collapsed")
            goal = card.target or card.next_target
            if goal is not None:
                st.markdown(f"{target_text(goal, card.unit)}  \n{gap_text(goal, card.unit)}")
            if card.target is not None:
                st.markdown(f"**{status_label(card.target.status)}**")
    ranking, facts = st.columns([3, 2])
    with ranking:
        by_code = catalog.set_index("metric_code")
        name = by_code.at[RANKING_METRIC, "metric_name"] if RANKING_METRIC in by_code.index else RANKING_METRIC
        unit = by_code.at[RANKING_METRIC, "unit"] if RANKING_METRIC in by_code.index else None
        st.markdown(f"**各单位{name}排名**")
        table = unit_ranking(warehouse, region_table, period_end, RANKING_METRIC, unit)
        st.dataframe(
            table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3,
            column_config={c: st.column_config.TextColumn(c, alignment="right") for c in table.columns if c != "单位"},
        )
    with facts:
        _key_points(warehouse, catalog, progress, region_table, root, period_end)


def unit_ranking(warehouse: data.Warehouse, region_table: pd.DataFrame, period_end: date, code: str, unit: str | None) -> pd.DataFrame:
    """The assessment units best first on one metric, units without a value last (排名 —)."""
    units = data.assessment_units(region_table)
    values = data.metric_values_at(warehouse, period_end, [code])
    by_unit = dict(zip(values["region_code"], values["value"]))
    rows = [(name, by_unit.get(region)) for region, name in zip(units["region_code"], units["region_name"])]
    valued = sorted([r for r in rows if not is_missing(r[1])], key=lambda r: -float(r[1]))
    missing = [r for r in rows if is_missing(r[1])]
    header = f"数值（{unit}）" if unit else "数值"
    return pd.DataFrame(
        {
            "排名": [str(i) for i in range(1, len(valued) + 1)] + [NO_VALUE] * len(missing),
            "单位": [r[0] for r in valued + missing],
            header: [format_number(r[1], unit) for r in valued + missing],
        }
    )


def render(context: data.PageContext) -> None:
    warehouse, period_end = context.warehouse, context.period_end
    region_table = data.regions(warehouse)
    root = data.root_region(region_table)
    catalog = data.metric_catalog(warehouse)
    progress = data.target_progress(warehouse)
    levels = data.target_levels(warehouse)
    if big_screen_requested():
        _big_screen(context, root, catalog, progress, levels, region_table)
        return

    title, switch = st.columns([5, 1], vertical_alignment="bottom")
    title.title(f"{root['region_name']}知识产权倍增监测 · 总览")
    with switch:
        _screen_toggle()
    st.caption(f"数据期：{period_label(period_end)}末 · {root['region_name']}全域，全部产业")

    if context.viewer.demo:
        st.caption(":material/lock_open: 演示模式：未启用登录，显示全部单位的数据。")
    _key_points(warehouse, catalog, progress, region_table, root, period_end)
    card_metrics = _card_metrics(catalog, progress)
    series = data.metric_series(warehouse, root["region_code"], sorted(set(card_metrics) | set(TREND_METRICS)))
    drill_root = root["region_code"] if context.viewer.sees_all_units else context.viewer.region_code

    def open_drill(metric_code: str) -> None:
        st.session_state[f"{DRILL_KEY}_metric"] = metric_code
        st.session_state[f"{DRILL_KEY}_region"] = drill_root

    kpi_grid(_build_cards(card_metrics, catalog, progress, levels, series, period_end), on_drill=open_drill)
    _glossary(catalog, card_metrics)
    st.subheader("明细与导出")
    st.caption("每个数字背后的专利、商标或企业名单：选择指标和地区即可查看，并可导出 Excel/CSV。")
    drill_metrics = [*card_metrics, *[c for c in catalog["metric_code"] if c not in card_metrics]]
    drill_section(context, drill_metrics, catalog, key=DRILL_KEY)
    change_analysis_section(context, key="overview_changes")
    st.subheader("月度通报")
    briefing_download(context, key="overview_briefing")
    _what_it_takes_section(warehouse, catalog, levels, region_table, root, period_end)
    _trend_section(catalog, levels, series, period_end)
    _unit_section(warehouse, catalog, region_table, root, period_end)
    _freshness(warehouse)

