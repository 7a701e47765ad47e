"""Chart specs a statistician would sign: axes start where the data starts, outliers are clipped with the
reason stated, every series and target line is named (legend), units are on the axes, tooltips in Chinese."""

from __future__ import annotations

import json
from datetime import date

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard_apptest import assert_clean, caption_texts, run_page
from dashboards.components.charts import clip_outliers, trend_with_targets
from dashboards.components.format import INDUSTRIES
from dashboards.views.assessment import unit_trend_chart

ASCII_LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def specs(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def encodings(spec: dict, channel: str) -> list[dict]:
    return [layer["encoding"][channel] for layer in layers(spec) if channel in layer.get("encoding", {})]


def tooltip_titles(spec: dict) -> list[str]:
    titles = []
    for tooltip in encodings(spec, "tooltip"):
        for item in tooltip if isinstance(tooltip, list) else [tooltip]:
            titles.append(item.get("title") or item.get("field", ""))
    return titles


@pytest.fixture(scope="module")
def overview(shared_env) -> AppTest:
    with shared_env():
        app = run_page("overview")
    assert_clean(app)
    return app


def trend_spec(app: AppTest) -> dict:
    """The 万人 trend: the chart whose targets have a legend titled 年度目标."""
    for spec in specs(app):
        if any(color.get("title") == "年度目标" for color in encodings(spec, "color")):
            return spec
    raise AssertionError("no trend chart with a target legend")


def test_trend_axis_starts_at_the_first_month_with_data(overview: AppTest) -> None:
    spec = trend_spec(overview)
    # the hand-made warehouse's first month-end is 2024-06-30 and the selected period 2025-06-30
    assert encodings(spec, "x")[0]["scale"]["domain"] == ["2024-06-30", "2025-06-30"]


def test_target_lines_are_named_in_a_legend_not_written_over_each_other(overview: AppTest) -> None:
    spec = trend_spec(overview)
    color = next(c for c in encodings(spec, "color") if c.get("title") == "年度目标")
    assert color["sort"] == ["2025年目标 达到 ≥ 3.60", "2026年目标 达到 ≥ 3.80", "2027年目标 达到 ≥ 3.90"]
    assert color["legend"]["orient"] == "bottom"
    assert not [layer for layer in layers(spec) if layer.get("mark", {}).get("type") == "text"]  # no overlapping labels


def test_units_on_the_value_axis_and_chinese_tooltips(overview: AppTest) -> None:
    spec = trend_spec(overview)
    assert encodings(spec, "y")[0]["title"] == "件/万人"
    assert encodings(spec, "x")[0]["title"] == "期末（年-月）"
    titles = tooltip_titles(spec)
    assert titles and all(not (set(title) & ASCII_LETTERS) for title in titles), titles


def test_kpi_sparklines_mark_the_selected_month_with_chinese_tooltips(overview: AppTest) -> None:
    # the sparklines are the 48-pixel charts of the KPI cards: a line of the last months and a point
    # on the last one (the selected period, 2025-06 in the hand-made warehouse)
    charts = [chart for chart in overview.get("vega_lite_chart") if json.loads(chart.proto.spec).get("height") == 48]
    assert charts
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "point"]
        assert tooltip_titles(spec) == ["期末", "数值"] * 2
        data = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets}
        series, last = data["series"], data["last"]
        assert len(series) > 1 and len(last) == 1
        assert pd.Timestamp(last["period_end"].iloc[0]).strftime("%Y-%m") == "2025-06"
        assert last.iloc[0].to_dict() == series.sort_values("period_end").iloc[-1].to_dict()
        # written by hand, not by Altair: still a valid Vega-Lite spec (Altair's schema validates it)
        alt.LayerChart.from_dict({**spec, "datasets": {"series": [], "last": []}})


def test_a_series_with_leading_gaps_starts_where_its_values_start() -> None:
    # per-10k values exist only once population does (2019 here); the axis must not begin in 2002
    series = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2002-12-31", "2010-12-31", "2019-12-31", "2020-12-31"]),
            "value": [None, None, 1.5, 1.8],
        }
    )
    spec = trend_with_targets(series, pd.DataFrame(columns=["year", "comparator", "target"]), "万人有效发明专利拥有量", "件/万人").to_dict()
    assert encodings(spec, "x")[0]["scale"]["domain"] == ["2019-12-31", "2020-12-31"]


