"""Issue 9, the plugin side: nothing a plugin does takes the host down.

Every faulty plugin here is a real installed distribution (a ``.dist-info`` with an
entry point in a folder on ``sys.path``, see ``fake_dists``), discovered and imported
exactly as pip's work would be. For each fault the test checks the three promises of
docs/plugins.md ("Faults the host survives"): the region is reported (listed as failed
with a one-line reason, or with a warning), the other regions keep working (``compare``
keeps their results), and the API raises a ``PluginError`` (a ``YibaoError``), never the
plugin's own exception.
"""

from __future__ import annotations

import decimal
import importlib
import re
import sys
import warnings
from datetime import date
from decimal import Decimal

import pytest

import yibao
from yibao import PluginError, UnknownRegionError, YibaoError, YibaoWarning
from yibao.provenance import timeless

from conftest import BUILT_IN
from fake_dists import make_dist

MEMBER = {"category": "employee", "contribution_base": "10000"}
AS_OF = "2026-03-01"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path where fake distributions are 'installed'."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    importlib.invalidate_caches()
    for name in set(sys.modules) - before:
        if name.startswith("fake_"):
            del sys.modules[name]


def statuses(engine: yibao.PolicyEngine) -> dict[str, yibao.RegionStatus]:
    return {status.code: status for status in engine.regions()}


# --- 1. BaseException at import and in hooks ------------------------------------------------

IMPORT_FAULTS = {
    "sys-exit-0": ("import sys\nsys.exit(0)\n", "SystemExit(0)"),
    "sys-exit-3": ("import sys\nsys.exit(3)\n", "SystemExit(3)"),
    "system-exit-text": ("raise SystemExit('bye')\n", "SystemExit('bye')"),
    "generator-exit": ("raise GeneratorExit('gone')\n", "GeneratorExit: gone"),
    "base-exception": ("class Odd(BaseException):\n    pass\nraise Odd('odd')\n", "Odd: odd"),
    "str-raises": (
        "class Mute(Exception):\n    def __str__(self):\n        raise RuntimeError\nraise Mute()\n",
        "import failed: Mute",
    ),
}


@pytest.mark.parametrize(("hooks", "reason"), list(IMPORT_FAULTS.values()), ids=list(IMPORT_FAULTS))
def test_anything_raised_at_import_is_the_plugins_reported_failure(site, hooks, reason):
    make_dist(site, "yibao-region-exits", {"exits": "fake_exits"}, hooks=hooks)
    engine = yibao.PolicyEngine()
    listed = statuses(engine)
    assert listed["exits"].status == "failed" and reason in listed["exits"].reason
    assert "\n" not in listed["exits"].reason
    assert listed["shenzhen"].status == "loaded"
    comparison = engine.compare(["shenzhen", "exits"], MEMBER, AS_OF)
    assert set(comparison.results) == {"shenzhen"} and reason in comparison.failures["exits"]
    with pytest.raises(PluginError, match="yibao-region-exits 1.0"):
        engine.evaluate("exits", MEMBER, AS_OF)


def test_registration_that_runs_plugin_code_and_raises_is_its_failure(site):
    # pluggy reads every attribute of the module when it registers it: a module
    # __getattr__ that exits runs then, after the import succeeded.
    hooks = "import sys\ndef __getattr__(name):\n    sys.exit(4)\n"
    make_dist(site, "yibao-region-getattr", {"getattr": "fake_getattr"}, hooks=hooks)
    listed = statuses(yibao.PolicyEngine())
    assert listed["getattr"].status == "failed" and "SystemExit(4)" in listed["getattr"].reason
    assert listed["zhejiang"].status == "loaded"


def test_a_distribution_with_unreadable_entry_points_hides_no_other_region(site):
    """pluggy's trap, and importlib's: ``entry_points()`` raises for every distribution
    when one has a malformed entry_points.txt. Our loader reads them one by one."""
    info = site / "yibao_region_garbled-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: yibao-region-garbled\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[yibao.regions]\nthis line has no equals sign\n", encoding="utf-8")
    make_dist(site, "yibao-region-good", {"good": "fake_good"})
    with pytest.warns(YibaoWarning, match="yibao_region_garbled-1.0.dist-info: its metadata cannot be read"):
        engine = yibao.PolicyEngine()
        codes = engine.codes()
    assert {"good", "shenzhen", "jiangxi", "zhejiang"} <= set(codes)
    assert engine.evaluate("good", MEMBER, AS_OF).credit.monthly_credit == Decimal("500.00")


