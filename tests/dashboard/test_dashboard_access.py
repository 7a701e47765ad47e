"""Access that holds, on a warehouse built by the real pipeline from tests/fixtures/who_and_where.

A county official (清丰县 410922, 范县 410926, 华龙区 410902) gets city and unit totals, and records of
their own unit only: every data-layer function that returns records is called as a unit viewer with
every region it could be asked for, and every page is rendered (AppTest) with other units' URLs and
widget states. The fixture's README ("Access") lists, worked out by hand, which records each county
sees; the same-name firm 濮阳市瑞丰建材有限公司 (清丰县 R1 and 范县 R2) and the renamed firm F3
(former name 濮阳市新材科技有限公司) are the cases of the issue.
"""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard_apptest import PAGES, all_text, assert_clean, environment, run_page
from dashboards import access_log, auth, data
from dashboards.components.signin import SIGNED_IN_KEY
from dashboards.drilldown import RECORD_LISTS
from tests.conftest import built_fixture

CITY, HL, QF, NL, FX, PY, JK = "410900", "410902", "410922", "410923", "410926", "410928", "410972"
UN = data.UNATTRIBUTED
R1, R2 = "9141092231000009X4", "91410926310000102N"  # both named 濮阳市瑞丰建材有限公司: 清丰县, 范县
F3 = "914109023100000305"  # 河南新材科技股份有限公司, formerly 濮阳市新材科技有限公司 (华龙区)
F6 = "91410922310000065N"  # 濮阳市恒信塑业有限公司 (华龙区): closest candidate of a 清丰县 roster row
PERIOD = date(2024, 12, 31)
PASSWORDS = {"city_lead": "city-secret-1", "qingfeng": "qf-secret-22", "fanxian": "fx-secret-333"}

QF_VIEWER = auth.Viewer("qingfeng", "清丰县市场监管局", "unit", QF)
FX_VIEWER = auth.Viewer("fanxian", "范县市场监管局", "unit", FX)
HL_VIEWER = auth.Viewer("huanglong", "华龙区", "unit", HL)
CITY_VIEWER = auth.Viewer("city_lead", "市知识产权局", "city")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    with built_fixture(tmp_path_factory, "who_and_where") as result:
        assert result["code"] == 0
        users = result["base"] / "auth.yaml"
        auth.add_user(users, "city_lead", PASSWORDS["city_lead"], name="市知识产权局", role="city")
        auth.add_user(users, "qingfeng", PASSWORDS["qingfeng"], name="清丰县市场监管局", role="unit", region_code=QF)
        auth.add_user(users, "fanxian", PASSWORDS["fanxian"], name="范县市场监管局", role="unit", region_code=FX)
        yield {**result, "users": users}


@pytest.fixture(scope="module")
def warehouse(built) -> data.Warehouse:
    return data.published_warehouse(built["warehouse"])


