"""Zhejiang (浙江省): after an unpaid gap of more than three months pooled benefits return
only after six consecutive paid months; after a gap paid back, from the 4th month after
the back payment (a Zhejiang-wide page, against the Hangzhou pages: see hangzhou). Only
the prior-years part of the account may be shared with relatives insured in Zhejiang.

Parameters with citations are in ``region.toml`` beside this file, with the family
and lapse rules as ``[rules.*]`` tables; what it does not define comes from the national baseline
beneath it. No Zhejiang source gives its own rule on credits, transfers or withdrawals:
there is no rule for them.

A region of data alone: every rule is a ``[rules.*]`` table of ``region.toml``.
"""

from __future__ import annotations

from pathlib import Path

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2
CODE = "zhejiang"
