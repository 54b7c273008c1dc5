"""Hangzhou (杭州市), a city of Zhejiang: the balance is settled (paid out) for a member
without Hangzhou household registration who is insured in no other pooling area
(Hangzhou pages, L), beside the national grounds.

Its stack is national < zhejiang < hangzhou: only the withdrawal grounds are Hangzhou's
own (``[rules.withdrawal]`` in ``region.toml``); every other area is Zhejiang's answer
or the national one beneath it. A data-only region: no Python rule at all.
"""

from __future__ import annotations

from pathlib import Path

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only as lapse.history sees them).
BATCH_CONTRACT = 1
CODE = "hangzhou"
