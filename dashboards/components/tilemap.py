"""A tile map of the units: one square per unit, placed roughly where it lies, shaded by a value.

Each tile carries its short name, the value and (when given) the rank as text, so the map never
relies on colour alone. Units of an unknown pack fall back to a grid in their sort order.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from dashboards.components.format import format_number, is_missing

# (column, row) of each unit, north at the top. Puyang: 南乐 and 清丰 in the north, the city districts
# in the middle, 濮阳县, 范县 and 台前 strung out to the south-east.
TILE_POSITIONS: dict[str, tuple[int, int]] = {
    "410923": (1, 0),  # 南乐县
    "410922": (1, 1),  # 清丰县
    "410972": (0, 2),  # 濮阳经济技术开发区
    "410902": (1, 2),  # 华龙区
    "410971": (2, 2),  # 河南濮阳工业园区
    "410928": (1, 3),  # 濮阳县
    "410926": (2, 3),  # 范县
    "410927": (3, 3),  # 台前县
    # Henan's prefectures
    "410500": (3, 0),  # 安阳
    "419001": (0, 1),  # 济源
    "410800": (1, 1),  # 焦作
    "410700": (2, 1),  # 新乡
    "410600": (3, 1),  # 鹤壁
    "410900": (4, 1),  # 濮阳
    "411200": (0, 2),  # 三门峡
    "410300": (1, 2),  # 洛阳
    "410100": (2, 2),  # 郑州
    "410200": (3, 2),  # 开封
    "411400": (4, 2),  # 商丘
    "410400": (1, 3),  # 平顶山
    "411000": (2, 3),  # 许昌
    "411600": (3, 3),  # 周口
    "411300": (1, 4),  # 南阳
    "411100": (2, 4),  # 漯河
    "411700": (3, 4),  # 驻马店
    "411500": (3, 5),  # 信阳
}


def tile_positions(codes: list[str]) -> dict[str, tuple[int, int]]:
    """Known positions when every unit has one, else a near-square grid in the given order."""
    if codes and all(code in TILE_POSITIONS for code in codes):
        return {code: TILE_POSITIONS[code] for code in codes}
    width = max(1, math.ceil(math.sqrt(len(codes))))
    return {code: (index % width, index // width) for index, code in enumerate(codes)}


def tile_map(
    units: pd.DataFrame,
    values: dict[str, float | None],
    metric_name: str,
    unit: str | None,
    ranks: dict[str, int | None] | None = None,
    *,
    lower_is_better: bool = False,
    tile_size: int = 84,
) -> alt.LayerChart:
    """``units`` has region_code and short_name (or region_name), in sort order."""
    codes = list(units["region_code"])
    positions = tile_positions(codes)
    names = units.get("short_name", units["region_name"]).fillna(units["region_name"])
    rows = []
    for code, name in zip(codes, names):
        value = values.get(code)
        rank = (ranks or {}).get(code)
        column, row = positions[code]
        rows.append(
            {
                "code": code,
                "name": name,
                "col": column,
                "row": row,
                "value": None if is_missing(value) else float(value),
                "value_text": format_number(value, unit),
                "rank_text": "" if rank is None or is_missing(rank) else f"第{int(rank)}名",
            }
        )
    frame = pd.DataFrame(rows)
    # light text on the darker tiles (upper half of the value range), dark text elsewhere
    known = frame["value"].dropna()
    middle = (known.min() + known.max()) / 2 if len(known) > 1 else None
    frame["dark_tile"] = [middle is not None and v is not None and not pd.isna(v) and v > middle for v in frame["value"]]
    scheme = "blues" if not lower_is_better else "oranges"
    base = alt.Chart(frame).encode(
        x=alt.X("col:O", axis=None),
        y=alt.Y("row:O", axis=None),
        tooltip=[
            alt.Tooltip("name:N", title="单位"),
            alt.Tooltip("value_text:N", title=metric_name),
            alt.Tooltip("rank_text:N", title="排名"),
        ],
    )
    empty = base.mark_rect(stroke="white", strokeWidth=3, cornerRadius=4, color="#ececec")  # units without a value
    tiles = base.mark_rect(stroke="white", strokeWidth=3, cornerRadius=4).encode(
        color=alt.Color(
            "value:Q",
            title=f"{metric_name}（{unit}）" if unit else metric_name,
            scale=alt.Scale(scheme=scheme),
            legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=160, titleLimit=400),
        )
    )
    text_colour = alt.condition("datum.dark_tile", alt.value("white"), alt.value("#1f1f1f"))
    label = base.mark_text(dy=-16, fontWeight="bold", fontSize=12).encode(text="name:N", color=text_colour)
    value_text = base.mark_text(dy=1, fontSize=12).encode(text="value_text:N", color=text_colour)
    rank_text = base.mark_text(dy=17, fontSize=11).encode(text="rank_text:N", color=text_colour)
    # one band of tile_size pixels per column and per row of tiles
    return alt.layer(empty, tiles, label, value_text, rank_text).properties(
        width=alt.Step(tile_size), height=alt.Step(tile_size)
    )
