"""Sign-in a city IT office accepts: fail closed, lock-out, idle timeout, signed tokens across
refreshes, the access log, the user admin command's checks, and the Streamlit configuration."""

from __future__ import annotations

import inspect
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_apptest import assert_clean, environment, new_app, run_page
from dashboards import access_log, auth, data
from dashboards.components import signin

REPO = Path(__file__).resolve().parents[2]
SIGN_IN_TITLE = "知识产权倍增监测 · 登录"
QF_PASSWORD = "qf-secret-22"


@pytest.fixture
def users(tmp_path: Path) -> Path:
    path = tmp_path / "auth.yaml"
    auth.add_user(path, "city_lead", "city-secret-1", name="市知识产权局", role="city")
    auth.add_user(path, "qingfeng", QF_PASSWORD, name="清丰县市场监管局", role="unit", region_code="410922")
    return path


@pytest.fixture
def env(shared_warehouse: Path, users: Path, tmp_path: Path):
    """The shared hand-made warehouse, this test's user file, its own access log, demo mode off."""
    log = tmp_path / "access_log.jsonl"
    with environment(IPWH_WAREHOUSE=str(shared_warehouse), IPWH_AUTH_CONFIG=str(users), IPWH_ACCESS_LOG=str(log),
                     IPWH_DEMO=None, IPWH_LOCKOUT_FAILURES="3", IPWH_IDLE_MINUTES="30"):
        yield {"users": users, "log": log}


def sign_in(app: AppTest, username: str, password: str) -> AppTest:
    app.text_input(key="sign_in_username").input(username)
    app.text_input(key="sign_in_password").input(password)
    return app.button[0].click().run()


def events(log: Path) -> list[str]:
    return [entry["event"] for entry in access_log.entries(log)]


def is_sign_in_form(app: AppTest) -> bool:
    return bool(app.title) and app.title[0].value == SIGN_IN_TITLE


# --- fail closed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("demo", [None, "0", "no"])
def test_without_a_user_file_the_app_refuses_unless_demo_is_asked_for(shared_warehouse, tmp_path, demo) -> None:
    missing = tmp_path / "auht.yaml"  # IPWH_AUTH_CONFIG with a typo
    with environment(IPWH_WAREHOUSE=str(shared_warehouse), IPWH_AUTH_CONFIG=str(missing), IPWH_DEMO=demo,
                     IPWH_ACCESS_LOG=str(tmp_path / "log.jsonl")):
        app = run_page("overview")
        elsewhere = run_page("enterprises", query={"unit": "410922"})
    for shown in (app, elsewhere):
        assert_clean(shown)
        assert not shown.metric and not shown.dataframe
        assert [error.value for error in shown.error] == [auth.NO_AUTH_FILE_MESSAGE.format(path=missing)]
        assert "未找到登录配置文件" in shown.error[0].value
    assert events(tmp_path / "log.jsonl") == ["refused", "refused"]


def test_demo_mode_opens_only_when_asked_for(shared_warehouse, tmp_path) -> None:
    with environment(IPWH_WAREHOUSE=str(shared_warehouse), IPWH_AUTH_CONFIG=str(tmp_path / "none.yaml"), IPWH_DEMO="1"):
        app = run_page("overview")
    assert_clean(app)
    assert app.metric
    assert signin.DEMO_MODE_NOTE in [note.value for note in app.sidebar.info]


def test_a_user_file_wins_over_the_demo_flag(shared_warehouse, users) -> None:
    with environment(IPWH_WAREHOUSE=str(shared_warehouse), IPWH_AUTH_CONFIG=str(users), IPWH_DEMO="1"):
        app = run_page("overview")
    assert is_sign_in_form(app) and not app.metric


def test_a_broken_user_file_refuses_with_the_reason_in_chinese(shared_warehouse, tmp_path) -> None:
    path = tmp_path / "auth.yaml"
    path.write_text("users:\n  bob:\n    role: admin\n    password_hash: scrypt$1$1$1$a$b\n", encoding="utf-8")
    with environment(IPWH_WAREHOUSE=str(shared_warehouse), IPWH_AUTH_CONFIG=str(path), IPWH_DEMO="1"):
        app = run_page("overview")
    assert not app.metric
    assert app.error[0].value.startswith("登录配置有误，暂不能访问：登录配置中用户 bob 的角色")


