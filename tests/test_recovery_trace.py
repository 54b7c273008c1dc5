"""The recovery rules name each decision they make with ``yibao.tracing.step`` (issue 16):
gap length, long or short, which rule judges, the back-payment window, the resume date,
what is not modelled. Recorded only while an explanation is being built."""

from __future__ import annotations

from datetime import date

import yibao
from yibao import tracing


class Recorder:
    def __init__(self) -> None:
        self.steps: list[tuple[str, dict]] = []

    def step(self, code, *, en, zh, facts, params, outcome):
        assert en and zh  # every step says what it did in both languages
        self.steps.append((code, {"en": en, "facts": facts, "params": params, "outcome": outcome}))


def recorded(region: str, member: dict, as_of: str) -> list[tuple[str, dict]]:
    recorder = Recorder()
    token = tracing.ACTIVE.set(recorder)
    try:
        yibao.PolicyEngine(load=()).evaluate(region, member, as_of)
    finally:
        tracing.ACTIVE.reset(token)
    return recorder.steps


def test_a_long_gap_in_zhejiang_is_explained_step_by_step():
    """Last paid month 2026-02 → a gap of 5 months → more than 3 → six paid months → covered from 2027-02-01."""
    member = {"category": "employee", "contributions": [{"from": "2019-01", "to": "2026-02"}, {"from": "2026-08"}]}
    steps = dict(recorded("zhejiang", member, "2026-10-01"))
    assert steps["lapse.gap_length"]["outcome"] == 5 and "2026-02" in steps["lapse.gap_length"]["en"]
    assert steps["lapse.gap_long"]["outcome"] is True and steps["lapse.gap_long"]["params"] == ("long_gap_months",)
    assert steps["lapse.resume_date"]["outcome"] == "2027-02-01" and "6 paid month" in steps["lapse.resume_date"]["en"]


def test_a_back_payment_names_its_window_and_whether_the_gap_is_covered():
    member = {
        "category": "employee",
        "contributions": [
            {"from": "2024-01", "to": "2026-03"},
            {"from": "2026-04", "to": "2026-06", "paid": "back_paid", "paid_in": "2026-07"},
            {"from": "2026-07"},
        ],
    }
    steps = dict(recorded("hangzhou", member, "2026-07-15"))
    assert steps["lapse.back_payment_window"]["outcome"] is True
    assert steps["lapse.back_paid_covered"]["outcome"] is False
    assert steps["lapse.resume_date"]["outcome"] == "2026-08-01"
    assert steps["lapse.gap_length"]["facts"]["gap.paid_in"] == "2026-07"


def test_what_no_source_settles_is_a_step_too():
    member = {"category": "employee", "contributions": [{"from": "2024-01", "to": "2026-01"}, {"from": "2026-04"}]}
    codes = [code for code, _ in recorded("jiangxi", member, "2026-05-01")]
    assert "lapse.not_modelled" in codes and "lapse.gap_length" in codes


def test_a_move_names_the_destinations_own_wait():
    member = {"category": "employee", "contributions": [{"from": "2020-01", "to": "2025-09"}, {"from": "2026-03"}]}
    recorder = Recorder()
    token = tracing.ACTIVE.set(recorder)
    try:
        yibao.PolicyEngine(load=()).move("shenzhen", "nanchang", member, date(2026, 3, 1))
    finally:
        tracing.ACTIVE.reset(token)
    steps = dict(recorder.steps)
    assert steps["transfer_in.wait"]["outcome"] == 3


def test_nothing_is_recorded_without_an_explanation():
    assert not tracing.recording()
