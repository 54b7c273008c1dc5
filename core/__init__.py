"""yibao: employee medical-insurance personal-account rules (职工医保个人账户) as code.

Ask the five questions for a member in a region on a date::

    import yibao
    result = yibao.evaluate("shenzhen", {"category": "employee", "contribution_base": 10000}, "2026-03-01")
    result.credit.monthly_credit      # Decimal('200.00')
    result.to_dict()                  # JSON form: schemas/evaluation.schema.json

Regions are pluggy plugins in the ``yibao.regions`` entry-point group; a plugin
implements hooks with ``from yibao import hookimpl``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ._version import __version__
from .citations import Citation, Dispute, Source
from .compare import Comparison
from .decisions import CreditDecision, Decision, FamilyDecision, LapseDecision, TransferDecision, WithdrawalDecision
from .engine import PolicyEngine, RegionStatus, default_engine
from .errors import InputError, ParameterFileError, PluginError, UnknownRegionError, YibaoError
from .evaluation import Evaluation
from .hookspecs import SPEC_VERSION, hookimpl
from .member import Member
from .money import to_fen
from .parameters import Applied, NotModelled, Params, RegionData, load_region_file

__all__ = [
    "SPEC_VERSION",
    "Applied",
    "Citation",
    "Comparison",
    "CreditDecision",
    "Decision",
    "Dispute",
    "Evaluation",
    "FamilyDecision",
    "InputError",
    "LapseDecision",
    "Member",
    "NotModelled",
    "ParameterFileError",
    "Params",
    "PluginError",
    "PolicyEngine",
    "RegionData",
    "RegionStatus",
    "Source",
    "TransferDecision",
    "UnknownRegionError",
    "WithdrawalDecision",
    "YibaoError",
    "__version__",
    "compare",
    "evaluate",
    "hookimpl",
    "load_region_file",
    "regions",
    "to_fen",
]


def evaluate(region: str, member: Member | Mapping[str, Any], as_of: date | str | None = None) -> Evaluation:
    """Evaluate ``member`` (a mapping as in ``schemas/member.schema.json``, or a
    :class:`Member`) in ``region`` on ``as_of`` (a date or "YYYY-MM-DD"; default today).

    Raises a :class:`YibaoError` (a ``ValueError``) naming the problem on bad input,
    an unknown region or a broken plugin.
    """
    return default_engine().evaluate(region, member, as_of)


def compare(regions: Sequence[str], member: Member | Mapping[str, Any], as_of: date | str | None = None) -> Comparison:
    """The same member in each of ``regions`` (codes, or ``code@YYYY-MM-DD`` for a region on
    another date), side by side; a region whose plugin fails is reported in ``failures``.
    """
    return default_engine().compare(regions, member, as_of)


def regions() -> list[RegionStatus]:
    """Every installed region, loaded, with its status (``loaded`` or ``failed`` and why)."""
    return default_engine().regions()