HOOK_FAULTS = {
    "sys-exit-3": ("    import sys\n    sys.exit(3)\n", "hook credit_rate raised SystemExit(3)"),
    "generator-exit": ("    raise GeneratorExit()\n", "hook credit_rate raised GeneratorExit"),
    "base-exception": ("    raise BaseException('deep')\n", "hook credit_rate raised BaseException: deep"),
    "recursion": ("    return credit_rate(member, as_of, params)\n", "RecursionError"),
}


@pytest.mark.parametrize(("body", "reason"), list(HOOK_FAULTS.values()), ids=list(HOOK_FAULTS))
def test_anything_raised_in_a_hook_fails_that_region_alone(site, body, reason):
    hooks = "from yibao import hookimpl\n@hookimpl\ndef credit_rate(member, as_of, params):\n" + body
    make_dist(site, "yibao-region-bad", {"bad": "fake_bad"}, hooks=hooks)
    engine = yibao.PolicyEngine()
    comparison = engine.compare(["shenzhen", "bad", "zhejiang"], MEMBER, AS_OF)
    assert set(comparison.results) == {"shenzhen", "zhejiang"}
    assert reason in comparison.failures["bad"] and "yibao-region-bad 1.0" in comparison.failures["bad"]
    with pytest.raises(PluginError, match=re.escape(reason)):
        engine.evaluate("bad", MEMBER, AS_OF)
    with pytest.raises(PluginError, match=re.escape(reason)):
        yibao.PolicyEngine(strict=True).compare(["shenzhen", "bad"], MEMBER, AS_OF)


def test_keyboard_interrupt_in_a_hook_still_interrupts(site):
    """Ctrl-C is the user's, not the plugin's: it is never swallowed as a failure."""
    hooks = "from yibao import hookimpl\n@hookimpl\ndef credit_rate(member, as_of, params):\n    raise KeyboardInterrupt\n"
    make_dist(site, "yibao-region-ctrlc", {"ctrlc": "fake_ctrlc"}, hooks=hooks)
    with pytest.raises(KeyboardInterrupt):
        yibao.PolicyEngine().evaluate("ctrlc", MEMBER, AS_OF)


# --- 2. output at import is captured and reported -------------------------------------------

NOISY = (
    """
import sys
print("hello from the plugin")
print("and a debug line", file=sys.stderr)
"""
    + __import__("fake_dists").GOOD_HOOKS
)


def test_what_a_plugin_prints_at_import_is_captured_and_reported(site, capsys):
    make_dist(site, "yibao-region-noisy", {"noisy": "fake_noisy"}, hooks=NOISY)
    engine = yibao.PolicyEngine()
    with pytest.warns(YibaoWarning) as caught:
        listed = statuses(engine)
    out, err = capsys.readouterr()
    assert out == "" and err == ""  # nothing reached the real streams
    assert listed["noisy"].status == "loaded"
    assert any("'hello from the plugin'" in w for w in listed["noisy"].warnings)
    assert any("stderr" in w and "debug line" in w for w in listed["noisy"].warnings)
    assert listed["noisy"].to_dict()["warnings"] == list(listed["noisy"].warnings)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2 and all("yibao-region-noisy 1.0" in m for m in messages)
    assert any("wrote to stdout at import" in m for m in messages) and any("wrote to stderr at import" in m for m in messages)
    assert engine.evaluate("noisy", MEMBER, AS_OF).credit.monthly_credit == Decimal("500.00")  # still usable


# --- 3. decisions checked field by field ------------------------------------------------------