def test_demo_sh_asks_for_demo_mode() -> None:
    assert "export IPWH_DEMO=1" in (REPO / "scripts" / "demo.sh").read_text(encoding="utf-8")


# --- lock-out ------------------------------------------------------------------------------------------


def test_lockout_counts_per_user_and_per_client() -> None:
    now = [1000.0]
    lockout = auth.Lockout(max_failures=3, window_seconds=600, clock=lambda: now[0])
    for _ in range(2):
        lockout.failed("qingfeng", "10.0.0.1")
    assert lockout.locked_until("qingfeng", "10.0.0.2") is None
    lockout.failed("QingFeng", "10.0.0.2")
    assert lockout.locked_until("qingfeng", "10.0.0.9") == 1600.0  # the name is locked, from any client
    now[0] = 1601.0
    assert lockout.locked_until("qingfeng", None) is None  # the window has passed
    for name in ("a", "b", "c", "d", "e", "f"):  # one client trying many names: 2 x 3 failures
        lockout.failed(name, "10.0.0.7")
    assert lockout.locked_until("someone_else", "10.0.0.7") is not None
    assert lockout.locked_until("someone_else", "10.0.0.8") is None
    lockout.failed("city_lead", None)
    lockout.succeeded("city_lead")
    assert lockout._failures.get(("user", "city_lead")) is None


def test_after_repeated_failures_even_the_right_password_is_refused_in_a_new_tab(env) -> None:
    app = run_page("overview")
    for _ in range(3):  # IPWH_LOCKOUT_FAILURES=3
        app = sign_in(app, "qingfeng", "wrong-password-1")
        assert [error.value for error in app.error] == [signin.WRONG_PASSWORD_MESSAGE]
    fresh = sign_in(run_page("overview"), "qingfeng", QF_PASSWORD)  # another session of the same server
    assert fresh.error[0].value.startswith("登录失败次数过多")
    assert signin.SIGNED_IN_KEY not in fresh.session_state and not fresh.metric
    other = sign_in(run_page("overview"), "city_lead", "city-secret-1")  # other users are not affected
    assert other.metric
    assert events(env["log"]) == ["sign_in_failed"] * 3 + ["sign_in_locked", "sign_in", "page"]


# --- idle timeout ---------------------------------------------------------------------------------------


def test_an_idle_session_is_signed_out(env) -> None:
    stale = {signin.SIGNED_IN_KEY: "qingfeng", signin._ACTIVE_KEY: time.time() - 31 * 60}
    app = run_page("overview", state=stale)
    assert is_sign_in_form(app) and not app.metric
    assert [note.value for note in app.info] == [signin.IDLE_MESSAGE.format(minutes="30")]
    assert events(env["log"]) == ["idle_timeout"]
    recent = run_page("overview", state={signin.SIGNED_IN_KEY: "qingfeng", signin._ACTIVE_KEY: time.time() - 29 * 60})
    assert recent.metric


def test_a_sign_in_ends_after_the_session_hours_even_when_in_use(env) -> None:
    with environment(IPWH_SESSION_HOURS="8"):
        old = {signin.SIGNED_IN_KEY: "qingfeng", signin._ACTIVE_KEY: time.time() - 60,
               signin._ISSUED_KEY: time.time() - 8 * 3600 - 1}
        app = run_page("overview", state=old)
    assert is_sign_in_form(app) and not app.metric
    assert [note.value for note in app.info] == [signin.EXPIRED_MESSAGE.format(hours="8")]


# --- sessions that survive a refresh: signed tokens --------------------------------------------------------


def test_tokens_are_signed_expire_and_die_with_the_password(users: Path) -> None:
    records = auth.load_users(users)
    secret = auth.session_secret(users)
    assert len(secret) >= 32
    token = auth.issue_token(secret, records["qingfeng"], issued_at=1000, seen_at=1000)
    assert QF_PASSWORD not in token and records["qingfeng"].password_hash not in token

    def check(tok: str, now: float = 1100, users_now=records, key: bytes = secret):
        return auth.verify_token(key, tok, users_now, now=now, session_seconds=3600, idle_seconds=600)

    assert check(token) == auth.TokenClaims("qingfeng", 1000, 1000)
    body, signature = token.split(".")
    forged = auth.issue_token(b"x" * 48, records["city_lead"], issued_at=1000)
    assert check(f"{forged.split('.')[0]}.{signature}") is None  # someone else's name under this signature
    assert check(token, key=b"another-secret-of-32-bytes-or-more!!") is None
    assert check(token, now=1000 + 601) is None  # idle too long
    assert check(auth.issue_token(secret, records["qingfeng"], issued_at=1000, seen_at=4000), now=4700) is None  # expired
    assert check("garbage") is None and check("a.b") is None
    auth.add_user(users, "qingfeng", "a-new-passw0rd", role="unit", region_code="410922")  # set-password
    assert check(token, users_now=auth.load_users(users)) is None
    assert auth.session_secret(users) == secret  # the secret survives edits of the file
    remaining = auth.load_users(users)
    remaining.pop("qingfeng")
    assert check(token, users_now=remaining) is None


