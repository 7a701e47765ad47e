"""The sign-in form, the signed-in badge, and the rules around them (Streamlit side of dashboards.auth).

- **Fail closed.** Without a user file nobody gets in (unless ``IPWH_DEMO=1``); a broken file refuses
  too; the reason is shown in Chinese.
- **Who is signed in** lives in ``st.session_state`` under a key no widget uses, so a browser cannot
  set it: the ways in are the form (which checks the password hash) and a signed sign-in token in a
  cookie (``auth.issue_token``: never the password, expiring, invalidated by a new password), which
  carries a sign-in across a refresh, a new tab or a bookmark. Role and unit are read from the user
  file on every run, so removing a user or changing their unit takes effect at once.
- **Lock-out** after repeated failures, per user name and per client address, shared by every
  session of the server process.
- **Idle timeout**: a session unused for ``IPWH_IDLE_MINUTES`` is signed out (the token too), and
  any sign-in ends after ``IPWH_SESSION_HOURS``.
- Every sign-in, failure, lock, sign-out and timeout goes to the access log (dashboards.access_log).

The page asked for (URL path and query) is left untouched while the form shows, so after signing in
the user is where they asked to go.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path

import streamlit as st

from dashboards import access_log, auth
from orchestration.settings import get_settings

SIGNED_IN_KEY = "_ipwh_signed_in_user"
VIEWER_KEY = "_ipwh_viewer"
SIGN_OUT_KEY = "sign_out"
_ISSUED_KEY = "_ipwh_signed_in_at"
_ACTIVE_KEY = "_ipwh_last_active"
_COOKIE_WRITTEN_KEY = "_ipwh_token_written_at"
_NOTICE_KEY = "_ipwh_sign_in_notice"
_TOKEN_SPENT_KEY = "_ipwh_token_spent"
COOKIE_NAME = "ipwh_session"
DEMO_MODE_NOTE = "演示模式：未启用登录"
WRONG_PASSWORD_MESSAGE = "用户名或密码错误"
LOCKED_MESSAGE = "登录失败次数过多，该账号或本机已暂时锁定，请于 {until} 后再试"
IDLE_MESSAGE = "因 {minutes} 分钟未操作，已自动退出登录，请重新登录"
EXPIRED_MESSAGE = "登录已超过 {hours} 小时，请重新登录"
BROKEN_CONFIG_MESSAGE = "登录配置有误，暂不能访问：{problem}"
SIGN_IN_TITLE = "知识产权倍增监测 · 登录"
TOKEN_REFRESH_SECONDS = 60  # how often an active session's token gets a new "last active" time

_LOCKOUTS: dict[str, auth.Lockout] = {}


def config_path() -> Path:
    return auth.default_config_path()


def lockout_for(path: Path) -> auth.Lockout:
    """The lock-out counters of one user file (one per server process)."""
    settings = get_settings()
    key = str(path)
    found = _LOCKOUTS.get(key)
    if found is None or found.max_failures != settings.lockout_failures or found.window_seconds != settings.lockout_minutes * 60:
        found = _LOCKOUTS[key] = auth.Lockout(settings.lockout_failures, settings.lockout_minutes * 60)
    return found


def client_address() -> str | None:
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - outside a browser session there is none
        return None
    return address if isinstance(address, str) and address else None


def _log(event: str, viewer: auth.Viewer | None = None, *, user: str | None = None, detail: str | None = None) -> None:
    access_log.record(
        event,
        user=viewer.username if viewer else user,
        role=viewer.role if viewer else None,
        region_code=viewer.region_code if viewer else None,
        client=client_address(),
        detail=detail,
    )


def current_viewer() -> auth.Viewer | None:
    """The viewer for this run; None after drawing the sign-in form or a refusal (the caller stops there)."""
    settings = get_settings()
    path = config_path()
    try:
        users = auth.load_users(path)
    except auth.AuthConfigError as problem:
        st.error(BROKEN_CONFIG_MESSAGE.format(problem=problem), icon=":material/block:")
        _log("refused", detail=f"broken user file {path}: {problem}")
        return None
    if users is None:
        if settings.demo:
            st.sidebar.info(DEMO_MODE_NOTE, icon=":material/lock_open:")
            st.session_state[VIEWER_KEY] = auth.DEMO_VIEWER
            return auth.DEMO_VIEWER
        st.error(auth.NO_AUTH_FILE_MESSAGE.format(path=path), icon=":material/block:")
        _log("refused", detail=f"no user file {path}")
        return None

    now = time.time()
    idle_seconds = settings.idle_minutes * 60
    username = st.session_state.get(SIGNED_IN_KEY)
    if username is not None:
        record = users.get(username)
        last_active = st.session_state.get(_ACTIVE_KEY, now)
        if record is None:
            _forget_sign_in()
        elif st.session_state.get(SIGN_OUT_KEY):  # the button of the badge, pressed in the last run
            _log("sign_out", record.viewer())
            _forget_sign_in()  # in this run, not before a rerun: the cookie must really be deleted
        elif now - last_active >= idle_seconds:
            _log("idle_timeout", record.viewer())
            _forget_sign_in()
            st.session_state[_NOTICE_KEY] = IDLE_MESSAGE.format(minutes=f"{settings.idle_minutes:g}")
        elif now - st.session_state.get(_ISSUED_KEY, now) >= settings.session_hours * 3600:
            _log("idle_timeout", record.viewer(), detail="session expired")
            _forget_sign_in()
            st.session_state[_NOTICE_KEY] = EXPIRED_MESSAGE.format(hours=f"{settings.session_hours:g}")
        else:
            return _signed_in(record, users, path, now)

    # the cookie of the browser's request that opened this session; not after signing out in it
    token = None if st.session_state.get(_TOKEN_SPENT_KEY) else _cookie_token()
    if token:
        secret = auth.session_secret(path)
        claims = auth.verify_token(secret, token, users, now=now, session_seconds=settings.session_hours * 3600,
                                   idle_seconds=idle_seconds)
        if claims is not None:
            record = users[claims.username]
            st.session_state[SIGNED_IN_KEY] = record.username
            st.session_state[_ISSUED_KEY] = claims.issued_at
            _log("session_resumed", record.viewer())
            return _signed_in(record, users, path, now)
    _sign_in_form(users, path)
    return None


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001 - no browser request
        return None
    return token if isinstance(token, str) and token else None


def _signed_in(record: auth.UserRecord, users: dict[str, auth.UserRecord], path: Path, now: float) -> auth.Viewer:
    viewer = record.viewer()
    st.session_state[_ACTIVE_KEY] = now
    st.session_state[VIEWER_KEY] = viewer
    written = st.session_state.get(_COOKIE_WRITTEN_KEY)
    if written is None or now - written >= TOKEN_REFRESH_SECONDS:
        issued = st.session_state.get(_ISSUED_KEY, now)
        token = auth.issue_token(auth.session_secret(path), record, issued_at=issued, seen_at=now)
        max_age = max(0, int(issued + get_settings().session_hours * 3600 - now))
        _write_cookie(token, max_age)
        st.session_state[_COOKIE_WRITTEN_KEY] = now
    _badge(viewer)
    return viewer


def _write_cookie(value: str, max_age: int) -> None:
    """Set (or, with max_age 0, delete) the sign-in cookie in the browser."""
    cookie = json.dumps(f"{COOKIE_NAME}={value}; path=/; max-age={max_age}; SameSite=Strict")
    st.sidebar.html(
        f"<script>document.cookie = {cookie} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def _forget_sign_in() -> None:
    for key in (SIGNED_IN_KEY, VIEWER_KEY, _ISSUED_KEY, _ACTIVE_KEY):
        st.session_state.pop(key, None)
    st.session_state.pop(_COOKIE_WRITTEN_KEY, None)
    st.session_state[_TOKEN_SPENT_KEY] = True  # this session's request still carries the old cookie
    _write_cookie("", 0)


def _badge(viewer: auth.Viewer) -> None:
    scope = "全部单位" if viewer.sees_all_units else _unit_name(viewer.region_code)
    st.sidebar.success(f"已登录：{viewer.display_name}（{scope}）", icon=":material/person:")
    st.sidebar.button("退出登录", key=SIGN_OUT_KEY)  # handled at the start of the next run (current_viewer)



def _unit_name(region_code: str | None) -> str:
    """清丰县 for 410922 (from the published warehouse), the code only when the name cannot be read."""
    try:
        from dashboards import data

        return data.region_names(data.published_warehouse()).get(region_code, f"单位 {region_code}")
    except Exception:  # no warehouse yet: the pages say so; the badge still says who is signed in
        return f"单位 {region_code}"


def _sign_in_form(users: dict[str, auth.UserRecord], path: Path) -> None:
    st.title(SIGN_IN_TITLE)
    st.caption("请使用分配的账号登录。市级账号可查看全部数据；县区账号可查看全市汇总和本单位的企业明细。")
    notice = st.session_state.pop(_NOTICE_KEY, None)
    if notice:
        st.info(notice, icon="⏱️")
    with st.form("sign_in_form"):
        username = st.text_input("用户名", key="sign_in_username")
        password = st.text_input("密码", type="password", key="sign_in_password")
        submitted = st.form_submit_button("登录")
    if not submitted:
        return
    username = (username or "").strip()
    lockout = lockout_for(path)
    client = client_address()
    locked = lockout.locked_until(username, client)
    if locked is not None:
        _log("sign_in_locked", user=username)
        st.error(LOCKED_MESSAGE.format(until=datetime.fromtimestamp(locked).strftime("%H:%M")), icon=":material/lock:")
        return
    viewer = auth.authenticate(users, username, password or "")
    if viewer is None:
        lockout.failed(username, client)
        _log("sign_in_failed", user=username)
        st.error(WRONG_PASSWORD_MESSAGE, icon=":material/block:")
        return
    lockout.succeeded(username)
    now = time.time()
    st.session_state[SIGNED_IN_KEY] = viewer.username
    st.session_state[_ISSUED_KEY] = now
    st.session_state[_ACTIVE_KEY] = now
    st.session_state.pop(_COOKIE_WRITTEN_KEY, None)
    st.session_state.pop(_TOKEN_SPENT_KEY, None)
    _log("sign_in", viewer)
    st.rerun()
