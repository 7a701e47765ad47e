"""A real browser on a running app: headless Chromium opens every page and finds its key figures.

Screenshots are kept under tests/dashboard/artifacts/browser/ (or $IPWH_BROWSER_ARTIFACTS) and the
folder is printed. Skipped only when /usr/bin/chromium is absent (CI installs Debian's chromium).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from conftest import publish
from dashboards import auth

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("IPWH_BROWSER_ARTIFACTS", REPO / "tests" / "dashboard" / "artifacts" / "browser"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# url_path -> texts the page must show (from the hand-made warehouse in conftest.py)
EXPECTED = {
    "": ("濮阳市知识产权倍增监测 · 总览", "万人有效发明专利拥有量", "2.45 件/万人", "落后"),
    "assessment": ("濮阳市县区考核", "末位：清丰县（4.29 件/万人）"),
    "industries": ("濮阳市重点产业知识产权", "新一代信息技术"),
    "enterprises": ("清零名单", "乙装备制造有限公司"),
    "fees": ("预警专利合计", "4 件"),
    "quality": ("申请号校验位错误 7 行", "指标口径与设置"),
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(warehouse: Path, auth_config: Path, log: Path, *, demo: bool = False) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "IPWH_WAREHOUSE": str(warehouse), "IPWH_AUTH_CONFIG": str(auth_config),
           "IPWH_DEMO": "1" if demo else ""}
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "dashboards" / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer",
    ]
    with log.open("w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=REPO)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log}")
                time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(f"\nbrowser screenshots: {ARTIFACTS}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("browser")
    warehouse = publish(base / "ipwh.duckdb")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield from _serve(warehouse, base / "no_auth.yaml", ARTIFACTS / "streamlit-demo.log", demo=True)


def _let_charts_draw(page) -> None:
    """Streamlit draws charts after the text; wait (briefly) for the first chart's marks."""
    charts = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
    if page.locator('[data-testid="stVegaLiteChart"]').count():
        try:
            charts.first.wait_for(state="visible", timeout=10_000)
        except Exception:  # a picture without charts is still worth keeping
            pass
    page.wait_for_timeout(800)


def _open(browser, url: str, texts: tuple[str, ...], shot: str) -> None:
    # a tall window: Streamlit scrolls inside its own container, so this is what the picture holds
    page = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="zh-CN")
    try:
        page.goto(url, wait_until="domcontentloaded")
        for index, text in enumerate(texts):
            # table cells are drawn on a canvas: their accessible copies are in the page but hidden
            state = "visible" if index == 0 else "attached"
            page.get_by_text(text, exact=False).first.wait_for(state=state, timeout=30_000)
        _let_charts_draw(page)
        page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("url_path", list(EXPECTED), ids=[path or "overview" for path in EXPECTED])
def test_each_page_shows_its_key_figures(browser, demo_url: str, url_path: str) -> None:
    _open(browser, f"{demo_url}/{url_path}", EXPECTED[url_path], f"{url_path or 'overview'}.png")
    assert (ARTIFACTS / f"{url_path or 'overview'}.png").stat().st_size > 10_000


def test_sign_in_in_the_browser(browser, tmp_path: Path) -> None:
    warehouse = publish(tmp_path / "ipwh.duckdb")
    users = tmp_path / "auth.yaml"
    auth.add_user(users, "qingfeng", "qf-secret-22", name="清丰县市场监管局", role="unit", region_code="410922")
    for url in _serve(warehouse, users, ARTIFACTS / "streamlit-signin.log"):
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        try:
            page.goto(f"{url}/enterprises", wait_until="domcontentloaded")
            page.get_by_text("知识产权倍增监测 · 登录").wait_for(timeout=30_000)
            assert page.get_by_text("乙装备制造有限公司").count() == 0
            page.get_by_label("用户名").fill("qingfeng")
            page.get_by_label("密码").fill("qf-secret-22")
            page.get_by_role("button", name="登录").click()
            page.get_by_text("已登录：清丰县市场监管局").wait_for(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "signed-in.png"), full_page=True)
        finally:
            page.close()
