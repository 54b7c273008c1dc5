"""The conformance kit itself (yibao.testing and the pytest plugin), run with pytester."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCENARIO = """
region = "shenzhen"

[[scenario]]
name = "credit is 2 percent"
source = "深圳职工一档医保个人账户划入标准为2%"
as_of = 2026-03-01
member = {{ category = "employee", contribution_base = "10000" }}
[scenario.expect]
"credit.monthly_credit" = "{credit}"
"""


def test_a_scenario_file_is_collected_and_passes(pytester: pytest.Pytester):
    pytester.makefile(".scenarios.toml", demo=SCENARIO.format(credit="200.00"))
    result = pytester.runpytest_subprocess("-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*credit is 2 percent PASSED*"])


def test_a_failing_scenario_shows_expected_got_and_its_source(pytester: pytest.Pytester):
    pytester.makefile(".scenarios.toml", demo=SCENARIO.format(credit="999.00"))
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*source: 深圳职工一档医保个人账户划入标准为2%*", "*credit.monthly_credit: expected '999.00', got '200.00'*"]
    )
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'region = "shenzhen"\n[[scenario]]\nname = "x"\nas_of = 2026-03-01\nmember = {category = "employee"}\nexpcet = {}\n',
            "unknown key(s) *expcet",
        ),
        ('region = "shenzhen"\n[[scenario]]\nname = "x"\nmember = {category = "employee"}\nexpect = {}\n', "'as_of' is required"),
        ('[[scenario]]\nname = "x"\nas_of = 2026-03-01\nmember = {category = "employee"}\nexpect = {}\n', "no region"),
        ("region = 'shenzhen'\n[[scenario\n", "cannot read scenarios"),
    ],
    ids=["typo", "missing-date", "no-region", "bad-toml"],
)
def test_a_malformed_scenario_file_is_one_clear_collection_error(pytester: pytest.Pytester, text, message):
    pytester.makefile(".scenarios.toml", demo=text)
    result = pytester.runpytest_subprocess()
    assert result.ret != 0
    result.stdout.fnmatch_lines([f"*{message}*"])


def test_a_scenario_can_expect_an_input_error(pytester: pytest.Pytester):
    pytester.makefile(
        ".scenarios.toml",
        demo='region = "shenzhen"\n[[scenario]]\nname = "flexible tier 2"\nas_of = 2026-03-01\n'
        'member = {category = "flexible", tier = 2}\nraises = "tier"\n',
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_the_contract_passes_for_a_real_region(pytester: pytest.Pytester):
    pytester.makepyfile("from yibao.testing import RegionContract\n\nclass TestIt(RegionContract):\n    region = 'zhejiang'\n")
    result = pytester.runpytest_subprocess()
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 10 and "failed" not in outcomes


def test_the_contract_catches_a_region_without_citations(pytester: pytest.Pytester):
    """A region whose credit answer carries no citation fails the contract (the engine
    fixture is the documented place to point the kit at another engine)."""
    pytester.makepyfile(
        """
        import pytest
        import yibao
        import yibao_regions.guangdong as gd
        import yibao_regions.shenzhen as sz
        from yibao import CreditDecision, hookimpl
        from yibao.testing import RegionContract

        class Bare:
            PARAMETERS = sz.PARAMETERS

            @hookimpl
            def credit_rate(self, member, as_of, params):
                return CreditDecision(has_account=True, monthly_credit=None, modelled=False)

        class TestBare(RegionContract):
            region = "shenzhen"

            @pytest.fixture(scope="class")
            @classmethod
            def engine(cls):
                return yibao.PolicyEngine({"shenzhen": Bare(), "guangdong": gd}, entry_points=False)
        """
    )
    result = pytester.runpytest_subprocess("-q")
    result.stdout.fnmatch_lines(["*without citations*"])
    assert result.ret != 0


def test_the_pytest_plugin_imports_cheaply():
    """Loaded into every pytest run: it must not pull in pluggy, attrs or the engine."""
    code = (
        "import sys, yibao.pytest_plugin; print(sorted(m for m in ('pluggy', 'attr', 'yibao.engine', 'yibao.member') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "['pluggy']" or out == "[]", out  # pytest itself imports pluggy


def test_a_scenario_for_an_unknown_region_fails_in_one_line(pytester: pytest.Pytester):
    pytester.makefile(
        ".scenarios.toml",
        demo='region = "nowhere"\n[[scenario]]\nname = "x"\nas_of = 2026-03-01\nmember = {category = "employee"}\nexpect = {}\n',
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*region 'nowhere' cannot be loaded: unknown region 'nowhere'*"])
    assert len(result.stdout.lines) < 40 and "Traceback" not in result.stdout.str()


MOVE = """
region = "zhejiang"

[[move]]
name = "five months: six paid months first"
source = "断缴3个月后的续缴需连续缴费满6个月,医保待遇方可恢复"
from = "shenzhen"
on = 2026-03-01
member = {{ category = "employee", contributions = [{{ from = "2020-01", to = "2025-09" }}, {{ from = "2026-03", to = "2026-12" }}] }}
[move.expect]
"destination_wait_months" = {wait}
"""


def test_a_move_scenario_is_collected_and_checked(pytester: pytest.Pytester):
    pytester.makefile(".scenarios.toml", good=MOVE.format(wait=6), bad=MOVE.format(wait=3))
    result = pytester.runpytest_subprocess("-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*destination_wait_months: expected 3, got 6*"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'region = "zhejiang"\n[[move]]\nname = "x"\non = 2026-03-01\nmember = {category = "employee"}\nexpect = {}\n',
            "give 'from' or 'to'",
        ),
        (
            'region = "zhejiang"\n[[move]]\nname = "x"\nfrom = "shenzhen"\nmember = {category = "employee"}\nexpect = {}\n',
            "'on' is required",
        ),
        (
            'region = "zhejiang"\n[[move]]\nname = "x"\nto = "jiangxi"\nfrom = "shenzhen"\non = 2026-03-01\nmember = {}\nexpcet = {}\n',
            "unknown key(s) *expcet",
        ),
    ],
    ids=["no-from-or-to", "missing-date", "typo"],
)
def test_a_malformed_move_table_is_one_clear_collection_error(pytester: pytest.Pytester, text, message):
    pytester.makefile(".scenarios.toml", demo=text)
    result = pytester.runpytest_subprocess()
    assert result.ret != 0
    result.stdout.fnmatch_lines([f"*{message}*"])
