"""数据上传: only signed-in data staff get the page; city and unit users (and the demo) never see it.
The preview it shows is orchestration.sources.preview (tests/unit/test_check_file.py)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from dashboard_apptest import assert_clean, run_page
from dashboards import auth
from dashboards.components.signin import SIGNED_IN_KEY


@pytest.fixture(scope="module")
def auth_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("auth_upload") / "auth.yaml"
    auth.add_user(path, "loader", "data-staff-2025", name="数据科", role="data")
    auth.add_user(path, "city_lead", "city-secret-1", name="市知识产权局", role="city")
    auth.add_user(path, "qingfeng", "qf-secret-22", name="清丰县", role="unit", region_code="410922")
    return path


def titles(app) -> list[str]:
    return [t.value for t in app.title]


def test_data_staff_get_the_upload_page(shared_env, auth_file: Path) -> None:
    with shared_env(auth_file):
        app = run_page("upload", state={SIGNED_IN_KEY: "loader"})
    assert_clean(app)
    assert titles(app) == ["数据上传"]
    assert app.selectbox(key="upload_source").value == "自动识别"


@pytest.mark.parametrize("user", ["city_lead", "qingfeng"])
def test_city_and_unit_users_never_see_it(shared_env, auth_file: Path, user: str) -> None:
    with shared_env(auth_file):
        app = run_page("upload", state={SIGNED_IN_KEY: user})
    assert_clean(app)
    assert "数据上传" not in titles(app)


def test_the_demo_never_sees_it(shared_env) -> None:
    with shared_env():
        app = run_page("upload")
    assert "数据上传" not in titles(app)


def test_add_user_accepts_the_data_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "auth.yaml"
    monkeypatch.setattr(sys, "stdin", io.StringIO("data-staff-2026\n"))
    assert auth.main(["--config", str(path), "add-user", "loader", "--role", "data", "--password-stdin"]) == 0
    assert auth.load_users(path)["loader"].role == "data"
    assert auth.load_users(path)["loader"].viewer().sees_all_units


def test_quality_page_shows_profiles_and_unknown_words_by_count(warehouse: Path) -> None:
    import duckdb

    from dashboard_apptest import frame_with

    con = duckdb.connect(str(warehouse))
    try:
        con.execute("ALTER TABLE audit.load_log ADD COLUMN profile VARCHAR")
        con.execute("ALTER TABLE audit.load_log ADD COLUMN unused_headers VARCHAR")
        con.execute("ALTER TABLE audit.load_log ADD COLUMN inferred VARCHAR")
        con.execute("UPDATE audit.load_log SET profile = 'patsnap', unused_headers = '公开(公告)号' WHERE status = 'loaded'")
        for n in range(3):
            con.execute("INSERT INTO audit.quarantine (source, file_name, row_number, column_name, raw_value, rule, message) "
                        "VALUES ('patents', 'patents/x.csv', ?, 'legal_status', '神秘状态', 'unknown_value', 'm')", [n + 1])
        con.execute("INSERT INTO audit.quarantine (source, file_name, row_number, column_name, raw_value, rule, message) "
                    "VALUES ('trademarks', 'trademarks/y.csv', 1, 'status', '商标神秘', 'unknown_value', 'm')")
    finally:
        con.close()
    app = run_page("quality")
    assert_clean(app)
    words = frame_with(app, "取值")
    assert list(zip(words["取值"], words["行数"])) == [("神秘状态", 3), ("商标神秘", 1)]
    profiles = frame_with(app, "导出格式")
    assert set(profiles["导出格式"]) == {"智慧芽 PatSnap"}
    assert set(profiles["未使用的列"]) == {"公开(公告)号"}
