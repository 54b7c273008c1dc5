"""Hangzhou (杭州市), a city on Zhejiang: its own ground for paying out the balance.
Checked against the sentence of the source it encodes."""

from __future__ import annotations

from datetime import date

HZ = "hangzhou"
MEMBER = {"category": "employee", "contribution_base": "10000"}


def test_the_stack_is_national_zhejiang_hangzhou(evaluate):
    assert evaluate(HZ, MEMBER, "2026-03-01").layers == ("national", "zhejiang", HZ)


def test_a_non_local_member_insured_nowhere_else_has_the_account_settled(evaluate):
    """Hangzhou pages (research notes, L): "非本市户籍且未在其他统筹地参保的,可按规定办理个人账户清算";
    beside the national "如出国定居、死亡等"."""
    result = evaluate(HZ, MEMBER, "2026-03-01")
    assert result.answered_by["withdrawal"] == HZ
    assert result.withdrawal.grounds == ("emigration", "death", "non_local_uninsured_elsewhere")
    grounds = result.withdrawal.basis[0]
    assert (grounds.layer, grounds.start, grounds.start_uncertain) == (HZ, date(2021, 4, 13), True)  # the reformed account, not the notes' date
    assert [c.confidence for c in result.withdrawal.all_citations()] == ["L", "L"]


def test_zhejiang_itself_keeps_the_national_grounds(evaluate):
    """A city rule, not seen for the province: Zhejiang lists it as not modelled."""
    assert evaluate("zhejiang", MEMBER, "2026-03-01").withdrawal.grounds == ("emigration", "death")


def test_before_the_pages_zhejiang_and_the_national_layer_answer(evaluate):
    result = evaluate(HZ, MEMBER, "2026-01-09")
    assert result.answered_by["withdrawal"] == HZ  # undated pages: from the reformed account (2021-04-13), start uncertain
    assert evaluate(HZ, MEMBER, "2021-04-12").answered_by["withdrawal"] == "national"
    assert result.answered_by["lapse"] == "hangzhou"  # its own back-payment rule (2025-04-19), Zhejiang's six months beneath
    assert {a.name: a.layer for a in result.lapse.basis}["long_gap_wait_months"] == "zhejiang"
