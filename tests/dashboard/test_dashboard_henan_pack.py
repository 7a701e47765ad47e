"""The Henan region pack (IPWH_REGION_PACK=henan): the real build on the hand-made landing folder
tests/fixtures/landing_henan, then every dashboard page on what it published.

Worked by hand (see the fixture's README): valid invention patents at 2025-12-31 are H1 H2 (郑州市),
H4 (濮阳市) and H5 (济源市) = 4 for 河南省; H3 (洛阳市) lapsed 2024-06-01 and H6 is a utility model.
At 2023-12-31: H1 H2 H3 H4 = 4 (H5 is granted 2024-02-01), 洛阳市 1. Population (2023 年末, 万人):
河南省 9815, 郑州市 1300, so invention_per_10k is 4 / 9815 and 2 / 1300.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard_apptest import PAGES, assert_clean, environment, run_page
from tests.conftest import built_fixture, query

D = dt.date
HENAN_UNITS = {"410100", "410200", "410300", "410400", "410500", "410600", "410700", "410800", "410900",
               "411000", "411100", "411200", "411300", "411400", "411500", "411600", "411700", "419001"}


@pytest.fixture(scope="module")
def henan(tmp_path_factory):
    with built_fixture(tmp_path_factory, "landing_henan", IPWH_REGION_PACK="henan") as built:
        assert built["code"] == 0
        yield {"warehouse": built["warehouse"], "no_auth": built["base"] / "no_auth.yaml"}


def stock(warehouse, period, metric="valid_invention_patents"):
    return dict(query(warehouse, """SELECT region_code, value FROM marts.metric_values
        WHERE metric_code = ? AND period_end = ? AND industry_code = 'ALL' AND value <> 0""", [metric, period]))


def test_the_province_and_its_cities_get_the_hand_worked_counts(henan):
    wh = henan["warehouse"]
    assert stock(wh, D(2025, 12, 31)) == {"410000": 4, "410100": 2, "410900": 1, "419001": 1}
    assert stock(wh, D(2023, 12, 31)) == {"410000": 4, "410100": 2, "410300": 1, "410900": 1}
    per_10k = {r: (n, d) for r, n, d in query(wh, """SELECT region_code, numerator, denominator FROM marts.metric_values
        WHERE metric_code = 'invention_per_10k' AND period_end = DATE '2025-12-31' AND region_code IN ('410000', '410100')""")}
    assert per_10k == {"410000": (4, 9815), "410100": (2, 1300)}


def test_the_assessment_ranks_the_eighteen_henan_units(henan):
    units = query(henan["warehouse"], """SELECT DISTINCT region_code, region_name FROM marts.county_assessment
        WHERE period_end = DATE '2025-12-31'""")
    assert {code for code, _ in units} == HENAN_UNITS
    assert dict(units)["419001"] == "济源市" and dict(units)["410100"] == "郑州市"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_province(henan, page):
    with environment(IPWH_WAREHOUSE=str(henan["warehouse"]), IPWH_AUTH_CONFIG=str(henan["no_auth"])):
        app = run_page(page)
    assert_clean(app)
    shown = " ".join([t.value for t in app.title] + [m.value for m in app.markdown] + [c.value for c in app.caption])
    assert "河南省" in shown, shown[:500]
    assert "濮阳市县区" not in shown


def test_the_assessment_page_lists_the_cities(henan):
    with environment(IPWH_WAREHOUSE=str(henan["warehouse"]), IPWH_AUTH_CONFIG=str(henan["no_auth"])):
        app = run_page("assessment")
    assert_clean(app)
    names = set()
    for frame in app.dataframe:
        names |= {str(v) for v in frame.value.index} | {str(v) for col in frame.value.columns for v in frame.value[col]}
    assert {"郑州市", "济源市", "濮阳市", "洛阳市"} <= names
