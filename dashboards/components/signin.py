"""The sign-in form and the signed-in badge (Streamlit side of dashboards.auth).

Who is signed in lives in ``st.session_state`` under a key no widget uses, so a browser cannot set
it: the only way in is the form, which checks the password hash. The user's role and unit are read
from the user file on every run, so removing a user or changing their unit takes effect at once.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from dashboards import auth

SIGNED_IN_KEY = "_ipwh_signed_in_user"
_FAILURES_KEY = "_ipwh_sign_in_failures"
DEMO_MODE_NOTE = "演示模式：未启用登录"
WRONG_PASSWORD_MESSAGE = "用户名或密码错误"
SIGN_IN_TITLE = "知识产权倍增监测 · 登录"


def config_path() -> Path:
    return auth.default_config_path()


def current_viewer() -> auth.Viewer | None:
    """The viewer for this run; None after drawing the sign-in form (the caller stops there).

    Without a user file: the demo viewer (everything visible), and the sidebar says so.
    """
    try:
        users = auth.load_users(config_path())
    except auth.AuthConfigError as problem:
        st.error(f"登录配置有误，暂不能访问：{problem}", icon=":material/block:")
        return None
    if users is None:
        st.sidebar.info(DEMO_MODE_NOTE, icon=":material/lock_open:")
        return auth.DEMO_VIEWER
    username = st.session_state.get(SIGNED_IN_KEY)
    if username in users:
        viewer = users[username].viewer()
        _badge(viewer)
        return viewer
    st.session_state.pop(SIGNED_IN_KEY, None)
    _sign_in_form(users)
    return None


def _badge(viewer: auth.Viewer) -> None:
    scope = "全部单位" if viewer.sees_all_units else _unit_name(viewer.region_code)
    st.sidebar.success(f"已登录：{viewer.display_name}（{scope}）", icon=":material/person:")
    if st.sidebar.button("退出登录", key="sign_out"):
        st.session_state.pop(SIGNED_IN_KEY, None)
        st.rerun()


def _unit_name(region_code: str | None) -> str:
    """清丰县 for 410922 (from the published warehouse), the code only when the name cannot be read."""
    try:
        from dashboards import data

        return data.region_names(data.published_warehouse()).get(region_code, f"单位 {region_code}")
    except Exception:  # no warehouse yet: the pages say so; the badge still says who is signed in
        return f"单位 {region_code}"


def _sign_in_form(users: dict[str, auth.UserRecord]) -> None:
    st.title(SIGN_IN_TITLE)
    st.caption("请使用分配的账号登录。市级账号可查看全部数据；县区账号可查看全市汇总和本单位的企业明细。")
    with st.form("sign_in_form"):
        username = st.text_input("用户名", key="sign_in_username")
        password = st.text_input("密码", type="password", key="sign_in_password")
        submitted = st.form_submit_button("登录")
    if not submitted:
        return
    viewer = auth.authenticate(users, username or "", password or "")
    if viewer is None:
        failures = st.session_state.get(_FAILURES_KEY, 0) + 1
        st.session_state[_FAILURES_KEY] = failures
        time.sleep(min(0.2 * failures, 2.0))  # slows guessing down
        st.error(WRONG_PASSWORD_MESSAGE, icon=":material/block:")
        return
    st.session_state[_FAILURES_KEY] = 0
    st.session_state[SIGNED_IN_KEY] = viewer.username
    st.rerun()
