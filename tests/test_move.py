"""Moving between regions: ``transfer_in``, ``yibao.move`` and the Guangdong in-province rule.

Each rule's test quotes the sentence it is built from: 医保办发〔2021〕43号 (Xinhua's
summary [M], Art. 2 [H], the procedure [M], all in the research notes), the seed pages
and the regions' own sources.
"""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import yibao
from yibao import InputError, PluginError, TransferInDecision, UnknownRegionError, hookimpl, hookspecs
from yibao.arrivals import Origin

from conftest import BUILT_IN, ROOT

ON = date(2026, 3, 1)
BASE = {"category": "employee", "contribution_base": "12000", "balance": "3560.20"}


def history(last_origin: str, first_destination: str = "2026-03") -> dict:
    """A member paid in the origin from 2020-01 to ``last_origin`` and at the destination from ``first_destination``."""
    return {**BASE, "contributions": [{"from": "2020-01", "to": last_origin}, {"from": first_destination, "to": "2026-12"}]}


NO_GAP, TWO_MONTHS, THREE_MONTHS, FIVE_MONTHS = history("2026-02"), history("2025-12"), history("2025-11"), history("2025-09")

# --- toy regions: a Guangdong city, a destination that records what it is asked -----------

TOY = """
[region]
code = "{code}"
name_zh = "测试市"
name_en = "Toy city"
spec_version = 1
{extra}

[sources.s]
title = "Toy source"
publisher = "Tests"
date = "2026-01-01"

[parameters.toy_flag]
description = "A parameter of the toy region."
unit = "bool"
[[parameters.toy_flag.values]]
from = 2020-01-01
value = true
[[parameters.toy_flag.values.citations]]
source = "s"
quote = "the toy rule"
confidence = "L"
{more}
"""

CEILING = """
[parameters.long_gap_wait_ceiling_months]
description = "The national ceiling on a wait after a long gap (as the baseline will define it)."
unit = "months"
[[parameters.long_gap_wait_ceiling_months.values]]
from = 2021-11-01
value = 6
[[parameters.long_gap_wait_ceiling_months.values.citations]]
source = "s"
quote = "设置不超过6个月的待遇享受等待期"
confidence = "M"
"""


def toy_file(tmp_path: Path, code: str, *, extra: str = "", more: str = "") -> Path:
    path = tmp_path / f"{code}.toml"
    path.write_text(TOY.format(code=code, extra=extra, more=more), encoding="utf-8")
    return path


class Plain:
    """A region with no hooks of its own: every answer comes from the layers below."""

    def __init__(self, parameters: Path) -> None:
        self.PARAMETERS = parameters


class Recorder(Plain):
    """Answers transfer_in by deferring, after noting the origin it was given."""

    seen: list[Origin]

    def __init__(self, parameters: Path) -> None:
        super().__init__(parameters)
        self.seen = []

    @hookimpl
    def transfer_in(self, member, as_of, params, origin):
        self.seen.append(origin)
        return None


class OwnView(Plain):
    """Answers transfer_in with the shared rule from its own view (which holds the ceiling), with no wait of its own."""

    @hookimpl
    def transfer_in(self, member, as_of, params, origin):
        from yibao import arrivals

        return arrivals.decide(member, as_of, params, origin)


class Raising(Plain):
    @hookimpl
    def transfer_in(self, member, as_of, params, origin):
        raise RuntimeError("boom")


class WrongType(Plain):
    @hookimpl
    def transfer_in(self, member, as_of, params, origin):
        return "six months"


def engine_with(**extra: object) -> yibao.PolicyEngine:
    plugins = {code: importlib.import_module(f"yibao_regions.{code}") for code in BUILT_IN}
    return yibao.PolicyEngine({**plugins, **extra}, entry_points=False)


# --- the hook -------------------------------------------------------------------------------


def test_transfer_in_is_a_sixth_hook_within_spec_version_1():
    assert hookspecs.SPEC_VERSION == 1
    assert list(inspect.signature(hookspecs.transfer_in).parameters) == ["member", "as_of", "params", "origin"]
    from yibao.areas import AREAS, HOOKS

    assert len(AREAS) == 5 and [hook for _, hook, _ in HOOKS][-1] == "transfer_in"