CREDIT = "from datetime import date, datetime\nfrom decimal import Decimal\nfrom yibao import *\n@hookimpl\ndef credit_rate(member, as_of, params):\n    rate = params['credit_rate']\n    return CreditDecision(basis=(rate,), {fields})\n"
BAD_CREDITS = {
    "float-credit": ("has_account=True, monthly_credit=1.5", "monthly_credit is float 1.5"),
    "sub-fen-credit": ("has_account=True, monthly_credit=Decimal('1.234')", "monthly_credit is Decimal Decimal('1.234')"),
    "nan-credit": ("has_account=True, monthly_credit=Decimal('NaN')", "monthly_credit"),
    "infinite-credit": ("has_account=True, monthly_credit=Decimal('Infinity')", "monthly_credit"),
    "negative-credit": ("has_account=True, monthly_credit=Decimal('-1.00')", "non-negative"),
    "huge-credit": ("has_account=True, monthly_credit=Decimal('1e40')", "monthly_credit"),
    "float-base": ("has_account=True, monthly_credit=Decimal('1.00'), base_applied=10000.0", "base_applied is float"),
    "int-has-account": ("has_account=1, monthly_credit=Decimal('1.00')", "has_account is int 1"),
    "float-rate": ("has_account=True, monthly_credit=Decimal('1.00'), rate=0.02", "rate is float"),
    "exponent-rate": ("has_account=True, monthly_credit=Decimal('1.00'), rate=Decimal('2E+1')", "rate is Decimal"),
    "list-notes": ("has_account=True, monthly_credit=Decimal('1.00'), notes=['a']", "notes"),
    "int-in-notes": ("has_account=True, monthly_credit=Decimal('1.00'), notes=('a', 2)", "notes"),
    "bad-basis": ("has_account=True, monthly_credit=Decimal('1.00'), citations=('x',)", "citations[0] is str"),
    "modelled-none": ("has_account=True, monthly_credit=Decimal('1.00'), modelled=None", "modelled is NoneType"),
}


@pytest.mark.parametrize(("fields", "reason"), list(BAD_CREDITS.values()), ids=list(BAD_CREDITS))
def test_a_credit_decision_with_a_bad_field_is_the_plugins_failure(site, fields, reason):
    make_dist(site, "yibao-region-sloppy", {"sloppy": "fake_sloppy"}, hooks=CREDIT.format(fields=fields))
    engine = yibao.PolicyEngine()
    with pytest.raises(PluginError) as raised:
        engine.evaluate("sloppy", MEMBER, AS_OF)
    message = str(raised.value)
    assert "hook credit_rate returned a CreditDecision with a bad field" in message and reason in message
    assert "yibao-region-sloppy 1.0" in message and "\n" not in message
    comparison = engine.compare(["sloppy", "shenzhen"], MEMBER, AS_OF)
    assert set(comparison.results) == {"shenzhen"} and reason in comparison.failures["sloppy"]
    comparison.to_dict()  # what remains serialises


OWN_APPLIED = """
from datetime import date, datetime
from decimal import Decimal
from yibao import Applied, CreditDecision, hookimpl

@hookimpl
def credit_rate(member, as_of, params):
    rate = params["credit_rate"]
    own = Applied("bonus", "sloppy", {value}, {start}, None, False, rate.citations)
    return CreditDecision(has_account=True, monthly_credit=Decimal("1.00"), basis=(rate, own))
"""


@pytest.mark.parametrize(
    ("value", "start", "reason"),
    [
        ("object()", "date(2026, 1, 1)", "basis[1] ('bonus'): value holds object"),
        ("(Decimal('1'), Decimal('NaN'))", "date(2026, 1, 1)", "basis[1] ('bonus'): value holds Decimal"),
        ("1", "datetime(2026, 1, 1)", "basis[1] ('bonus'): start and end must be datetime.date"),
    ],
    ids=["object", "nan-in-a-tuple", "datetime"],
)
def test_an_applied_value_a_plugin_builds_itself_must_serialise(site, value, start, reason):
    make_dist(site, "yibao-region-sloppy", {"sloppy": "fake_sloppy"}, hooks=OWN_APPLIED.format(value=value, start=start))
    with pytest.raises(PluginError, match=re.escape(reason)):
        yibao.PolicyEngine().evaluate("sloppy", MEMBER, AS_OF)


