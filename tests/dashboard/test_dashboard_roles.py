"""Sign-in and roles: with a user file, nobody sees data before signing in; a county official sees
city totals and only their own unit's enterprise-level records — whatever the URL or widget state asks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_apptest import (
    all_text,
    assert_clean,
    caption_texts,
    frame_with,
    markdown_texts,
    metric_value,
    new_app,
    run_page,
)
from dashboards import auth, data
from dashboards.components.signin import SIGNED_IN_KEY

PASSWORDS = {"city_lead": "city-secret-1", "qingfeng": "qf-secret-22", "huanglong": "hl-secret-333"}
HUALONG_ONLY = ("己羽绒制品有限公司", "甲化工有限公司", "戊新能源有限公司")  # enterprises of 华龙区


@pytest.fixture(scope="module")
def auth_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("auth") / "auth.yaml"
    auth.add_user(path, "city_lead", PASSWORDS["city_lead"], name="市知识产权局", role="city")
    auth.add_user(path, "qingfeng", PASSWORDS["qingfeng"], name="清丰县市场监管局", role="unit", region_code="410922")
    auth.add_user(path, "huanglong", PASSWORDS["huanglong"], name="华龙区", role="unit", region_code="410902")
    return path


def as_user(username: str, page: str = "overview", **kwargs: object) -> AppTest:
    """A session already signed in (the state the sign-in form leaves behind)."""
    state = {SIGNED_IN_KEY: username, **kwargs.pop("state", {})}
    return run_page(page, state=state, **kwargs)


def sign_in(app: AppTest, username: str, password: str) -> AppTest:
    app.text_input(key="sign_in_username").input(username)
    app.text_input(key="sign_in_password").input(password)
    return app.button[0].click().run()


# --- signing in ------------------------------------------------------------------------------------


def test_with_a_user_file_nothing_shows_before_sign_in(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        app = run_page("overview")
        elsewhere = run_page("enterprises", query={"unit": "410922"})
    for shown in (app, elsewhere):
        assert_clean(shown)
        assert shown.title[0].value == "知识产权倍增监测 · 登录"
        assert not shown.metric and not shown.dataframe
        assert "演示模式：未启用登录" not in [note.value for note in shown.sidebar.info]


def test_a_wrong_password_is_refused(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        app = sign_in(run_page("overview"), "qingfeng", "not-the-password")
    assert [error.value for error in app.error] == ["用户名或密码错误"]
    assert SIGNED_IN_KEY not in app.session_state
    assert not app.metric


def test_the_right_password_signs_in(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        app = sign_in(run_page("overview"), "qingfeng", PASSWORDS["qingfeng"])
        assert_clean(app)
        assert app.session_state[SIGNED_IN_KEY] == "qingfeng"
        assert "已登录：清丰县市场监管局（清丰县）" in [note.value for note in app.sidebar.success]
        # county officials see the city totals
        assert metric_value(app, "万人有效发明专利拥有量") == "2.45 件/万人"
        app.sidebar.button(key="sign_out").click().run()
    assert app.title[0].value == "知识产权倍增监测 · 登录"


def test_a_user_removed_from_the_file_is_signed_out(shared_env, tmp_path: Path) -> None:
    path = tmp_path / "auth.yaml"
    auth.add_user(path, "temp", "short-lived-9", role="city")
    auth.add_user(path, "other", "second-pass-1", role="city")
    with shared_env(path):
        app = as_user("temp")
        assert app.metric
        users = auth.load_users(path)
        users.pop("temp")
        auth.save_users(path, users)
        app.run()
    assert app.title[0].value == "知识产权倍增监测 · 登录"


def test_a_broken_user_file_keeps_everyone_out(shared_env, tmp_path: Path) -> None:
    path = tmp_path / "auth.yaml"
    path.write_text("users:\n  bob:\n    role: city\n    password: plain-text\n", encoding="utf-8")
    with shared_env(path):
        app = run_page("overview")
    assert_clean(app)
    assert app.error and "明文密码" in app.error[0].value
    assert not app.metric and not app.dataframe


# --- what a county official sees --------------------------------------------------------------------


def test_county_official_sees_only_own_units_action_lists(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        app = as_user("qingfeng", "enterprises")
    assert_clean(app)
    assert ":material/lock: 县区账号：仅显示清丰县的企业。" in caption_texts(app)
    zero = frame_with(app, "企业名称", "有效专利（任一类型）")
    assert sorted(zero["企业名称"]) == ["丙食品有限公司", "乙装备制造有限公司"]
    assert frame_with(app, "高企证书编号")["企业名称"].tolist() == ["辛信息技术有限公司"]
    assert frame_with(app, "倍增进度（倍）")["企业名称"].tolist() == ["庚装备制造有限公司"]
    text = all_text(app)
    assert not any(name in text for name in HUALONG_ONLY)


def test_county_official_cannot_reach_another_unit_by_url(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        app = as_user("qingfeng", "enterprises", query={"unit": "410902"})
    assert_clean(app)
    assert data.ACCESS_DENIED_MESSAGE in [warning.value for warning in app.warning]
    assert sorted(frame_with(app, "企业名称", "有效专利（任一类型）")["企业名称"]) == ["丙食品有限公司", "乙装备制造有限公司"]
    assert not any(name in all_text(app) for name in HUALONG_ONLY)


def test_county_official_cannot_reach_another_unit_by_widget_state(shared_env, auth_file: Path) -> None:
    # What a tampered client could send: the unit selectbox's state set to 华龙区.
    with shared_env(auth_file):
        app = as_user("qingfeng", "enterprises", state={"enterprises_unit": "410902"})
        fees = as_user("qingfeng", "fees", state={"fees_unit": "410902"})
        overview = as_user("qingfeng", "overview", state={"overview_drill_region": "410902"})
    for shown in (app, fees, overview):
        assert_clean(shown)
        assert data.ACCESS_DENIED_MESSAGE in [warning.value for warning in shown.warning]
    assert not any(name in all_text(app) for name in HUALONG_ONLY)
    assert frame_with(fees, "申请号", "预警状态")["申请号"].tolist() == ["QF-E10-0001"]
    assert "共 300 条" in caption_texts(overview)  # 清丰县's valid inventions, not 华龙区's 500


def test_county_official_cannot_open_another_units_enterprise_profile(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        by_url = as_user("qingfeng", "enterprises", query={"enterprise": "E1"})
        by_search = new_app("enterprises", state={SIGNED_IN_KEY: "qingfeng"})
        by_search.run()
        by_search.text_input(key="enterprises_search").input("甲化工")
        by_search.run()
    assert data.ACCESS_DENIED_MESSAGE in [warning.value for warning in by_url.warning]
    assert "### 甲化工有限公司" not in markdown_texts(by_url)
    assert "所选范围内没有匹配的企业" in [info.value for info in by_search.info]


def test_county_official_drill_down_is_limited_to_the_own_unit(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        app = as_user("qingfeng", "overview", query={"metric": "valid_invention_patents", "region": "410902"})
    assert_clean(app)
    assert data.ACCESS_DENIED_MESSAGE in [warning.value for warning in app.warning]
    assert ":material/lock: 县区账号只列出本单位（清丰县）的记录。" in caption_texts(app)
    assert "共 300 条" in caption_texts(app)
    assert set(frame_with(app, "申请号", "归属单位")["归属单位"]) == {"清丰县"}
    # the city totals are still there
    assert metric_value(app, "有效发明专利拥有量") == "884 件"


def test_county_official_sees_counts_of_all_units_but_rows_of_their_own(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        fees = as_user("huanglong", "fees")
        quality = as_user("huanglong", "quality")
        assessment = as_user("huanglong", "assessment")
    by_unit = frame_with(fees, "单位", "预警合计").set_index("单位")
    assert by_unit.loc["清丰县", "预警合计"] == 1  # a count, not a record
    assert set(frame_with(fees, "专利权人", "应缴年费（元）")["专利权人"]) == {"甲化工有限公司", "戊新能源有限公司"}
    assert ":material/lock: 逐行明细含原始数据，仅市级账号可见。" in caption_texts(quality)
    assert not [frame for frame in quality.dataframe if "原始值" in frame.value.columns]
    assert list(frame_with(assessment, "指标", "华龙区").columns) == ["指标", "华龙区", "清丰县", "工业园区"]  # every unit


def test_city_leadership_sees_every_unit(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        app = as_user("city_lead", "enterprises", query={"unit": "410902"})
    assert_clean(app)
    assert not app.warning
    assert frame_with(app, "企业名称", "有效专利（任一类型）")["企业名称"].tolist() == ["己羽绒制品有限公司"]


# --- the rule in the data layer itself -----------------------------------------------------------------

QINGFENG = auth.Viewer("qingfeng", "清丰县", auth.ROLE_UNIT, "410922")
CITY = auth.Viewer("city_lead", "市局", auth.ROLE_CITY)


def test_data_layer_refuses_other_units_records(shared_warehouse: Path) -> None:
    warehouse = data.published_warehouse(shared_warehouse)
    june = date(2025, 6, 30)
    with pytest.raises(data.AccessDenied):
        data.record_scope(warehouse, QINGFENG, "410902")
    with pytest.raises(data.AccessDenied):
        data.record_scope(warehouse, QINGFENG, data.UNATTRIBUTED)
    for name in ("zero", "key", "hightech", "fees"):
        with pytest.raises(data.AccessDenied):
            data.action_list(warehouse, QINGFENG, name, june, "410902")
    with pytest.raises(data.AccessDenied):
        data.metric_records(warehouse, QINGFENG, "valid_invention_patents", june, "410902")
    with pytest.raises(data.AccessDenied):
        data.enterprise_profile(warehouse, QINGFENG, "E1", june)
    with pytest.raises(data.AccessDenied):
        data.fee_warnings_by_enterprise(warehouse, QINGFENG, june, "410902")
    with pytest.raises(data.AccessDenied):
        data.issue_rows(warehouse, QINGFENG, "quarantine")


def test_data_layer_gives_a_county_official_their_own_unit_for_the_city(shared_warehouse: Path) -> None:
    warehouse = data.published_warehouse(shared_warehouse)
    assert data.record_scope(warehouse, QINGFENG, "410900") == ("410922",)
    assert data.record_scope(warehouse, QINGFENG, None) == ("410922",)
    assert data.record_scope(warehouse, CITY, "410900") == ("410902", "410922", "410971", data.UNATTRIBUTED)
    records = data.metric_records(warehouse, QINGFENG, "valid_invention_patents", date(2025, 6, 30), "410900")
    assert records.total == 300
    found = data.enterprise_search(warehouse, QINGFENG, "有限公司")
    assert set(found["region_code"]) == {"410922"}


def test_a_unit_user_of_an_unknown_unit_sees_no_records(shared_warehouse: Path) -> None:
    warehouse = data.published_warehouse(shared_warehouse)
    stranger = auth.Viewer("x", "x", auth.ROLE_UNIT, "419999")
    with pytest.raises(data.AccessDenied):
        data.record_scope(warehouse, stranger, None)


@pytest.mark.parametrize("page, key", [("assessment", "assessment_unit"), ("industries", "industries_region")])
def test_a_unit_officials_pages_open_on_their_own_unit(shared_env, auth_file: Path, page: str, key: str) -> None:
    with shared_env(auth_file):
        app = as_user("qingfeng", page)
    assert_clean(app)
    assert app.selectbox(key=key).value == "410922"  # 清丰县, not the first unit (华龙区) or the city


def test_a_city_user_still_opens_on_the_first_unit_and_the_city(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        assessment, industries = as_user("city_lead", "assessment"), as_user("city_lead", "industries")
    assert assessment.selectbox(key="assessment_unit").value == "410902"
    assert industries.selectbox(key="industries_region").value == "410900"