def test_the_destination_is_asked_with_the_origin_and_its_province(tmp_path):
    recorder = Recorder(toy_file(tmp_path, "guangzhou", extra='province = "guangdong"'))
    engine = engine_with(guangzhou=recorder)
    engine.move("shenzhen", "guangzhou", NO_GAP, ON)
    engine.move("jiangxi", "guangzhou", NO_GAP, ON)
    first, second = recorder.seen
    assert (first.code, first.province, first.name_en, first.same_province) == ("shenzhen", "guangdong", "Shenzhen", True)
    assert (second.code, second.province, second.same_province) == ("jiangxi", "jiangxi", False)


def test_a_region_without_a_province_gives_same_province_none(tmp_path):
    recorder = Recorder(toy_file(tmp_path, "nowhere_city"))
    result = engine_with(nowhere_city=recorder).move("shenzhen", "nowhere_city", NO_GAP, ON)
    assert recorder.seen[0].same_province is None
    assert result.destination.province is None
    assert any("province" in note for note in result.notes)


def test_a_city_takes_its_parents_province(tmp_path):
    city = Plain(toy_file(tmp_path, "futian", extra='parent = "shenzhen"'))
    engine = engine_with(futian=city)
    assert engine.stack("futian").province == "guangdong"
    statuses = {status.code: status for status in engine.regions()}
    assert statuses["shenzhen"].province == "guangdong" and statuses["zhejiang"].province == "zhejiang"
    assert "transfer_in" in statuses["zhejiang"].hooks


@pytest.mark.parametrize("plugin", [Raising, WrongType])
def test_a_broken_transfer_in_is_that_regions_failure(tmp_path, plugin):
    engine = engine_with(broken=plugin(toy_file(tmp_path, "broken")))
    with pytest.raises(PluginError, match="broken.*transfer_in"):
        engine.move("shenzhen", "broken", NO_GAP, ON)


# --- 43号: a short gap paid back at the destination ----------------------------------------


@pytest.mark.parametrize("member", [TWO_MONTHS, THREE_MONTHS], ids=["2 months", "3 months (含)"])
def test_a_gap_of_3_months_or_less_is_paid_back_benefits_from_the_payment_month(engine, member):
    """43号 (Xinhua, M): "职工医保参保人在转移接续前中断缴费3个月(含)以内的,可按转入地规定补缴…缴费当月即可在
    转入地按规定享受待遇,中断期间的待遇可追溯享受"."""
    result = engine.move("shenzhen", "zhejiang", member, ON)
    assert result.destination_wait_months == 0
    assert result.pooled_benefits_resume == date(2026, 3, 1)  # the payment month at the destination
    assert result.transfer_in.gap_covered is True
    step = next(step for step in result.steps if step.code == "pay_back_gap")
    assert "缴费当月即可在转入地按规定享受待遇" in [c.quote for c in step.citations]
    assert result.modelled


def test_a_short_gap_paid_back_is_not_given_the_regions_own_back_payment_rule(engine):
    """Zhejiang's own rule for a gap paid back inside it (L) asks three months; for a gap
    before a move 43号 (M) says the payment month, which is applied: rule (b) of the
    destination never judges a move, nor (c) a gap inside a region."""
    result = engine.move("shenzhen", "zhejiang", TWO_MONTHS, ON)
    assert result.pooled_benefits_resume == date(2026, 3, 1)
    assert not any(value.name.startswith("back_payment") for value in result.transfer_in.basis)


# --- 43号: after a longer gap, a ceiling, not a rule ---------------------------------------


def test_after_a_long_gap_a_region_without_its_own_wait_is_not_modelled(engine):
    """43号 (Xinhua, M): "各统筹地区可根据自身情况,对中断缴费3个月以上的,设置不超过6个月的待遇享受等待期" —
    an area *may* set a wait of *at most* six months: Jiangxi has no source of its own."""
    result = engine.move("shenzhen", "jiangxi", FIVE_MONTHS, ON)
    assert result.answered_by["transfer_in"] == "national"
    assert result.gap_months == 5
    assert result.destination_wait_months is None and result.pooled_benefits_resume is None
    assert not result.modelled
    assert [item.topic for item in result.not_modelled] == ["transfer_in_wait"]
    assert result.relationship_transferable and result.balance == "moves"  # the rest of the move is known