def test_an_applied_a_plugin_builds_soundly_is_accepted(site):
    make_dist(
        site,
        "yibao-region-tidy",
        {"tidy": "fake_tidy"},
        hooks=OWN_APPLIED.replace("sloppy", "tidy").format(value="(Decimal('0.5'), 'x')", start="date(2026, 1, 1)"),
    )
    result = yibao.PolicyEngine().evaluate("tidy", MEMBER, AS_OF)
    assert result.to_dict()["credit"]["parameters"][1] == {
        "name": "bonus",
        "layer": "tidy",
        "value": ["0.5", "x"],
        "from": "2026-01-01",
        "to": None,
        "stale": False,
    }


OTHER = "from datetime import date, datetime\nfrom yibao import *\n@hookimpl\ndef {hook}(member, as_of, params):\n    rate = params['credit_rate']\n    return {kind}(basis=(rate,), {fields})\n"
BAD_OTHERS = {
    "lapse-datetime": (
        "lapse_effect",
        "LapseDecision",
        "last_paid_month=None, pooled_benefits=True, pooled_benefits_end=datetime(2026, 1, 1), pooled_benefits_resume=None, "
        "account_usable=True, continuity_reset=False",
        "pooled_benefits_end is datetime",
    ),
    "lapse-month-as-text": (
        "lapse_effect",
        "LapseDecision",
        "last_paid_month='2026-01', pooled_benefits=True, pooled_benefits_end=None, pooled_benefits_resume=None, "
        "account_usable=True, continuity_reset=False",
        "last_paid_month is str",
    ),
    "lapse-negative-gap": (
        "lapse_effect",
        "LapseDecision",
        "last_paid_month=None, pooled_benefits=True, pooled_benefits_end=None, pooled_benefits_resume=None, "
        "account_usable=True, continuity_reset=False, gap_months=-1",
        "gap_months is int -1",
    ),
    "family-list": ("family_scope", "FamilyDecision", "relations=['spouse'], uses=(), scope=None", "relations is list"),
    "family-unknown-relation": ("family_scope", "FamilyDecision", "relations=('cousin',), uses=(), scope=None", "relations[0] is 'cousin'"),
    "family-scope": ("family_scope", "FamilyDecision", "relations=(), uses=(), scope='planet'", "scope is 'planet'"),
    "transfer-blocker-text": (
        "transfer_rules",
        "TransferDecision",
        "relationship_transferable=True, balance_transferable=True, blockers=('Not Allowed',)",
        "blockers[0] is 'Not Allowed'",
    ),
    "withdrawal-string": ("withdrawal_conditions", "WithdrawalDecision", "grounds='emigration'", "grounds is str"),
}


@pytest.mark.parametrize(("hook", "kind", "fields", "reason"), list(BAD_OTHERS.values()), ids=list(BAD_OTHERS))
def test_other_decisions_with_a_bad_field_are_the_plugins_failure(site, hook, kind, fields, reason):
    make_dist(site, "yibao-region-sloppy", {"sloppy": "fake_sloppy"}, hooks=OTHER.format(hook=hook, kind=kind, fields=fields))
    with pytest.raises(PluginError, match=f"hook {hook} returned a {kind} with a bad field") as raised:
        yibao.PolicyEngine().evaluate("sloppy", MEMBER, AS_OF)
    assert reason in str(raised.value)


def test_only_yibao_policys_own_layers_skip_the_run_time_checks(site, engine):
    make_dist(site, "yibao-region-good", {"good": "fake_good"})
    installed = yibao.PolicyEngine()
    assert installed.layer("shenzhen").trusted and installed.layer("national").trusted
    assert not installed.layer("good").trusted
    assert not engine.layer("shenzhen").trusted  # registered directly, as the test suite does: checked on every evaluation


def test_every_built_in_decision_passes_the_field_checks(engine):
    """The checks are the contract, not stricter: the built-in regions meet them on
    members of every kind (a failure here would be a PluginError from the evaluation)."""
    members = [
        {"category": "employee", "tier": 1, "contribution_base": "6727.245"},
        {"category": "employee", "tier": 2, "contribution_base": "40000"},
        {"category": "flexible", "contribution_base": "5000.005"},
        {"category": "retiree", "pension": "4000"},
        {"category": "employee", "contributions": [{"from": "2019-01", "to": "2025-04"}, {"from": "2025-09", "to": "2026-12"}]},
    ]
    for region in ("shenzhen", "jiangxi", "zhejiang"):
        for member in members:
            for day in ("2020-01-01", "2023-10-01", "2026-03-01", "2030-01-01"):
                engine.evaluate(region, member, day).to_dict()


