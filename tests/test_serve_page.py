"""The page at GET /, in a real headless Chromium (Debian's, driven by Playwright):
load it, fill a member, submit, read the answer; screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytest.importorskip("litestar", reason='the service needs its extra: pip install ".[serve]"')
sync_api = pytest.importorskip("playwright.sync_api", reason='the page test needs: pip install ".[browser]"')

from serve_support import live_server  # noqa: E402

from conftest import ROOT  # noqa: E402

CHROMIUM = os.environ.get("YIBAO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="module")
def server():
    with live_server() as base:
        yield base


@pytest.fixture
def page(server, tmp_path):
    """A fresh browser profile; any request to another host fails the test."""
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS, locale="en-US"
        )
        elsewhere: list[str] = []

        def only_this_server(route):
            if urlsplit(route.request.url).netloc == urlsplit(server).netloc:
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        context.route("**/*", only_this_server)
        errors: list[str] = []
        tab = context.new_page()
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        expected = "Failed to load resource: the server responded with a status of 4"  # a refused input, shown to the user

        def console(message):
            if message.type == "error" and not message.text.startswith(expected):
                errors.append(message.text)

        tab.on("console", console)
        yield tab
        context.close()
        assert elsewhere == [], "the page reached for other hosts"
        assert errors == [], "the page's script failed"


def screenshot(tab, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    tab.screenshot(path=str(path), full_page=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / name)
    assert path.stat().st_size > 10_000
    return path


def choose(tab, *codes: str) -> None:
    for box in tab.locator("input[name=region]").all():
        box.set_checked(box.get_attribute("value") in codes)


def test_compare_two_regions_for_the_representative_member(server, page, tmp_path):
    """docs/compare.md: on 2026-11-22 the representative member's benefits are back in
    Shenzhen since 2026-09-01; in Zhejiang they return on 2027-02-01."""
    page.goto(server + "/?lang=en")
    assert page.title() == "Employee medical insurance: personal-account rules"
    choose(page, "shenzhen", "zhejiang")
    page.fill("#contribution_base", "12000")
    periods = page.locator(".period")
    assert periods.count() == 2  # the representative member's two paid periods, pre-filled
    periods.nth(1).locator(".from").fill("2026-08")
    periods.nth(1).locator(".to").fill("2026-12")
    page.fill("#as_of", "2026-11-22")
    page.click("#submit")
    page.wait_for_selector("#summary li")
    lines = page.locator("#summary li").all_inner_texts()
    shenzhen = next(line for line in lines if line.startswith("Shenzhen"))
    zhejiang = next(line for line in lines if line.startswith("Zhejiang"))
    assert "240.00 yuan credited a month" in shenzhen  # 2% of 12,000
    assert "pooled-fund benefits: yes" in shenzhen
    assert "suspended, back from 2027-02-01" in zhejiang
    differing = page.locator("tr.differs th").all_inner_texts()
    assert any(text.startswith("Benefits resume on") for text in differing)
    assert page.locator("#problem").is_hidden()
    text = page.locator("#answer").inner_text()
    assert "[object Object]" not in text  # nested answers (family channels) are spelled out
    cited = page.locator("details.sources cite").all_text_contents()  # compact JSON: titles come from `sources`
    assert any(title.startswith("深圳市医疗保障办法") for title in cited) and "undefined" not in cited
    assert "stays in the account (used across cities)" in text  # Shenzhen: Guangdong's balance stays within the province
    # (no wait_for_function: its string predicate is eval, which the page's CSP forbids)
    images = page.locator("#strips img")
    sync_api.expect(images).to_have_count(2)
    for i in range(2):
        drawn = images.nth(i)
        deadline = time.monotonic() + 10
        while not drawn.evaluate("img => img.complete && img.naturalWidth > 300"):
            assert time.monotonic() < deadline, "a month strip did not load"
            time.sleep(0.05)
    assert [f.get_attribute("data-region") for f in page.locator("#strips figure").all()] == ["shenzhen", "zhejiang"]
    page.click("#provenance summary")
    provenance = page.locator("#provenance li").all_inner_texts()
    assert len(provenance) == 2 and all("national (yibao-policy" in line and "sha256 " in line for line in provenance)
    screenshot(page, tmp_path, "serve-page-compare-en.png")


def test_one_region_in_chinese_then_a_mistake_named_by_its_field(server, page, tmp_path):
    page.goto(server + "/?lang=zh")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    choose(page, "jiangxi")
    page.fill("#contribution_base", "8000")
    page.fill("#as_of", "2026-03-01")
    page.click("#submit")
    page.wait_for_selector("#summary li")
    summary = page.locator("#summary").inner_text()
    assert summary.startswith("江西省") and "每月划入" in summary
    screenshot(page, tmp_path, "serve-page-evaluate-zh.png")

    page.locator(".period .from").first.fill("2025-13")
    page.click("#submit")
    page.wait_for_selector("#problem:not([hidden])")
    assert page.locator("#problem").inner_text().startswith("输入有误:参保人缴费时段第1段的“自”:")  # the field in words


def test_the_coverage_map_is_a_table_read_before_asking(server, page, tmp_path):
    """The page shows GET /v1/coverage as a table: every region, every area, without asking."""
    page.goto(server + "/?lang=en")
    page.wait_for_selector("#coverage-table tbody tr")
    regions = [row.get_attribute("data-region") for row in page.locator("#coverage-table tbody tr").all()]
    assert {"shenzhen", "guangdong", "guangzhou", "hangzhou"} <= set(regions)
    headers = page.locator("#coverage-table thead th").all_inner_texts()
    assert headers[1:] == ["Monthly credit", "Lapse and recovery", "Family mutual aid", "Transfer", "Withdrawal"]
    credit = page.locator('#coverage-table tr[data-region="guangzhou"] td[data-area="credit"]').inner_text()
    assert credit.startswith("no · national")  # no Guangzhou source gives its credit
    withdrawal = page.locator('#coverage-table tr[data-region="guangzhou"] td[data-area="withdrawal"]').inner_text()
    assert withdrawal.startswith("yes · Guangzhou · L")  # the layer by its name
    page.fill("#as_of", "2026-11-22")
    page.dispatch_event("#as_of", "change")
    sync_api.expect(page.locator("#coverage-title")).to_contain_text("2026-11-22")
    screenshot(page, tmp_path, "serve-page-coverage-en.png")