def test_the_ceiling_is_shown_beside_the_unknown_wait_never_applied(tmp_path):
    """With the national ceiling defined (long_gap_wait_ceiling_months = 6, 43号's "不超过6个月"),
    the answer shows it, and the wait stays null."""
    engine = engine_with(ceilingland=OwnView(toy_file(tmp_path, "ceilingland", more=CEILING)))
    result = engine.move("shenzhen", "ceilingland", FIVE_MONTHS, ON)
    assert result.transfer_in.wait_months is None and result.transfer_in.wait_ceiling_months == 6
    assert result.destination_wait_months is None and result.pooled_benefits_resume is None
    data = result.to_dict()
    assert data["transfer_in"]["wait_ceiling_months"] == 6 and data["transfer_in"]["wait_months"] is None
    assert "at most 6 months" in data["not_modelled"][0]["reason"]
    assert any("at most 6 months" in step["text"] for step in data["steps"])


def test_zhejiang_answers_with_its_own_six_months(engine):
    """Zhejiang (seed 001, L): "断缴3个月后的续缴需连续缴费满6个月,医保待遇方可恢复"."""
    result = engine.move("shenzhen", "zhejiang", FIVE_MONTHS, ON)
    assert result.answered_by["transfer_in"] == "zhejiang"
    assert result.destination_wait_months == 6
    assert result.pooled_benefits_resume == date(2026, 9, 1)  # six paid months from 2026-03, from the 1st of the 7th
    quotes = [c.quote for step in result.steps if step.code == "wait" for c in step.citations]
    assert "断缴3个月后的续缴需连续缴费满6个月,医保待遇方可恢复" in quotes


def test_before_zhejiangs_own_rule_the_national_layer_answers(engine):
    result = engine.move("shenzhen", "zhejiang", {**BASE, "contributions": [{"from": "2020-01", "to": "2024-09"}]}, "2025-03-01")
    assert result.answered_by["transfer_in"] == "national"
    assert result.destination_wait_months is None


def test_shenzhen_as_destination_answers_with_its_next_month_rule(engine):
    """Shenzhen (seed 003, L): "深圳医保断交后重新缴纳,次月即可使用。" — disputed (six months), kept beside."""
    result = engine.move("zhejiang", "shenzhen", FIVE_MONTHS, ON)
    assert result.answered_by["transfer_in"] == "shenzhen"
    assert (result.destination_wait_months, result.pooled_benefits_resume) == (1, date(2026, 4, 1))
    assert any(d.parameter == "transfer_in_wait_months" and d.value == 6 for d in result.disputes())


# --- what moves, what blocks ---------------------------------------------------------------


def test_no_gap_moves_the_relationship_and_the_balance(engine):
    """43号 procedure (M): "转出地经办机构10个工作日内完成…转出…同时划转职工医保个人账户余额";
    "转入地…5个工作日内…将职工医保个人账户金额计入参保人员个人账户"."""
    result = engine.move("shenzhen", "zhejiang", NO_GAP, ON)
    assert (result.relationship_transferable, result.balance, result.blockers) == (True, "moves", ())
    assert result.gap_months == 0 and result.pooled_benefits_resume == date(2026, 3, 1)
    assert result.processing_working_days == {"origin": 10, "destination": 5}
    assert [step.code for step in result.steps] == ["enrol", "apply_transfer", "balance_credited", "years_merged"]
    assert result.answered_by == {"transfer": "shenzhen", "transfer_in": "zhejiang"}


def test_contribution_years_are_merged(engine):
    """Seed 003 (L): "个人跨统筹地区就业时,医保关系随人员转移,缴费年限累计计算,不受断缴时间影响。"."""
    assert engine.move("shenzhen", "zhejiang", NO_GAP, ON).continuity_merged is True
    assert engine.move("shenzhen", "zhejiang", FIVE_MONTHS, ON).continuity_merged is True