# --- 4. reserved codes ------------------------------------------------------------------------


def test_a_third_party_shenzhen_never_displaces_the_built_in(site):
    make_dist(site, "yibao-region-usurper", {"shenzhen": "fake_usurper"}, rate="0.50")
    engine = yibao.PolicyEngine()
    with pytest.warns(YibaoWarning, match="also registered by yibao-region-usurper 1.0: ignored"):
        listed = statuses(engine)
    assert listed["shenzhen"].status == "loaded" and listed["shenzhen"].distribution == "yibao-policy"
    assert any("yibao-region-usurper" in w and "reserved" in w for w in listed["shenzhen"].warnings)
    result = engine.evaluate("shenzhen", MEMBER, AS_OF)
    assert result.answered_by["credit"] == "shenzhen" and result.credit.monthly_credit == Decimal("200.00")  # 2%, not 50%
    assert "fake_usurper" not in sys.modules  # never imported


def test_a_third_party_national_is_a_reported_conflict_and_national_is_no_region(site):
    make_dist(site, "yibao-region-nation", {"national": "fake_nation"})
    engine = yibao.PolicyEngine()
    with pytest.warns(YibaoWarning, match="'national' is reserved"):
        listed = statuses(engine)
    assert listed["national"].status == "failed" and "reserved" in listed["national"].reason
    assert "yibao-region-nation" in listed["national"].reason
    assert "national" not in engine.codes()
    with pytest.raises(UnknownRegionError, match="'national' is the baseline beneath every region"):
        engine.evaluate("national", MEMBER, AS_OF)
    with pytest.raises(UnknownRegionError):
        engine.compare(["shenzhen", "national"], MEMBER, AS_OF)
    assert engine.evaluate("shenzhen", MEMBER, AS_OF).layers == ("national", "guangdong", "shenzhen")


def test_national_is_refused_everywhere_without_any_plugin(engine):
    with pytest.raises(UnknownRegionError, match="not a region to evaluate"):
        engine.evaluate("national", MEMBER, AS_OF)
    with pytest.raises(UnknownRegionError):
        engine.stack("national")
    with pytest.raises(yibao.InputError, match="national"):
        yibao.PolicyEngine({"national": object()}, entry_points=False)


# --- 5. Python callers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda: yibao.evaluate(["shenzhen"], MEMBER, AS_OF), "region"),
        (lambda: yibao.evaluate(None, MEMBER, AS_OF), "region"),
        (lambda: yibao.evaluate(7, MEMBER, AS_OF), "region"),
        (lambda: yibao.compare(None, MEMBER, AS_OF), "regions"),
        (lambda: yibao.compare(42, MEMBER, AS_OF), "regions"),
        (lambda: yibao.compare([1, 2], MEMBER, AS_OF), "regions"),
        (lambda: yibao.compare([["shenzhen"]], MEMBER, AS_OF), "regions"),
        (lambda: yibao.compare(b"shenzhen", MEMBER, AS_OF), "regions"),
        (lambda: yibao.evaluate("shenzhen", MEMBER, 20260301), "as_of"),
        (lambda: yibao.PolicyEngine(load="yibao-region-x"), "load"),
        (lambda: yibao.PolicyEngine(disable=[None]), "disable"),
        (lambda: yibao.PolicyEngine(plugins=["shenzhen"]), "plugins"),
        (lambda: yibao.PolicyEngine().layer(["shenzhen"]), "region"),
        (lambda: yibao.PolicyEngine(entry_points="no"), "entry_points"),
        (lambda: yibao.load_region_file(None), "path"),
        (lambda: yibao.load_region_file(123), "path"),
        (lambda: yibao.PolicyEngine(load=()).stack("shenzhen").evaluate({"category": "employee"}, date(2026, 3, 1)), "member"),
        (lambda: yibao.PolicyEngine(load=()).stack("shenzhen").evaluate(yibao.Member(category="employee"), "2026-03-01"), "as_of"),
        (lambda: yibao.PolicyEngine().stack({"shenzhen"}), "region"),
    ],
)
def test_bad_arguments_from_python_are_input_errors(call, path):
    with pytest.raises(yibao.InputError) as raised:
        call()
    assert raised.value.path == path


