"""Every page and tab in headless Chromium at 1280×800, 1440×900 and 1920×1080, as a city and a unit user.

Fails on a page error, on None / nan / an English word outside ALLOWED_WORDS anywhere in the page's
text (table cells included), and on a dataframe whose columns do not fit its container (its grid
scrolls sideways: the right-hand columns are cut). Screenshots of the whole page are kept under
tests/dashboard/artifacts/browser/<size>/ (or $IPWH_BROWSER_ARTIFACTS) for a person to look at.
Skipped only when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import publish
from dashboards import auth
from test_dashboard_browser import ARTIFACTS, CHROMIUM, _serve, browser  # noqa: F401  (the shared Chromium)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]

SIZES = ((1280, 800), (1440, 900), (1920, 1080))
# menu title -> the page's heading (from the hand-made warehouse in conftest.py)
PAGES = {
    "总览": "濮阳市知识产权倍增监测 · 总览",
    "县区考核": "濮阳市县区考核",
    "产业": "濮阳市重点产业知识产权",
    "企业": "企业",
    "年费预警": "濮阳市发明专利年费预警",
    "数据质量": "濮阳市数据质量",
}
USERS = {  # role -> (username, password, display name, role, region)
    "city": ("leader", "city-secret-1", "濮阳市市场监管局", "city", None),
    "unit": ("qingfeng", "qf-secret-22", "清丰县市场监管局", "unit", "410922"),
}
# English an official may meet: file formats, classification names, and the command an engineer runs.
ALLOWED_WORDS = frozenset({"Excel", "CSV", "IPC", "PCT", "GB", "T", "xlsx", "csv", "GR", "CN", "ZL", "WO", "EP", "HK", "MO", "TW"})
FORBIDDEN = re.compile(r"(?<![A-Za-z])(None|nan|NaN|NaT|null|undefined)(?![A-Za-z])")
WORD = re.compile(r"[A-Za-z]{2,}")

# The page's text as a reader meets it: icon-font ligatures (check_circle, ...) are pictures, not words.
PAGE_TEXT = """() => {
  const icons = [...document.querySelectorAll('span, i')].filter(
    e => e.children.length === 0 && /Material/i.test(getComputedStyle(e).fontFamily));
  const saved = icons.map(icon => icon.textContent);
  icons.forEach(icon => { icon.textContent = ''; });
  const main = document.querySelector('[data-testid="stMain"]');
  const side = document.querySelector('[data-testid="stSidebar"]');
  const cells = [...document.querySelectorAll('[data-testid="stDataFrame"] [role="gridcell"], '
                 + '[data-testid="stDataFrame"] [role="columnheader"]')].map(c => c.textContent);
  // a hidden sidebar (大屏 mode) shows nothing: its innerText would be its raw text, scripts included
  const text = [(main ? main.innerText : ''), (side && side.checkVisibility() ? side.innerText : ''),
                cells.join('\\n')].join('\\n');
  icons.forEach((icon, i) => { icon.textContent = saved[i]; });
  return text;
}"""

OVERFLOWING_TABLES = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(frame => {
  const scroller = frame.querySelector('.dvn-scroller');
  if (!scroller || frame.offsetParent === null) return null;  // hidden (another tab, a closed expander)
  if (scroller.scrollWidth <= scroller.clientWidth + 2) return null;
  const headers = [...frame.querySelectorAll('[role="columnheader"]')].map(h => h.textContent).slice(0, 4);
  return `${headers.join('|')} (${scroller.scrollWidth}px of columns in ${scroller.clientWidth}px)`;
}).filter(Boolean)"""


def strip_known(text: str) -> str:
    """Text without what is allowed to be Latin: file names, URLs, codes like GR202341000123."""
    text = re.sub(r"[\w./-]*\.(csv|xlsx|xls|pdf|yaml|yml|docx)\b", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\b[0-9A-Z]{18}\b", " ", text)  # unified social credit codes (91410902MA5WM3WD36)
    text = re.sub(r"\b[A-Z]{2,3}(-[A-Z]*\d*[A-Z\d]*)+\b", " ", text)  # the fixture's application numbers (HL-E1-2025-0001)
    return re.sub(r"\b[A-Z]{1,3}\d[\dA-Z.]*\b", " ", text)


def english_words(text: str) -> set[str]:
    return {word for word in WORD.findall(strip_known(text)) if word not in ALLOWED_WORDS}


def problems_on(page, where: str) -> list[str]:
    problems = []
    if page.locator('[data-testid="stException"]').count():
        problems.append(f"{where}: page error: {page.locator('[data-testid=stException]').first.inner_text()[:300]}")
    text = page.evaluate(PAGE_TEXT)
    for match in set(FORBIDDEN.findall(text)):
        problems.append(f"{where}: shows {match!r}")
    words = english_words(text)
    if words:
        context = [text[max(0, m.start() - 15): m.end() + 15].replace("\n", " ") for w in sorted(words)[:5]
                   for m in [re.search(rf"(?<![A-Za-z]){w}(?![A-Za-z])", text)] if m]
        problems.append(f"{where}: English words {sorted(words)[:12]} in {context}")
    for table in page.evaluate(OVERFLOWING_TABLES):
        problems.append(f"{where}: table does not fit: {table}")
    return problems


def settle(page) -> None:
    """Wait for the run to finish (no running indicator) and charts to draw."""
    page.wait_for_timeout(600)
    try:
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=30_000)
    except Exception:
        pass
    page.wait_for_timeout(700)


