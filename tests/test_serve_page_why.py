"""The page's "为什么 / why" (static/why.js), in a real headless Chromium: under an
answer's area it unfolds that area's steps, under a month strip a month's steps."""

from __future__ import annotations

import pytest

pytest.importorskip("litestar", reason='the service needs its extra: pip install ".[serve]"')
pytest.importorskip("playwright.sync_api", reason='the page test needs: pip install ".[browser]"')

from test_serve_page import choose, page, pytestmark, screenshot, server  # noqa: E402,F401


def test_why_unfolds_the_steps_of_an_area_and_of_a_month(server, page, tmp_path):  # noqa: F811
    page.goto(server + "/?lang=en")
    choose(page, "zhejiang")
    page.fill("#contribution_base", "10000")
    periods = page.locator(".period")
    periods.nth(0).locator(".from").fill("2024-01")
    periods.nth(0).locator(".to").fill("2026-02")
    periods.nth(1).locator(".from").fill("2026-08")
    periods.nth(1).locator(".to").fill("2026-12")
    page.fill("#as_of", "2026-10-01")
    page.click("#submit")
    page.wait_for_selector("details.why[data-area=lapse]")
    assert page.locator("details.why").count() == 5  # one under each area's table
    page.click("details.why[data-area=lapse] summary")
    page.wait_for_selector("details.why[data-area=lapse] ol.why-steps li")
    steps = page.locator("details.why[data-area=lapse] ol.why-steps li")
    codes = [item.get_attribute("data-code") for item in steps.all()]
    assert "stack.answered" in codes and "stack.overridden" in codes
    texts = steps.all_inner_texts()
    assert any("long_gap_wait_months = 6" in text for text in texts)
    assert any(text.startswith("×") for text in texts)  # the national layer's own rule, shown overridden
    assert page.locator("details.why[data-area=lapse] cite").count() > 0  # each value with its passage
    heading = page.locator("details.why[data-area=lapse] p.why-area").first.inner_text()
    assert heading == "Lapse and recovery · answered by Zhejiang"  # by label and name, not lapse · zhejiang
    # a month of the strip
    page.click("#strips figure[data-region=zhejiang] details.why-month summary")
    page.wait_for_selector("#strips details.why-month ol.why-own li")
    assert page.locator("#strips details.why-month select option").count() > 12
    assert page.locator("#strips details.why-month select").input_value() == "2026-10"
    own = page.locator("#strips details.why-month ol.why-own li").first.inner_text()
    assert own.startswith("2026-10 is paid")
    page.select_option("#strips details.why-month select", "2026-05")
    sync_api = pytest.importorskip("playwright.sync_api")
    sync_api.expect(page.locator("#strips details.why-month ol.why-own li").first).to_have_text("2026-05 is not paid; judged by zhejiang's rules in force on 2026-05-01")
    screenshot(page, tmp_path, "serve-page-why-en.png")