def test_disable_none_means_nothing_disabled():
    assert "shenzhen" in yibao.PolicyEngine(disable=None, load=()).codes()


def test_regions_given_as_any_iterable_are_compared():
    comparison = yibao.compare(iter(["shenzhen", "zhejiang"]), MEMBER, AS_OF)
    assert set(comparison.results) == {"shenzhen", "zhejiang"}


@pytest.mark.parametrize("settings", [{"prec": 3}, {"prec": 1, "rounding": decimal.ROUND_DOWN}, {"traps": [decimal.Inexact]}])
def test_the_callers_decimal_context_changes_nothing(settings):
    member = {"category": "employee", "contribution_base": "12345.67"}
    expected = yibao.evaluate("shenzhen", member, AS_OF).to_dict()
    with decimal.localcontext() as context:
        for name, value in settings.items():
            if name == "traps":
                for trap in value:
                    context.traps[trap] = True
            else:
                setattr(context, name, value)
        result = yibao.evaluate("shenzhen", member, AS_OF)
        assert result.credit.monthly_credit == Decimal("246.91")  # 12,345.67 x 2% = 246.9134
        assert timeless(result.to_dict()) == timeless(expected)  # all but the moment of evaluation
        assert yibao.compare(["shenzhen", "zhejiang"], member, AS_OF).failures == {}
        assert decimal.getcontext().prec == settings.get("prec", 28)  # the caller's context is back


def test_a_hook_that_changes_the_decimal_context_changes_it_for_itself_only(site):
    hooks = "import decimal\n" + __import__("fake_dists").GOOD_HOOKS.replace(
        "    rate = params", "    decimal.getcontext().prec = 2\n    rate = params"
    )
    make_dist(site, "yibao-region-prec", {"prec": "fake_prec"}, hooks=hooks)
    engine = yibao.PolicyEngine()
    member = {"category": "employee", "contribution_base": "12345.67"}
    engine.evaluate("prec", member, AS_OF)
    assert decimal.getcontext().prec == 28
    assert engine.evaluate("shenzhen", member, AS_OF).credit.monthly_credit == Decimal("246.91")


# --- 7. environment booleans and unknown names -----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "strict"),
    [("1", True), ("true", True), ("TRUE", True), ("Yes", True), (" on ", True)]
    + [("0", False), ("false", False), ("False", False), ("no", False), ("OFF", False), ("", False), ("  ", False)],
)
def test_yibao_strict_plugins_reads_the_usual_spellings(monkeypatch, raw, strict):
    monkeypatch.setenv("YIBAO_STRICT_PLUGINS", raw)
    assert yibao.PolicyEngine.from_environment().strict is strict


@pytest.mark.parametrize("raw", ["2", "maybe", "flase", "y e s"])
def test_yibao_strict_plugins_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("YIBAO_STRICT_PLUGINS", raw)
    with pytest.raises(yibao.InputError, match="YIBAO_STRICT_PLUGINS: .* is not a boolean") as raised:
        yibao.evaluate("shenzhen", MEMBER, AS_OF)
    assert raised.value.path == "YIBAO_STRICT_PLUGINS"