def shoot(page, path: Path, width: int, height: int) -> None:
    """The whole page: the app scrolls inside its own container, so grow the window to the content."""
    full = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : 0 }"
    )
    page.set_viewport_size({"width": width, "height": min(max(height, int(full)), 12_000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": height})


def sign_in(page, username: str, password: str) -> None:
    page.get_by_text("知识产权倍增监测 · 登录").wait_for(timeout=30_000)  # the form, once the run has drawn it
    page.wait_for_timeout(1000)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("已登录：").first.wait_for(state="attached", timeout=30_000)


@pytest.fixture(scope="module")
def signed_in_url(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("layout")
    warehouse = publish(base / "ipwh.duckdb")
    users = base / "auth.yaml"
    for username, password, name, role, region in USERS.values():
        auth.add_user(users, username, password, name=name, role=role, region_code=region)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield from _serve(warehouse, users, ARTIFACTS / "streamlit-layout.log")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("role", list(USERS))
def test_every_page_reads_whole(browser, signed_in_url: str, size: tuple[int, int], role: str) -> None:
    width, height = size
    folder = ARTIFACTS / f"{width}x{height}"
    folder.mkdir(parents=True, exist_ok=True)
    username, password, *_ = USERS[role]
    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
    problems: list[str] = []
    try:
        page.goto(signed_in_url, wait_until="domcontentloaded")
        sign_in(page, username, password)
        for title, heading in PAGES.items():
            page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
            page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
            settle(page)
            where = f"{role} {width}x{height} {title}"
            problems += problems_on(page, where)
            shoot(page, folder / f"{role}-{title}.png", width, height)
            tabs = page.locator('[data-testid="stMain"] [role="tab"]')
            for index in range(1, tabs.count()):  # the first tab is what the page opened on
                tab = tabs.nth(index)
                name = tab.inner_text().strip()
                tab.click()
                settle(page)
                problems += problems_on(page, f"{where} / {name}")
                shoot(page, folder / f"{role}-{title}-{name}.png", width, height)
    finally:
        page.close()
    assert not problems, "\n".join(problems)


def test_unknown_path_shows_a_chinese_page(browser, signed_in_url: str) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        page.goto(f"{signed_in_url}/no-such-page", wait_until="domcontentloaded")
        sign_in(page, *USERS["city"][:2])
        page.get_by_role("heading", name="页面不存在").wait_for(timeout=30_000)
        assert page.get_by_text("Page not found").count() == 0
        page.screenshot(path=str(ARTIFACTS / "not-found.png"))
    finally:
        page.close()


def test_deep_links_open_the_page_and_period(browser, signed_in_url: str) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        page.goto(f"{signed_in_url}/overview?period=2024-12", wait_until="domcontentloaded")
        sign_in(page, *USERS["city"][:2])
        page.get_by_role("heading", name=PAGES["总览"]).wait_for(timeout=30_000)
        page.get_by_text("数据期：2024年12月末").first.wait_for(timeout=30_000)
        assert page.get_by_text("Page not found").count() == 0
        assert "period=2024-12" in page.url
    finally:
        page.close()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_big_screen_mode_fits_one_screen(browser, signed_in_url: str, size: tuple[int, int]) -> None:
    """大屏: the headline targets, the unit ranking and the 清零 count, all visible without scrolling."""
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
    try:
        page.goto(f"{signed_in_url}/?screen=big", wait_until="domcontentloaded")
        sign_in(page, *USERS["city"][:2])
        page.get_by_text("各单位万人有效发明专利拥有量排名").wait_for(timeout=30_000)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"big-screen-{width}x{height}.png"))
        overflow = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return [m.scrollHeight, m.clientHeight] }"
        )
        assert overflow[0] <= overflow[1] + 2, f"大屏 scrolls at {width}x{height}: {overflow[0]}px of content in {overflow[1]}px"
        for text in ("清零", "各单位万人有效发明专利拥有量排名"):
            assert page.get_by_text(text).first.is_visible()
        assert {"华龙区", "清丰县", "1", "2"} <= set(page.evaluate(PAGE_TEXT).split("\n"))  # the ranking's cells
        assert not problems_on(page, f"big screen {width}x{height}")
    finally:
        page.close()
