"""yibao: employee medical-insurance personal-account rules (职工医保个人账户) as code.

Ask the five questions for a member in a region on a date::

    import yibao
    result = yibao.evaluate("shenzhen", {"category": "employee", "contribution_base": 10000}, "2026-03-01")
    result.credit.monthly_credit      # Decimal('200.00')
    result.to_dict()                  # JSON form: schemas/evaluation.schema.json

Regions are pluggy plugins in the ``yibao.regions`` entry-point group; a plugin
implements hooks with ``from yibao import hookimpl``.

``import yibao`` is cheap: each name below is imported from its module on first use
(PEP 562), so a pytest plugin or a script that needs one piece pays for that piece.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

#: Public name -> the module that defines it.
_EXPORTS = {
    "SPEC_VERSION": "hookspecs",
    "hookimpl": "hookspecs",
    "Applied": "parameters",
    "NotModelled": "parameters",
    "Params": "parameters",
    "RegionData": "parameters",
    "load_region_file": "parameters",
    "Citation": "citations",
    "Dispute": "citations",
    "Source": "citations",
    "Comparison": "comparison",
    "CreditDecision": "decisions",
    "Decision": "decisions",
    "FamilyChannel": "decisions",
    "FamilyDecision": "decisions",
    "LapseDecision": "decisions",
    "TransferDecision": "decisions",
    "WithdrawalDecision": "decisions",
    "PolicyEngine": "engine",
    "RegionStatus": "engine",
    "InputError": "errors",
    "ParameterFileError": "errors",
    "PluginError": "errors",
    "UnknownRegionError": "errors",
    "YibaoError": "errors",
    "YibaoWarning": "errors",
    "Evaluation": "evaluation",
    "Member": "member",
    "to_fen": "money",
    "Reform": "reform",
    "evaluate": "api",
    "explain": "api",
    "Explanation": "explaining",
    "compare": "api",
    "regions": "api",
    "timeline": "api",
    "Timeline": "timelines",
    "move": "api",
    "Move": "moving",
    "Origin": "arrivals",
    "TransferInDecision": "decisions",
}

__all__ = [
    "Applied",
    "Citation",
    "Comparison",
    "CreditDecision",
    "Decision",
    "Dispute",
    "Evaluation",
    "FamilyChannel",
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
    "SPEC_VERSION",
    "Source",
    "TransferDecision",
    "UnknownRegionError",
    "WithdrawalDecision",
    "YibaoError",
    "YibaoWarning",
    "__version__",
    "compare",
    "evaluate",
    "explain",
    "Explanation",
    "hookimpl",
    "load_region_file",
    "regions",
    "to_fen",
    "Reform",
    "timeline",
    "Timeline",
    "tracing",
    "move",
    "Move",
    "Origin",
    "TransferInDecision",
]


#: Public submodules, imported on first use like the names above.
_MODULES = frozenset({"tracing"})


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        found = globals()[name] = import_module(f".{name}", __name__)
        return found
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'yibao' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # what type checkers and IDEs see
    from .api import compare, evaluate, explain, move, regions, timeline
    from .arrivals import Origin
    from .citations import Citation, Dispute, Source
    from .comparison import Comparison
    from .decisions import (
        CreditDecision,
        Decision,
        FamilyChannel,
        FamilyDecision,
        LapseDecision,
        TransferDecision,
        TransferInDecision,
        WithdrawalDecision,
    )
    from .engine import PolicyEngine, RegionStatus
    from .errors import InputError, ParameterFileError, PluginError, UnknownRegionError, YibaoError, YibaoWarning
    from .evaluation import Evaluation
    from .explaining import Explanation
    from .hookspecs import SPEC_VERSION, hookimpl
    from .member import Member
    from .money import to_fen
    from .moving import Move
    from .parameters import Applied, NotModelled, Params, RegionData, load_region_file
    from .reform import Reform
    from .timelines import Timeline
    from . import tracing