def test_unknown_distribution_names_in_the_controls_are_warned_about(site, monkeypatch):
    make_dist(site, "yibao-region-one", {"one": "fake_one"})
    monkeypatch.setenv("YIBAO_LOAD_PLUGINS", "yibao-region-one,yibao-region-oen")
    monkeypatch.setenv("YIBAO_DISABLE_PLUGINS", "Yibao_Region_Tow")
    with pytest.warns(YibaoWarning) as caught:
        codes = yibao.PolicyEngine.from_environment().codes()
    messages = [str(w.message) for w in caught]
    assert any("YIBAO_LOAD_PLUGINS names 'yibao-region-oen'" in m for m in messages)
    assert any("YIBAO_DISABLE_PLUGINS names 'yibao-region-tow'" in m for m in messages)
    assert not any("'yibao-region-one'" in m for m in messages)  # installed: no warning
    assert "one" in codes
    with pytest.warns(YibaoWarning, match=r"PolicyEngine\(disable=\.\.\.\) names 'nothing-here'"):
        yibao.PolicyEngine(disable=["nothing-here"]).codes()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yibao.PolicyEngine(load=["yibao-region-one", "yibao-policy"]).codes()  # every name known: silent


# --- 8. money in the API is what JSON shows ----------------------------------------------------


@pytest.mark.parametrize("region", BUILT_IN)
def test_the_base_applied_is_held_at_the_fen_and_base_times_rate_gives_the_credit(evaluate, region):
    """Contract: "Money is decimal.Decimal ... rounded to the fen ROUND_HALF_UP; what the
    API holds is what JSON shows" (common rules). 6,727.245 is Shenzhen's 2026 floor
    with a sub-fen tail; 6,727.245 rounds half-up to 6,727.25. A region whose credit is
    not modelled on the date shows no base at all."""
    result = evaluate(region, {"category": "employee", "contribution_base": "6727.245"}, AS_OF)
    credit, shown = result.credit, result.to_dict()["credit"]
    if credit.monthly_credit is None:
        assert credit.base_applied is None and shown["base_applied"] is None and region not in ("shenzhen", "jiangxi")
        return
    assert credit.base_applied == Decimal("6727.25")
    assert str(credit.base_applied) == shown["base_applied"]
    assert yibao.to_fen(credit.base_applied * credit.rate) == credit.monthly_credit
    assert str(credit.monthly_credit) == shown["monthly_credit"]


def test_the_reserved_codes_are_the_entry_points_yibao_policy_registers():
    from yibao.plugins import BUILT_IN_CODES

    from conftest import ROOT

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert set(project["entry-points"]["yibao.regions"]) == BUILT_IN_CODES


def test_errors_are_yibao_errors():
    assert issubclass(PluginError, YibaoError) and issubclass(YibaoWarning, UserWarning)


# --- the docs' credit_rate examples meet the checks ------------------------------------------


def _python_block(doc: str, containing: str) -> str:
    import re as _re

    from conftest import ROOT

    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    blocks = [block for block in _re.findall(r"```python\n(.*?)```", text, _re.S) if containing in block]
    assert len(blocks) == 1, f"{doc}: expected one python block with {containing!r}"
    return blocks[0]


@pytest.mark.parametrize(("doc", "code"), [("hooks.md", "jiangxi"), ("plugins.md", "foshan")])
def test_the_documented_credit_rate_examples_run_and_hold_money_at_the_fen(tmp_path, doc, code):
    """Both examples are registered directly (so every decision is checked) and given a
    base with a sub-fen tail: base_applied is shown and held at the fen."""
    import types

    from conftest import ROOT
    from fake_dists import REGION_TOML

    module = types.ModuleType(f"doc_example_{code}")
    exec(_python_block(doc, "def credit_rate"), module.__dict__)  # noqa: S102 - the documented code, as written
    if code == "jiangxi":  # hooks.md reads credit_rate, the region's own value of the national parameter
        module.PARAMETERS = ROOT / "regions" / "jiangxi" / "region.toml"
    else:
        toml = tmp_path / "region.toml"
        toml.write_text(REGION_TOML.format(code=code, name_zh="佛山市", name_en="Foshan", spec=1, rate="0.02"), encoding="utf-8")
        module.PARAMETERS = toml
    engine = yibao.PolicyEngine({code: module}, entry_points=False)
    result = engine.evaluate(code, {"category": "employee", "contribution_base": "10000.005"}, AS_OF)
    assert result.answered_by["credit"] == code
    assert result.credit.base_applied == Decimal("10000.01") and result.credit.monthly_credit == Decimal("200.00")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("    import sys\n    sys.exit(3)\n", "hook transfer_in raised SystemExit(3)"),
        (
            "    from yibao.decisions import TransferInDecision\n"
            "    return TransferInDecision(payable_gap_months=3.0, short_gap_wait_months=0, gap_covered=True, wait_months=None,"
            " basis=(params['credit_rate'],))\n",
            "payable_gap_months is float 3.0",
        ),
    ],
    ids=["sys-exit", "float-months"],
)
def test_the_transfer_in_hook_is_isolated_and_checked_too(site, body, reason):
    hooks = "from yibao import hookimpl\n@hookimpl\ndef transfer_in(member, as_of, params, origin):\n" + body
    make_dist(site, "yibao-region-port", {"port": "fake_port"}, hooks=hooks)
    member = {"category": "employee", "contribution_base": "10000", "contributions": [{"from": "2020-01", "to": "2026-02"}]}
    with pytest.raises(PluginError, match=re.escape(reason)):
        yibao.PolicyEngine().move("shenzhen", "port", member, AS_OF)


