"""The page for the people who use it (issue 19), in a real headless Chromium at 1280 px
and 360 px, in both languages: a still-paying history, a move, numbers as the CLI prints
them, a strip that fits a phone, errors in the page's language. Screenshots of each width
and language go to docs/screens/ (small PNGs, what docs/serve.md shows)."""

from __future__ import annotations

import re
import time

import pytest

from test_serve_page import CHROMIUM, FLAGS, ROOT, sync_api, urlsplit  # noqa: F401  (skips as that module does)
from serve_support import live_server

SCREENS = ROOT / "docs" / "screens"
WIDTHS = {"wide": 1280, "phone": 360}
IDENTIFIER = re.compile(r"\b(?:[a-z]+_[a-z_]+|national|shenzhen|zhejiang|jiangxi|hangzhou|nanchang|undefined|null)\b")


@pytest.fixture(scope="module")
def server():
    with live_server() as base:
        yield base


@pytest.fixture(params=["wide", "phone"])
def tab(request, server, tmp_path):
    width = WIDTHS[request.param]
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": width, "height": 900}, locale="en-US",
        )
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == urlsplit(server).netloc else route.abort())
        errors: list[str] = []
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.width_name = request.param  # type: ignore[attr-defined]
        yield page
        context.close()
        assert errors == [], "the page's script failed"


def wait_for_strips(page, count: int) -> None:
    images = page.locator("#strips img")
    sync_api.expect(images).to_have_count(count, timeout=15000)
    for i in range(count):
        deadline = time.monotonic() + 10
        while not images.nth(i).evaluate("img => img.complete && img.naturalWidth > 300"):
            assert time.monotonic() < deadline, "a month strip did not load"
            time.sleep(0.05)


def fits(page) -> None:
    """Nothing wider than the window: no sideways scrolling, the strip inside the screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    for head in page.locator("table.answer thead th").all():  # a region's name whole on its line, never "Shenzhe" / "n"
        assert head.evaluate("th => th.scrollWidth <= th.clientWidth"), head.inner_text()
        if " " not in head.inner_text().strip():  # one word: one line
            assert head.evaluate("th => { const r = document.createRange(); r.selectNodeContents(th); return r.getClientRects().length; }") == 1, head.inner_text()
    for box in page.locator("#strips img").all():
        right = box.evaluate("img => img.getBoundingClientRect().right")
        assert right <= page.viewport_size["width"], "months 11-12 off screen"


def still_paying(page) -> None:
    """examples/history.json: 2024-01..2025-06, then from 2025-12 with no end (still paying)."""
    page.select_option("#category", "flexible")
    page.fill("#contribution_base", "7000")
    rows = page.locator(".period")
    rows.nth(0).locator(".from").fill("2024-01")
    rows.nth(0).locator(".to").fill("2025-06")
    rows.nth(1).locator(".from").fill("2025-12")
    rows.nth(1).locator(".to").fill("")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_still_paying_history_compared_with_the_default_regions(tab, tmp_path, lang):
    tab.goto(SERVER_URL(tab) + f"/?lang={lang}")
    checked = [box.get_attribute("value") for box in tab.locator("input[name=region]:checked").all()]
    assert checked == ["shenzhen", "zhejiang"]  # the pair a user most likely compares
    still_paying(tab)
    tab.fill("#as_of", "2026-07-01")
    tab.click("#submit")
    tab.wait_for_selector("#summary li")
    assert tab.locator("#problem").is_hidden(), tab.locator("#problem").inner_text()
    summary = tab.locator("#summary").inner_text()
    if lang == "zh":
        assert "深圳市" in summary and "浙江省" in summary and "每月划入 140.00 元" in summary  # 2% of 7,000
    else:
        assert "140.00 yuan credited a month (2% of 7,000.00)" in summary
    text = tab.locator("#answer").inner_text()
    assert "0.02" not in text and "7000.00" not in text  # as the CLI: 2%, 7,000.00
    assert ("未建模" if lang == "zh" else "not modelled") in text  # Zhejiang's credit, in words
    wait_for_strips(tab, 2)
    fits(tab)
    if lang == "zh":
        tab.click("#provenance summary")
        shown = tab.evaluate("document.body.innerText")  # the whole page: form, answer, sources, provenance
        found = IDENTIFIER.findall(shown.replace("yibao-policy", "").replace("yibao ", ""))
        assert found == [], f"English identifiers on the zh page: {sorted(set(found))}"
    shot(tab, f"page-compare-{lang}-{tab.width_name}.png")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_move_shows_the_answer_the_steps_and_the_destinations_strip(tab, lang):
    tab.goto(SERVER_URL(tab) + f"/?lang={lang}")
    tab.fill("#contribution_base", "12000")
    tab.fill("#balance", "3560.20")
    rows = tab.locator(".period")
    rows.nth(0).locator(".from").fill("2020-01")
    rows.nth(0).locator(".to").fill("2025-09")
    rows.nth(1).locator(".from").fill("2026-03")
    rows.nth(1).locator(".to").fill("")
    tab.select_option("#origin", "shenzhen")
    tab.select_option("#destination", "zhejiang")
    tab.fill("#on", "2026-03-01")
    tab.click("#move-submit")
    tab.wait_for_selector("#move-steps li")
    head = tab.locator("#summary").inner_text()
    if lang == "zh":  # what `policy move --lang zh` prints
        assert "医保关系和个人账户余额(3,560.20 元)转入浙江省" in head
        assert "自 2026-09-01 起恢复:浙江省要求中断5个月后连续缴费6个月" in head
    else:
        assert "The insurance relationship and the balance (3,560.20 yuan) move to Zhejiang." in head
        assert "Covered again on 2026-09-01" in head
    assert tab.locator("#move-steps li").count() == 5
    wait_for_strips(tab, 1)
    assert tab.locator("#strips figure").get_attribute("data-region") == "zhejiang"
    fits(tab)
    if lang == "zh":
        found = IDENTIFIER.findall(tab.locator("#answer").inner_text())
        assert found == [], sorted(set(found))
    shot(tab, f"page-move-{lang}-{tab.width_name}.png")


@pytest.mark.parametrize(("lang", "expected"), [("zh", "输入有误:参保人缴费时段第1段的“自”:'2025-13' 不是 YYYY-MM 格式的月份"),
                                                 ("en", "Input problem: “from” of period 1 of the contribution periods: '2025-13' is not a month")])
def test_a_mistake_is_named_in_the_pages_language(tab, lang, expected):
    if tab.width_name == "phone":
        pytest.skip("one width is enough for the message")
    tab.goto(SERVER_URL(tab) + f"/?lang={lang}")
    tab.locator(".period .from").first.fill("2025-13")
    tab.click("#submit")
    tab.wait_for_selector("#problem:not([hidden])")
    assert tab.locator("#problem").inner_text().startswith(expected)


def SERVER_URL(tab) -> str:  # noqa: N802  (the module's server, as the fixture chain gives it)
    return _BASE[0]


_BASE: list[str] = []


@pytest.fixture(autouse=True)
def _remember(server):
    _BASE[:] = [server]


def shot(tab, name: str) -> None:
    """A small PNG of the viewport (not the whole page) into docs/screens/."""
    SCREENS.mkdir(exist_ok=True)
    tab.locator("#answer").evaluate("node => window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - 8)")
    tab.screenshot(path=str(SCREENS / name), full_page=False)
    assert (SCREENS / name).stat().st_size > 5_000
