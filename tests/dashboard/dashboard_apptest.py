"""Running the dashboards under Streamlit's AppTest, and reading what a page shows."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGES = ("overview", "assessment", "industries", "enterprises", "fees", "quality")


@contextmanager
def environment(**values: str | None) -> Iterator[None]:
    """Set (or, with None, remove) environment variables for the duration of a block."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def new_app(page: str = "overview", *, query: dict[str, str] | None = None, state: dict | None = None) -> AppTest:
    """An app opened on ``page`` (its url_path), with URL query parameters and session state set."""
    app = AppTest.from_file(str(APP), default_timeout=60)
    if page != "overview":
        app._page_hash = calc_hash(page)  # what a browser opening /<page> asks for
    for name, value in (query or {}).items():
        app.query_params[name] = value
    for name, value in (state or {}).items():
        app.session_state[name] = value
    return app


def run_page(page: str = "overview", **kwargs: object) -> AppTest:
    return new_app(page, **kwargs).run()


def metric_value(app: AppTest, label: str) -> str:
    values = [metric.value for metric in app.metric if metric.label == label]
    assert len(values) == 1, f"expected one card {label!r}, got {[m.label for m in app.metric]}"
    return values[0]


def markdown_texts(app: AppTest) -> list[str]:
    return [block.value for block in app.markdown]


def caption_texts(app: AppTest) -> list[str]:
    return [caption.value for caption in app.caption]


def frames(app: AppTest) -> list[pd.DataFrame]:
    return [frame.value for frame in app.dataframe]


def frame_with(app: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page that has all these columns."""
    for frame in frames(app):
        if all(column in frame.columns for column in columns):
            return frame
    raise AssertionError(f"no table with columns {columns}; tables: {[list(f.columns) for f in frames(app)]}")


def frames_with(app: AppTest, *columns: str) -> list[pd.DataFrame]:
    return [frame for frame in frames(app) if all(column in frame.columns for column in columns)]


def all_text(app: AppTest) -> str:
    """Every piece of text the page shows (for "this name must not appear anywhere" checks)."""
    parts = [*markdown_texts(app), *caption_texts(app)]
    parts += [element.value for element in (*app.warning, *app.info, *app.error, *app.success)]
    parts += [f"{metric.label} {metric.value}" for metric in app.metric]
    for frame in frames(app):
        parts.append(frame.to_csv(index=False))
    for box in app.selectbox:
        parts.extend(str(option) for option in box.options)
    return "\n".join(str(part) for part in parts)


def assert_clean(app: AppTest) -> None:
    assert not app.exception, [exception.value for exception in app.exception]