def test_a_new_tab_with_the_cookie_is_signed_in_on_the_page_it_asked_for(env, monkeypatch) -> None:
    records = auth.load_users(env["users"])
    token = auth.issue_token(auth.session_secret(env["users"]), records["qingfeng"], issued_at=time.time() - 60)
    monkeypatch.setattr(signin, "_cookie_token", lambda: token)
    app = run_page("fees")
    assert_clean(app)
    assert app.session_state[signin.SIGNED_IN_KEY] == "qingfeng"
    assert app.title[0].value == "濮阳市发明专利年费预警"
    auth.add_user(env["users"], "qingfeng", "changed-passw0rd", role="unit", region_code="410922")
    after_change = run_page("fees")
    assert is_sign_in_form(after_change) and not after_change.metric
    assert events(env["log"])[:2] == ["session_resumed", "page"]


def test_signing_out_ignores_the_cookie_of_the_request(env, monkeypatch) -> None:
    app = sign_in(run_page("overview"), "qingfeng", QF_PASSWORD)
    records = auth.load_users(env["users"])
    token = auth.issue_token(auth.session_secret(env["users"]), records["qingfeng"], issued_at=time.time())
    monkeypatch.setattr(signin, "_cookie_token", lambda: token)
    app.sidebar.button(key="sign_out").click().run()
    assert is_sign_in_form(app)
    app.run()
    assert is_sign_in_form(app)


def test_after_sign_in_the_user_lands_on_the_page_and_query_asked_for(env) -> None:
    app = new_app("enterprises", query={"q": "化工"}).run()
    assert is_sign_in_form(app)
    app = sign_in(app, "qingfeng", QF_PASSWORD)
    assert_clean(app)
    assert app.title[0].value == "濮阳市企业知识产权"
    assert app.session_state["enterprises_search"] == "化工"  # the search the link asked for is filled in


# --- the access log ----------------------------------------------------------------------------------------


def test_sign_ins_pages_and_downloads_are_logged(env) -> None:
    app = sign_in(run_page("overview"), "qingfeng", "wrong-password-1")
    app = sign_in(app, "qingfeng", QF_PASSWORD)
    app.run()  # a rerun of the same page is not a new line
    entries = list(access_log.entries(env["log"]))
    assert [e["event"] for e in entries] == ["sign_in_failed", "sign_in", "page"]
    assert entries[1]["user"] == "qingfeng" and entries[1]["region_code"] == "410922" and entries[1]["role"] == "unit"
    assert entries[2]["page"] == "overview"
    assert QF_PASSWORD not in env["log"].read_text(encoding="utf-8")
    assert "wrong-password-1" not in env["log"].read_text(encoding="utf-8")


def _download_script() -> None:
    import streamlit as st

    from dashboards.auth import Viewer
    from dashboards.components.signin import VIEWER_KEY
    from dashboards.components.tables import logged_download

    st.session_state[VIEWER_KEY] = Viewer("qingfeng", "清丰县", "unit", "410922")
    st.session_state["made"] = logged_download(lambda: b"a,b\n", "清零名单_2025-06.csv")()


def test_a_download_is_logged_when_the_file_is_made(env) -> None:
    app = AppTest.from_function(_download_script).run()
    assert app.session_state["made"] == b"a,b\n"
    [entry] = access_log.entries(env["log"])
    assert (entry["event"], entry["user"], entry["detail"]) == ("download", "qingfeng", "清零名单_2025-06.csv")


def test_every_download_button_is_logged() -> None:
    for module in ("dashboards/components/tables.py", "dashboards/views/assessment.py"):
        text = (REPO / module).read_text(encoding="utf-8")
        assert text.count("st.download_button(") == text.count("data=logged_download(")