def _rows(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def markers(built) -> dict[str, set[str]]:
    """Per unit: identifiers of records that unit must never see (other units' patents, trademarks, firms)."""
    path = built["warehouse"]
    patents = _rows(path, "select application_no, region_code from marts.patent_facts")
    trademarks = _rows(path, "select reg_no, region_code from marts.trademark_facts")
    firms = _rows(path, "select enterprise_id, uscc, region_code from marts.enterprise_facts")
    out = {}
    for unit in (QF, FX):
        found = {number for number, region in patents if region != unit and region is not None}
        found |= {number for number, region in trademarks if region != unit}
        found |= {value for firm, uscc, region in firms if region != unit for value in (firm, uscc) if value}
        out[unit] = found
    return out


def _leaks(text: str, forbidden: set[str]) -> list[str]:
    return sorted(marker for marker in forbidden if marker in text)


def _assert_own_unit(frame, unit: str, forbidden: set[str], what: str) -> None:
    if "region_code" in frame.columns:
        assert set(frame["region_code"].dropna()) <= {unit}, what
    assert not _leaks(frame.to_csv(index=False), forbidden), what


# --- the data layer ---------------------------------------------------------------------------------

# Every data-layer function that takes a viewer is called below; a new one must be added here.
COVERED = {
    "visible_units", "record_scope", "require_city", "metric_records", "action_list", "fee_warnings_by_enterprise",
    "enterprise_search", "enterprise_profile", "issue_counts", "issue_rows", "optional_mart", "change_records",
}


def test_every_function_that_takes_a_viewer_is_covered() -> None:
    takes_viewer = {
        name for name, function in inspect.getmembers(data, inspect.isfunction)
        if function.__module__ == data.__name__ and "viewer" in inspect.signature(function).parameters
    }
    assert takes_viewer == COVERED


@pytest.mark.parametrize("viewer", [QF_VIEWER, FX_VIEWER], ids=["清丰县", "范县"])
def test_a_unit_viewer_gets_only_own_unit_records_from_every_function(warehouse, markers, viewer) -> None:
    unit, forbidden = viewer.region_code, markers[viewer.region_code]
    allowed, refused = (None, "", CITY, unit), sorted({HL, QF, NL, FX, PY, JK, UN} - {unit})
    assert data.visible_units(warehouse, viewer) == [unit]
    with pytest.raises(data.AccessDenied):
        data.require_city(viewer)
    for region in allowed:
        assert data.record_scope(warehouse, viewer, region) == (unit,)
    for region in refused:
        with pytest.raises(data.AccessDenied):
            data.record_scope(warehouse, viewer, region)

    for period in (PERIOD, date(2023, 12, 31)):
        for code in RECORD_LISTS:
            for region in allowed:
                records = data.metric_records(warehouse, viewer, code, period, region)
                _assert_own_unit(records.frame, unit, forbidden, f"{code} {region}")
                _assert_own_unit(data.full_records(warehouse, records), unit, forbidden, f"{code} full")
            for region in refused:
                with pytest.raises(data.AccessDenied):
                    data.metric_records(warehouse, viewer, code, period, region)
        for name in ("zero", "key", "fees", "hightech"):
            for region in allowed:
                _assert_own_unit(data.action_list(warehouse, viewer, name, period, region).frame, unit, forbidden, name)
            for region in refused:
                with pytest.raises(data.AccessDenied):
                    data.action_list(warehouse, viewer, name, period, region)
        for region in allowed:
            _assert_own_unit(data.fee_warnings_by_enterprise(warehouse, viewer, period, region), unit, forbidden, "fees")
        for region in refused:
            with pytest.raises(data.AccessDenied):
                data.fee_warnings_by_enterprise(warehouse, viewer, period, region)

    # the records behind each part of a change (变动分析), for every metric, part and comparison
    changes = _rows(Path(warehouse.path), "select distinct metric_code, period_end, comparison, part_code "
                    "from marts.metric_change_decomposition where part_code <> 'none' "
                    "and period_end in (?, DATE '2023-12-31')".replace("?", f"DATE '{PERIOD.isoformat()}'"))
    assert changes, "the warehouse has change parts to try"
    for metric, period, comparison, part in changes:
        for region in allowed:
            _assert_own_unit(data.change_records(warehouse, viewer, metric, period, comparison, part, region),
                             unit, forbidden, f"change {metric} {part} {region}")
        for region in refused:
            with pytest.raises(data.AccessDenied):
                data.change_records(warehouse, viewer, metric, period, comparison, part, region)

    for text in ("濮阳", "瑞丰", "华达", "新材", "9141", "有限公司", "%", "_"):
        for region in allowed:
            _assert_own_unit(data.enterprise_search(warehouse, viewer, text, region), unit, forbidden, text)
        for region in refused:
            with pytest.raises(data.AccessDenied):
                data.enterprise_search(warehouse, viewer, text, region)

    for (firm, region) in _rows(Path(warehouse.path), "select enterprise_id, region_code from marts.enterprise_facts"):
        if region == unit:
            profile = data.enterprise_profile(warehouse, viewer, firm, PERIOD)
            for part in (profile.designations, profile.patents, profile.trademarks):
                assert not _leaks(part.to_csv(index=False), forbidden), firm
            assert set(profile.patents["region_code"].dropna()) <= {unit}
        else:
            with pytest.raises(data.AccessDenied):
                data.enterprise_profile(warehouse, viewer, firm, PERIOD)

    for table in ("quarantine", "flags"):
        assert data.issue_counts(warehouse, table, viewer=viewer)["example"].isna().all()
        with pytest.raises(data.AccessDenied):
            data.issue_rows(warehouse, viewer, table)
    for (name,) in _rows(Path(warehouse.path), "select table_name from information_schema.tables where table_schema = 'marts'"):
        try:
            frame = data.optional_mart(warehouse, name, viewer)
        except data.AccessDenied:
            continue
        if name in data.RECORD_TABLES or "region_code" in frame.columns:
            _assert_own_unit(frame, unit, forbidden, name)


def test_the_same_named_firm_of_another_unit_is_not_in_the_profile(warehouse) -> None:
    """清丰县's 濮阳市瑞丰建材有限公司 (R1) holds trademark 50000004 only; 202010100019.9 (范县, by address)
    belongs to the ambiguous name, and 50000005 to 范县's firm of the same name (R2)."""
    mine = data.enterprise_profile(warehouse, QF_VIEWER, R1, PERIOD)
    assert list(mine.patents["application_no"]) == []
    assert list(mine.trademarks["reg_no"]) == ["50000004"]
    with pytest.raises(data.AccessDenied):
        data.enterprise_profile(warehouse, QF_VIEWER, R2, PERIOD)
    theirs = data.enterprise_profile(warehouse, FX_VIEWER, R2, PERIOD)
    assert list(theirs.trademarks["reg_no"]) == ["50000005"]


def test_a_renamed_firm_keeps_the_patents_held_under_its_former_name(warehouse) -> None:
    """F3 holds 202010100005.7 (华龙区) under its former name and 202010100014.6 as second patentee
    (counted for 南乐县, its first patentee's unit): the city sees both, 华龙区 only its own."""
    city = data.enterprise_profile(warehouse, CITY_VIEWER, F3, PERIOD)
    assert sorted(city.patents["application_no"]) == ["202010100005.7", "202010100014.6"]
    assert set(city.patents["holder_name"]) == {"濮阳市新材科技有限公司"}
    huanglong = data.enterprise_profile(warehouse, HL_VIEWER, F3, PERIOD)
    assert list(huanglong.patents["application_no"]) == ["202010100005.7"]


def test_the_closest_candidate_of_another_unit_is_not_named(warehouse) -> None:
    """清丰县's unmatched roster row 濮阳市恒信塑业有限责任公司 is closest to F6, a 华龙区 firm."""
    mine = data.optional_mart(warehouse, "unmatched_roster_entries", QF_VIEWER)
    assert list(mine["enterprise"]) == ["濮阳市恒信塑业有限责任公司"]
    assert mine[["closest_enterprise_id", "closest_enterprise", "closest_score"]].isna().all().all()
    city = data.optional_mart(warehouse, "unmatched_roster_entries", CITY_VIEWER)
    assert F6 in set(city["closest_enterprise_id"])


# Ratios whose list is the denominator's members, and the flags (说明) of the numerator's members.
DENOMINATOR_LISTS = {
    "hightech_with_invention_rate": {"有有效发明专利"},
    "above_scale_invention_coverage": {"有有效发明专利"},
    "above_scale_ip_coverage": {"有有效发明专利", "无有效发明专利（有其他知识产权）"},
}
ENTERPRISE_METRICS = {
    "hightech_enterprises", "hightech_with_invention_rate", "srdi_sme_valid", "little_giant_valid", "srdi_sme_new",
    "little_giant_new", "ip_advantage_enterprises_total", "ip_advantage_enterprises_new", "above_scale_enterprises",
    "above_scale_invention_coverage", "above_scale_ip_coverage",
}


def _whole(value) -> int:
    return 0 if value is None or value != value else int(value)


def test_drill_down_lists_exactly_what_the_metric_counts(warehouse) -> None:
    """For every record-counted metric, unit and a spread of month-ends: the list behind the number
    has as many records as the number (its numerator for ratios; for the ratios listing their
    denominator's members, the denominator, and the flagged members the numerator) — both come from
    int_metric_records / int_metric_enterprise_records."""
    counted = {code for code, spec in RECORD_LISTS.items() if "marts.metric_records" in spec.sql}
    assert {"valid_invention_patents", "invention_grants", "valid_trademarks", "high_value_invention_patents"} <= counted
    assert ENTERPRISE_METRICS <= counted
    regions = [CITY, *data.unit_codes(warehouse), UN]
    checked = set()
    for period in (date(2022, 12, 31), date(2023, 5, 31), date(2023, 12, 31), PERIOD):
        values = data.metric_values_at(warehouse, period, sorted(counted)).set_index(["metric_code", "region_code"])
        for code in counted:
            for region in regions:
                if (code, region) not in values.index:
                    continue
                row = values.loc[(code, region)]
                records = data.metric_records(warehouse, CITY_VIEWER, code, period, region, limit=None)
                if code in DENOMINATOR_LISTS:
                    assert records.total == _whole(row["denominator"]), (code, region, period)
                    flagged = records.frame["flag"].isin(DENOMINATOR_LISTS[code]).sum()
                    assert flagged == _whole(row["numerator"]), (code, region, period)
                else:
                    expected = row["numerator"] if row["numerator"] == row["numerator"] else row["value"]
                    assert records.total == int(expected), (code, region, period)
                checked.add((code, region, period, records.total))
    assert len(checked) > 100
    # the enterprise lists are not all empty: the fixture's firms are counted somewhere
    assert {code for code, _, _, total in checked if total > 0} >= {
        "hightech_enterprises", "above_scale_enterprises", "hightech_with_invention_rate", "above_scale_ip_coverage"}


# --- the pages, as a unit viewer ------------------------------------------------------------------------

OTHER_UNIT_QUERY = {"unit": FX, "region": FX, "enterprise": R2, "q": "瑞丰", "metric": "valid_invention_patents"}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_as_a_unit_viewer_shows_no_other_unit_record(built, markers, page: str) -> None:
    with environment(IPWH_WAREHOUSE=str(built["warehouse"]), IPWH_AUTH_CONFIG=str(built["users"]), IPWH_DEMO=None):
        for query in ({}, OTHER_UNIT_QUERY):
            app = run_page(page, query=query, state={SIGNED_IN_KEY: "qingfeng"})
            assert_clean(app)
            assert not app.title or app.title[0].value != "知识产权倍增监测 · 登录"
            assert not _leaks(all_text(app), markers[QF]), (page, query)
            # every choice of every selectbox (but the period picker), and a forced other-unit state
            # (not the enterprise picker: AppTest cannot drive a selectbox whose labels come from a dict;
            # its options are the scoped search results, checked in test_the_enterprise_search_as_a_unit_viewer)
            for key in [box.key for box in app.selectbox if box.key and "period" not in str(box.key) and box.key != "enterprises_pick"]:
                for index in range(min(len(app.selectbox(key=key).options), 12)):
                    try:
                        app.selectbox(key=key).select_index(index).run()
                    except ValueError:  # AppTest cannot send a selectbox whose old value left its options
                        app = run_page(page, query=query, state={SIGNED_IN_KEY: "qingfeng"})
                        app.selectbox(key=key).select_index(index).run()
                    assert_clean(app)
                    assert not _leaks(all_text(app), markers[QF]), (page, key, index)
                forced = run_page(page, state={SIGNED_IN_KEY: "qingfeng", key: FX})
                assert_clean(forced)
                assert not _leaks(all_text(forced), markers[QF]), (page, key, "forced")


def test_the_enterprise_search_as_a_unit_viewer(built, markers) -> None:
    with environment(IPWH_WAREHOUSE=str(built["warehouse"]), IPWH_AUTH_CONFIG=str(built["users"]), IPWH_DEMO=None):
        for text in ("瑞丰", "濮阳", "华达", R2):
            app = run_page("enterprises", state={SIGNED_IN_KEY: "qingfeng"})
            search = [box for box in app.text_input if "搜索企业" in box.label]
            assert search, [box.label for box in app.text_input]
            app = search[0].input(text).run()
            assert_clean(app)
            assert not _leaks(all_text(app), markers[QF]), text
            for box in app.selectbox:
                if box.key == "enterprises_pick":
                    assert box.options and all(option.endswith("（清丰县）") for option in box.options), box.options


# --- a real browser -------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_in_a_browser_a_unit_user_cannot_reach_another_unit(built, markers) -> None:
    """Headless Chromium signs in as 清丰县 through a deep link to 范县's firm, tries 范县's URLs and
    searches; F5 and a new tab keep the sign-in (the signed token); no Deploy button."""
    from test_dashboard_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _serve

    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    forbidden = markers[QF]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for url in _serve(built["warehouse"], built["users"], ARTIFACTS / "streamlit-access.log"):
                context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
                page = context.new_page()

                def settle(path: str) -> str:
                    page.goto(f"{url}/{path}", wait_until="domcontentloaded")
                    page.get_by_text("已登录：清丰县市场监管局").wait_for(timeout=30_000)
                    page.wait_for_timeout(1500)
                    return page.content()

                page.goto(f"{url}/enterprises?enterprise={R2}", wait_until="domcontentloaded")
                page.get_by_text("知识产权倍增监测 · 登录").wait_for(timeout=30_000)
                page.get_by_label("用户名").fill("qingfeng")
                page.get_by_label("密码").fill(PASSWORDS["qingfeng"])
                page.get_by_role("button", name="登录").click()
                page.get_by_text("已登录：清丰县市场监管局").wait_for(timeout=30_000)
                page.wait_for_timeout(1500)
                assert "/enterprises" in page.url  # landed where the link pointed
                assert not _leaks(page.content(), forbidden)
                page.screenshot(path=str(ARTIFACTS / "access-deep-link.png"), full_page=True)

                for path in (f"enterprises?unit={FX}", f"enterprises?q=瑞丰", f"fees?unit={FX}", f"assessment?unit={FX}",
                             f"overview?metric=valid_invention_patents&unit={FX}", f"industries?region={FX}", "quality"):
                    assert not _leaks(settle(path), forbidden), path

                settle("enterprises")
                box = page.get_by_label("搜索企业（名称或统一社会信用代码的一部分）")
                for text in ("瑞丰", "华达"):
                    box.fill(text)
                    box.press("Enter")
                    page.wait_for_timeout(2000)
                    assert not _leaks(page.content(), forbidden), text

                page.reload(wait_until="domcontentloaded")  # F5
                page.get_by_text("已登录：清丰县市场监管局").wait_for(timeout=30_000)
                assert "/enterprises" in page.url
                tab = context.new_page()  # a new tab of the same browser
                tab.goto(f"{url}/fees", wait_until="domcontentloaded")
                tab.get_by_text("已登录：清丰县市场监管局").wait_for(timeout=30_000)
                assert page.get_by_text("Deploy").count() == 0 and tab.get_by_role("button", name="Deploy").count() == 0
                tab.screenshot(path=str(ARTIFACTS / "access-new-tab.png"), full_page=True)
                tab.close()
                page.get_by_role("button", name="退出登录").click()  # signing out deletes the token
                page.get_by_text("知识产权倍增监测 · 登录").wait_for(timeout=30_000)
                page.wait_for_timeout(1000)
                page.reload(wait_until="domcontentloaded")
                page.get_by_text("知识产权倍增监测 · 登录").wait_for(timeout=30_000)
                page.wait_for_timeout(1500)
                assert page.get_by_text("已登录：").count() == 0
                context.close()
        finally:
            browser.close()
    logged = [entry["event"] for entry in access_log.entries(built["warehouse"].parent / "access_log.jsonl")]
    assert "sign_in" in logged and "session_resumed" in logged and "page" in logged