def test_a_retiree_is_blocked(engine):
    """43号 Art. 2 (H): "本办法主要适用于职工基本医疗保险参保人员(不含退休人员…)"."""
    result = engine.move("shenzhen", "zhejiang", {"category": "retiree", "pension": "6000", "balance": "800"}, ON)
    assert result.blocked and result.blockers == ("retired",)
    assert result.balance == "stays"
    assert result.pooled_benefits_resume is None and result.destination_wait_months is None
    (step,) = result.steps
    assert step.code == "blocked_retired"
    assert any(c.confidence == "H" and "不含退休人员" in c.quote for c in step.citations)


def test_arrears_block_the_move_until_paid(engine):
    """Shenzhen (seed 003, L): "若存在欠费或参保中断记录,需先补缴或处理欠费后方可申请转移。"."""
    result = engine.move("shenzhen", "zhejiang", {**NO_GAP, "arrears": True}, ON)
    assert result.blockers == ("arrears",) and not result.relationship_transferable
    assert [step.code for step in result.steps] == ["pay_arrears"]


def test_a_tier2_shenzhen_member_moves_the_relationship_without_a_balance(engine):
    """Shenzhen (seed 003, L): "无个人账户的参保人 (如二、三档参保人)无法转移个人账户余额,但基本医保关系可随本人转移。"."""
    result = engine.move("shenzhen", "zhejiang", {**NO_GAP, "tier": 2}, ON)
    assert result.relationship_transferable and result.balance == "none" and result.blockers == ("no_account",)
    assert "no_balance" in [step.code for step in result.steps]
    assert "balance_credited" not in [step.code for step in result.steps]


# --- Guangdong: in the province the balance stays -------------------------------------------


def test_within_guangdong_the_balance_stays_and_across_provinces_it_moves(tmp_path):
    """Guangdong (肇庆本地宝, research notes, L): "个人账户资金跨市使用,不划转、不提现"."""
    engine = engine_with(guangzhou=Plain(toy_file(tmp_path, "guangzhou", extra='province = "guangdong"')))
    inside = engine.move("shenzhen", "guangzhou", NO_GAP, ON)
    assert inside.balance == "stays" and inside.relationship_transferable
    step = next(step for step in inside.steps if step.code == "balance_stays")
    assert [c.quote for c in step.citations] == ["个人账户资金跨市使用,不划转、不提现", "参保关系转移接续时,医保个人账户不划转、不提现,跨市使用、全省通用"]
    assert "balance_credited" not in [s.code for s in inside.steps]
    assert engine.move("shenzhen", "zhejiang", NO_GAP, ON).balance == "moves"


def test_transfer_rules_tell_the_two_cases_apart(engine):
    shenzhen = engine.evaluate("shenzhen", BASE, ON).transfer
    assert (shenzhen.balance_transferable, shenzhen.balance_within_province) == (True, "stays")
    jiangxi = engine.evaluate("jiangxi", BASE, ON).transfer
    assert (jiangxi.balance_transferable, jiangxi.balance_within_province) == (True, "moves")
    assert engine.evaluate("shenzhen", BASE, ON).to_dict()["transfer"]["balance_within_province"] == "stays"


# --- the member's history as the move splits it ---------------------------------------------


def test_without_destination_months_payment_is_taken_to_start_in_the_move_month(engine):
    result = engine.move("shenzhen", "zhejiang", {**BASE, "contributions": [{"from": "2020-01", "to": "2025-12"}]}, ON)
    assert result.destination_start_assumed and result.gap_months == 2
    assert result.first_destination_month == 2026 * 12 + 2
    assert any("taken to start" in note for note in result.notes)


def test_a_member_without_contribution_ranges_has_no_gap(engine):
    result = engine.move("zhejiang", "jiangxi", BASE, ON)
    assert result.gap_months == 0 and result.destination_wait_months == 0 and result.modelled


def test_a_move_date_inside_a_range_splits_it(engine):
    result = engine.move("shenzhen", "zhejiang", {**BASE, "contributions": [{"from": "2020-01", "to": "2026-12"}]}, "2026-03-15")
    assert (result.last_origin_month, result.first_destination_month) == (2026 * 12 + 1, 2026 * 12 + 2)
    assert result.gap_months == 0


# --- bad input -----------------------------------------------------------------------------