def test_plugins_loaded_from_many_threads_leave_stdout_as_it_was(site):
    """Eight threads each load a plugin that prints at import: every capture is undone
    in order, so the process keeps its own stdout and stderr."""
    import threading

    from fake_dists import GOOD_HOOKS

    for i in range(8):
        make_dist(site, f"yibao-region-talker{i}", {f"talker{i}": f"fake_talker{i}"}, hooks=f"print('talker {i}')\n" + GOOD_HOOKS)
    engine = yibao.PolicyEngine()
    engine.codes()
    stdout, stderr = sys.stdout, sys.stderr
    results: dict[int, Decimal] = {}
    barrier = threading.Barrier(8)

    def load(i: int) -> None:
        barrier.wait()
        results[i] = engine.evaluate(f"talker{i}", MEMBER, AS_OF).credit.monthly_credit

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", YibaoWarning)
        threads = [threading.Thread(target=load, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sys.stdout is stdout and sys.stderr is stderr
    assert results == dict.fromkeys(range(8), Decimal("500.00"))


@pytest.mark.parametrize("amount", [1.5, "1.50", 2, None, Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("1e40")])
def test_to_fen_refuses_what_is_not_a_finite_decimal(amount):
    with pytest.raises(yibao.InputError) as raised:
        yibao.to_fen(amount)
    assert raised.value.path == "amount"


def test_to_fen_rounds_half_up_whatever_the_callers_context():
    with decimal.localcontext(decimal.Context(prec=2, rounding=decimal.ROUND_DOWN)):
        assert yibao.to_fen(Decimal("12345.675")) == Decimal("12345.68")
    with pytest.raises(yibao.InputError, match="strict"):
        yibao.PolicyEngine(strict="no")


def test_the_hardened_api_stays_light():
    """Isolation, checks and capture are standard library only: evaluating, comparing
    and listing regions import no test, web, data or CLI package."""
    import subprocess

    heavy = {"hypothesis", "numpy", "pandas", "pyarrow", "jsonschema", "pydantic", "fastjsonschema", "rich", "typer", "click"}
    code = (
        "import sys, yibao\n"
        "yibao.evaluate('shenzhen', {'category': 'employee', 'contribution_base': 1}, '2026-03-01')\n"
        "yibao.compare(['shenzhen', 'zhejiang'], {'category': 'employee'}, '2026-03-01')\n"
        "yibao.regions()\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env={**__import__("os").environ, "YIBAO_LOAD_PLUGINS": ""}
    )
    assert done.returncode == 0, done.stderr
    assert heavy.isdisjoint(done.stdout.split()), heavy & set(done.stdout.split())


def test_a_plugin_whose_parameter_file_never_ends_fails_alone(site):
    """``PARAMETERS = "/dev/zero"``: read up to 1 MiB, then refused, like a member file."""
    make_dist(site, "yibao-region-endless", {"endless": "fake_endless"}, hooks="PARAMETERS = '/dev/zero'\n")
    listed = statuses(yibao.PolicyEngine())
    assert listed["endless"].status == "failed"
    assert "parameter file: /dev/zero: the file is larger than 1 MiB" in listed["endless"].reason
    assert listed["shenzhen"].status == "loaded"
