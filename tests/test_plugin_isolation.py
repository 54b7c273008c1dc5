"""Issue 21: a plugin's hook cannot change what other layers and regions answer.

Parameter values, their dates and citations are frozen objects shared by every stack
(national's by every region); ``object.__setattr__`` writes a frozen attrs object all
the same. A third-party layer's hooks get copies: what they write reaches no one else.
"""

from __future__ import annotations

from decimal import Decimal

from test_stack import Silent, toy_file

import yibao
from yibao import hookimpl

from conftest import built_in_plugins

MEMBER = {"category": "employee", "contribution_base": 10000, "contributions": [{"from": "2020-01", "to": "2026-02"}]}


class Writes(Silent):
    """Writes into every object its view lets it reach, then defers."""

    @hookimpl
    def credit_rate(self, member, as_of, params):
        for name in ("transfer_days_origin", "credit_rate"):
            applied = params[name]
            if applied is not None:
                object.__setattr__(applied, "value", 999 if name == "transfer_days_origin" else Decimal("0.5"))
                object.__setattr__(applied, "citations", ())
        for parameter in params._known.values():
            for dated in parameter.values:
                object.__setattr__(dated, "value", 999 if isinstance(dated.value, int) else dated.value)
            parameter._applied.clear()
        return None


def answers(engine, days):
    return {
        (code, day): yibao.provenance.timeless(engine.evaluate(code, MEMBER, day).to_dict())
        for code in ("shenzhen", "zhejiang", "jiangxi")
        for day in days
    }


def test_a_hook_writing_shared_parameters_changes_no_other_region(tmp_path):
    """The write once reached every region: a move "within 999 working days"."""
    engine = yibao.PolicyEngine({**built_in_plugins(), "toy": Writes(toy_file(tmp_path, "toy"))}, entry_points=False)
    clean = yibao.PolicyEngine(built_in_plugins(), entry_points=False)
    seen = ("2026-03-01",)
    before = answers(engine, seen)
    for day in ("2026-03-01", "2027-05-01", "2028-06-01"):
        engine.evaluate("toy", MEMBER, day)
    assert answers(engine, seen) == before
    fresh = ("2027-05-01", "2028-06-01", "2029-01-01")  # days no view was built for before the writes
    assert answers(engine, fresh) == answers(clean, fresh)
    transfer = engine.evaluate("shenzhen", MEMBER, "2029-01-01").to_dict()["transfer"]
    assert "999" not in str(transfer)