# --- the data layer will not read records without a scope ------------------------------------------------


def test_a_record_table_read_without_a_scope_is_refused(shared_warehouse) -> None:
    warehouse = data.published_warehouse(shared_warehouse)
    with pytest.raises(data.ScopeNotApplied):
        data.query(warehouse, "select * from marts.patent_facts")
    with pytest.raises(data.ScopeNotApplied):
        data.query_uncached(warehouse, "select count(*) from audit.quarantine")
    assert not data.query(warehouse, "select * from marts.metric_values limit 1").empty


def test_pages_never_query_the_warehouse_themselves() -> None:
    for path in [*(REPO / "dashboards" / "views").glob("*.py"), *(REPO / "dashboards" / "components").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "data.query" not in text and "import duckdb" not in text and "_cached_frame" not in text, path.name


def test_quality_examples_are_for_the_city_only(shared_warehouse) -> None:
    warehouse = data.published_warehouse(shared_warehouse)
    unit = auth.Viewer("qingfeng", "清丰县", "unit", "410922")
    city = auth.Viewer("lead", "市局", "city")
    for table in ("quarantine", "flags"):
        assert data.issue_counts(warehouse, table, viewer=city)["example"].notna().all()
        assert data.issue_counts(warehouse, table, viewer=unit)["example"].isna().all()
    assert "viewer" in inspect.signature(data.issue_counts).parameters


# --- user admin that checks --------------------------------------------------------------------------------


def _admin(*args: str, stdin: str | None = "pass-word-2024\n", config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboards.auth", "--config", str(config), *args],
        input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True, text=True, cwd=REPO, env={"PATH": "/usr/bin:/bin", "IPWH_REGION_PACK": "puyang"},
    )


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("add-user", "nl", "--role", "unit", "--region", "419999", "--password-stdin"), "pass-word-2024\n",
         "region 419999 is not an assessment unit of region pack 'puyang'"),
        (("add-user", "nl", "--role", "unit", "--region", "410900", "--password-stdin"), "pass-word-2024\n",
         "region 410900 is not an assessment unit"),
        (("add-user", "nl", "--role", "unit", "--region", "410923"), None, "no terminal to ask for the password"),
        (("add-user", "nl", "--role", "city", "--password-stdin"), "short-1\n", "at least 10 characters"),
        (("add-user", "nl", "--role", "city", "--password-stdin"), "no-digits-here\n", "letters and digits"),
        (("add-user", "nanle", "--role", "city", "--password-stdin"), "nanle-2024-pw\n", "must not contain the user name"),
        (("add-user", "nl", "--role", "city", "--password-stdin"), "", "no password on stdin"),
        (("set-password", "nobody", "--password-stdin"), "pass-word-2024\n", "no user nobody"),
    ],
)
def test_admin_errors_are_one_line_without_a_traceback(tmp_path: Path, args, stdin, message) -> None:
    done = _admin(*args, stdin=stdin, config=tmp_path / "auth.yaml")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "auth.yaml").exists() or "nl" not in (tmp_path / "auth.yaml").read_text()


def test_admin_accepts_a_unit_of_the_pack_with_the_password_on_stdin(tmp_path: Path) -> None:
    done = _admin("add-user", "nanle_scj", "--name", "南乐县", "--role", "unit", "--region", "410923", "--password-stdin",
                  config=tmp_path / "auth.yaml")
    assert done.returncode == 0, done.stderr
    assert auth.authenticate(auth.load_users(tmp_path / "auth.yaml"), "nanle_scj", "pass-word-2024").region_code == "410923"


def test_region_codes_come_from_the_region_pack() -> None:
    assert auth.region_pack_units("puyang") == {
        "410902": "华龙区", "410922": "清丰县", "410923": "南乐县", "410926": "范县", "410927": "台前县",
        "410928": "濮阳县", "410971": "河南濮阳工业园区", "410972": "濮阳经济技术开发区",
    }
    assert "410100" in auth.region_pack_units("henan") and "410922" not in auth.region_pack_units("henan")


# --- Streamlit's own configuration ---------------------------------------------------------------------------


def test_streamlit_configuration_in_the_repository() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "viewer"  # no Deploy button, no developer menu
    assert config["client"]["disableDataExport"] is True  # the table toolbar's CSV download is off
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
