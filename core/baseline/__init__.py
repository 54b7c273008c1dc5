"""The national baseline layer: what applies in every region unless its layer says otherwise.

It is a plugin of the same hooks as any region (as datasette's built-in features are
plugins of its own hooks); its parameters are ``national.toml`` beside this file. Its
credit, family, transfer and withdrawal rules are ``[rules.*]`` tables there (kinds of
:mod:`yibao.vocabulary`); the lapse rules are the functions below.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .. import arrivals, recovery
from ..arrivals import Origin
from ..decisions import LapseDecision, TransferInDecision
from ..hookspecs import hookimpl
from ..member import Member
from ..parameters import Params

PARAMETERS = Path(__file__).with_name("national.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision:
    """The shared walk (rules (a) and (b) of :mod:`yibao.lapse`). The national sources set
    neither: a gap inside a region whose own layer is silent is not modelled, never
    judged by 43号's sentences about moves."""
    return recovery.decide(member, as_of, params, has_account=True)


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision:
    """43号 where the destination is silent: a short gap paid back, benefits from the payment
    month; after a longer gap the wait is the destination's own, not modelled here (the
    national text sets only a ceiling)."""
    return arrivals.decide(member, as_of, params, origin)