def test_growth_spikes_are_clipped_and_the_reason_is_stated() -> None:
    # twelve ordinary years of 5-20 % growth and two spikes of 800 % and 650 % on a tiny base
    values = [800.0, 650.0, 12.0, 15.0, 9.0, 11.0, 14.0, 18.0, 7.0, 10.0, 13.0, 16.0, 8.0, 12.0]
    clipping = clip_outliers(pd.Series(values))
    assert clipping is not None and clipping.clipped == 2
    assert clipping.high < 100 and clipping.low >= 7.0
    assert "超出范围的 2 个点" in clipping.note("有效发明专利年增长率")
    frame = pd.DataFrame(
        {
            "region_code": ["410900"] * len(values),
            "period_end": pd.date_range("2008-12-31", periods=len(values), freq="YE"),
            "value": values,
        }
    )
    regions = pd.DataFrame({"region_code": ["410900"], "region_name": ["濮阳市"]})
    spec = unit_trend_chart(frame, regions, "有效发明专利年增长率", "%").to_dict()
    assert encodings(spec, "y")[0]["scale"]["domain"] == [clipping.low, clipping.high]
    assert encodings(spec, "y")[0]["title"] == "%"
    assert any(layer.get("mark", {}).get("shape") == "triangle-up" for layer in layers(spec))  # the clipped points
    assert encodings(spec, "color")[0]["legend"]["orient"] == "bottom"  # every line named


def test_ordinary_series_are_not_clipped() -> None:
    assert clip_outliers(pd.Series([2.0, 2.1, 2.3, 2.4, 2.5, 2.6, 2.8, 3.0, 3.1])) is None


def test_assessment_trend_states_the_clipping_when_it_clips(shared_env) -> None:
    with shared_env():
        app = run_page("assessment")
    assert_clean(app)
    spec = next(s for s in specs(app) if any(c.get("title") == "地区" for c in encodings(s, "color")))
    assert encodings(spec, "color")[0]["legend"]["orient"] == "bottom"
    clipped = any(layer.get("mark", {}).get("shape") == "triangle-up" for layer in layers(spec))
    assert clipped == any("超出范围" in text for text in caption_texts(app))


def test_industry_charts_name_all_eleven_industries(shared_env) -> None:
    with shared_env():
        app = run_page("industries")
    assert_clean(app)
    names = [name for _, name, _ in INDUSTRIES]
    bars = next(s for s in specs(app) if any(y.get("field") == "产业" for y in encodings(s, "y")))
    y = encodings(bars, "y")[0]
    assert y["sort"] == names and y["axis"]["labelOverlap"] is False  # no industry name skipped
    assert bars["height"] == {"step": 28}  # room for every bar
    lines = next(s for s in specs(app) if any(c.get("field") == "产业" for c in encodings(s, "color")))
    color = encodings(lines, "color")[0]
    assert color["scale"]["domain"] == names and color["legend"]["orient"] == "bottom"
    assert encodings(lines, "x")[0]["title"] == "期末（年-月）"
    assert not (set("".join(tooltip_titles(lines))) & ASCII_LETTERS)


def test_deep_link_period_is_read_and_written(shared_env) -> None:
    with shared_env():
        app = run_page("overview", query={"period": "2024-12"})
    assert_clean(app)
    assert app.sidebar.selectbox[0].value == date(2024, 12, 31)
    assert app.query_params["period"] == ["2024-12"] or app.query_params["period"] == "2024-12"


def test_the_address_names_the_unit_and_region_shown(shared_env) -> None:
    with shared_env():
        assessment = run_page("assessment", query={"unit": "410922"})
        industries = run_page("industries", query={"region": "410902"})
        assert assessment.selectbox(key="assessment_unit").value == "410922"
        assessment.selectbox(key="assessment_unit").set_value("410902").run()
    assert_clean(assessment)
    assert_clean(industries)
    assert "410902" in str(assessment.query_params["unit"])  # a changed choice goes into the address
    assert industries.selectbox(key="industries_region").value == "410902"
    assert "410902" in str(industries.query_params["region"])