def test_the_same_region_twice_is_an_input_error(engine):
    with pytest.raises(InputError) as caught:
        engine.move("shenzhen", "shenzhen", NO_GAP, ON)
    assert caught.value.path == "destination"


def test_an_unknown_region_is_named(engine):
    with pytest.raises(UnknownRegionError, match="atlantis"):
        engine.move("shenzhen", "atlantis", NO_GAP, ON)


def test_a_move_before_the_first_paid_month_is_an_input_error(engine):
    with pytest.raises(InputError, match="2020-01") as caught:
        engine.move("shenzhen", "zhejiang", NO_GAP, "2019-06-01")
    assert caught.value.path == "on"


@pytest.mark.parametrize(
    ("origin", "destination", "on", "path"),
    [(["shenzhen"], "zhejiang", ON, "origin"), ("shenzhen", 7, ON, "destination"), ("shenzhen", "zhejiang", "2026-02-30", "on")],
)
def test_wrong_types_and_impossible_dates_are_input_errors(engine, origin, destination, on, path):
    with pytest.raises(InputError) as caught:
        engine.move(origin, destination, NO_GAP, on)
    assert caught.value.path == path


def test_the_module_level_function_uses_the_default_engine():
    result = yibao.move("shenzhen", "zhejiang", NO_GAP, "2026-03-01")
    assert isinstance(result, yibao.Move) and result.balance == "moves"
    assert isinstance(result.transfer_in, TransferInDecision)


# --- the JSON contract -----------------------------------------------------------------------

MEMBERS = {
    "no gap": NO_GAP,
    "two months": TWO_MONTHS,
    "five months": FIVE_MONTHS,
    "retiree": {"category": "retiree", "pension": "6000"},
    "tier 2": {**NO_GAP, "tier": 2},
    "arrears": {**NO_GAP, "arrears": True},
    "continuous": BASE,
}


@pytest.mark.parametrize("on", ["2021-06-01", "2025-07-01", "2026-03-01"])
@pytest.mark.parametrize("member", list(MEMBERS))
def test_every_move_matches_the_schema(engine, member, on):
    from jsonschema import Draft202012Validator
    from test_contracts import REGISTRY

    schema = json.loads((ROOT / "schemas" / "move.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, registry=REGISTRY)
    for origin in BUILT_IN:
        for destination in BUILT_IN:
            if origin == destination:
                continue
            try:
                data = engine.move(origin, destination, MEMBERS[member], on).to_dict()
            except InputError as exc:
                assert exc.path == "on"  # a history that starts after the date asked about
                continue
            problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
            assert not problems, f"{origin}->{destination}: " + "; ".join(problems)
            assert json.loads(json.dumps(data)) == data
            assert all(step["citations"] for step in data["steps"])


def test_importing_yibao_does_not_load_the_move_modules():
    code = "import sys, yibao; print(sorted(m for m in ('yibao.moving', 'yibao.arrivals', 'yibao.engine') if m in sys.modules)); print(callable(yibao.move))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["[]", "True"]


NINE_MONTHS_WAIT = """
[parameters.transfer_in_wait_months]
description = "The toy region's own wait after a long gap before a move."
unit = "months"
[[parameters.transfer_in_wait_months.values]]
from = 2021-11-01
value = 9
[[parameters.transfer_in_wait_months.values.citations]]
source = "s"
quote = "nine paid months"
confidence = "L"
"""


class OwnWait(Plain):
    @hookimpl
    def transfer_in(self, member, as_of, params, origin):
        from yibao import arrivals

        return arrivals.decide(member, as_of, params, origin, wait=arrivals.own_wait(params, "longwait"))


def test_a_regions_own_wait_applies_and_one_above_the_ceiling_is_flagged(tmp_path):
    engine = engine_with(longwait=OwnWait(toy_file(tmp_path, "longwait", more=CEILING + NINE_MONTHS_WAIT)))
    result = engine.move("shenzhen", "longwait", FIVE_MONTHS, ON)
    assert (result.destination_wait_months, result.pooled_benefits_resume) == (9, date(2026, 12, 1))
    assert result.transfer_in.wait_ceiling_months == 6 and result.modelled
    assert any("longer than the national ceiling of 6 months" in note for note in result.notes)
