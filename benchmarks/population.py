"""A generated population of members for the batch benchmark and tests, as an Arrow table.

Realistic in the shapes a payroll or insurer's file holds (as of ``2026-03-01``):

- categories: 70% employees, 20% flexible workers (tier 1), 10% retirees; tiers 1 and 2;
- histories: 30% with no ``contributions`` (paid continuously); 40% still paying
  (``{"from": ..., "to": null}``, joined 1995-2024); 12% still paying after a gap of 1-8
  months in the last ten years; 10% who stopped in the last five years; 5% with several
  gaps (three or four ranges of 2-30 months, the last open for half: nearly every one
  of these histories is unlike any other); 3% who paid a gap of the last ten years back
  (``paid: back_paid``, ``paid_in``);
- a tenth of the members with ranges give the latest range its own ``base``;
- bases 3,000-50,000 yuan in whole fen (a few with none), arrears for 2%.

``python benchmarks/population.py OUT.parquet [N]`` writes one; the benchmark and
``tests/test_batch_shapes.py`` import :func:`population`.
"""

from __future__ import annotations

import sys
from typing import Any

AS_OF_MONTH = 2026 * 12 + 2  # 2026-03
#: Share of each kind of history, in the order :func:`population` builds them.
KINDS = (("continuous", 0.30), ("open", 0.40), ("gap_then_open", 0.12), ("stopped", 0.10), ("gaps", 0.05), ("back_paid", 0.03))


#: Other mixes the benchmark reports beside the default, to show what the time follows
#: (the number of distinct histories): ``"few_gaps"`` has no multi-gap histories, the
#: shape of the population issue 18 measured (40% still paying, some gaps).
MIXES = {
    "default": KINDS,
    "few_gaps": (("continuous", 0.45), ("open", 0.40), ("gap_then_open", 0.07), ("stopped", 0.06), ("gaps", 0.0), ("back_paid", 0.02)),
}


def population(n: int, seed: int = 2026, mix: str = "default") -> Any:
    """``n`` members (see the module docstring; ``mix`` one of :data:`MIXES`), rows in random order."""
    import numpy as np
    import pyarrow as pa

    kinds = MIXES[mix]
    rng = np.random.default_rng(seed)
    category = rng.choice(np.array(["employee", "flexible", "retiree"]), n, p=[0.7, 0.2, 0.1])
    tier = np.where(category == "flexible", 1, rng.choice([1, 2], n, p=[0.8, 0.2]))
    fen = rng.integers(300_000, 5_000_001, n)
    has_base = rng.random(n) < 0.97
    arrears = rng.random(n) < 0.02
    kind = rng.choice(len(kinds), n, p=[share for _, share in kinds])
    starts, ends, paid, paid_in, bases, sizes = [], [], [], [], [], np.zeros(n, dtype=np.int64)
    for code, (name, _) in enumerate(kinds):
        rows = np.flatnonzero(kind == code)
        if name == "continuous" or not len(rows):
            continue
        ranges = _ranges(name, len(rows), rng)
        sizes[rows] = len(ranges)
        own_base = rng.random(len(rows)) < 0.1
        for j, (a, b, p, pi) in enumerate(ranges):
            starts.append((rows, j, a))
            ends.append((rows, j, b))
            paid.append((rows, j, p))
            paid_in.append((rows, j, pi))
            latest = j == len(ranges) - 1
            bases.append((rows, j, np.where(own_base & latest, rng.integers(300_000, 5_000_001, len(rows)), -1)))
    offsets = np.zeros(n + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(sizes)

    def flat(parts: list[tuple[Any, int, Any]], fill: int) -> Any:
        out = np.full(int(offsets[-1]), fill, dtype=np.int64)
        for rows, j, values in parts:
            out[offsets[rows] + j] = values
        return out

    def months(values: Any) -> Any:
        text = np.array([f"{v // 12}-{v % 12 + 1:02d}" for v in range(1900 * 12, 2200 * 12)], dtype=object)
        return pa.array(np.where(values >= 0, text[np.maximum(values, 1900 * 12) - 1900 * 12], None), pa.string())

    item_base = flat(bases, -1)
    item_paid = flat(paid, 0)
    items = pa.StructArray.from_arrays(
        [
            months(flat(starts, -1)),
            months(flat(ends, -1)),
            pa.array(np.where(item_base >= 0, (item_base // 100).astype(str), None), pa.string()),
            pa.array(np.where(item_paid == 1, "back_paid", None), pa.string()),
            months(flat(paid_in, -1)),
        ],
        ["from", "to", "base", "paid", "paid_in"],
    )
    contributions = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), items, mask=pa.array(sizes == 0))
    order = rng.permutation(n)
    table = pa.table(
        {
            "category": pa.array(category[order]),
            "tier": pa.array(tier[order]),
            "contribution_base": pa.array(np.where(has_base, (fen // 100).astype(str), None)[order], pa.string()),
            "contributions": contributions.take(pa.array(order)),
            "arrears": pa.array(arrears[order]),
        }
    )
    return table


def _ranges(name: str, m: int, rng: Any) -> list[tuple[Any, Any, Any, Any]]:
    """The ranges of ``m`` members of one kind: per range (from, to, back paid, paid_in), -1 absent."""
    import numpy as np

    none = np.full(m, -1)
    zero = np.zeros(m, dtype=np.int64)
    start = rng.integers(1995 * 12, 2025 * 12, m)
    if name == "open":
        return [(start, none, zero, none)]
    if name == "stopped":
        stop = AS_OF_MONTH - rng.integers(0, 60, m)
        return [(np.minimum(start, stop), stop, zero, none)]
    stop = AS_OF_MONTH - 2 - rng.integers(0, 120, m)
    start = np.minimum(start, stop)
    gap = rng.integers(1, 9, m)
    if name == "gap_then_open":
        return [(start, stop, zero, none), (stop + gap + 1, none, zero, none)]
    if name == "back_paid":
        back_end = stop + gap
        return [
            (start, stop, zero, none),
            (stop + 1, back_end, np.ones(m, dtype=np.int64), back_end + rng.integers(1, 4, m)),
            (back_end + 1, none, zero, none),
        ]
    # several gaps: three or four ranges of 2-30 months, the last open for half of them
    first = np.maximum(start - 120, 1990 * 12)
    out = []
    month = first
    for _ in range(3):
        length = rng.integers(2, 30, m)
        out.append((month, month + length - 1, zero, none))
        month = month + length + rng.integers(1, 12, m)
    last_open = rng.random(m) < 0.5
    out.append((month, np.where(last_open, -1, month + rng.integers(0, 24, m)), zero, none))
    return out


if __name__ == "__main__":
    import pyarrow.parquet as pq

    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    pq.write_table(population(count), sys.argv[1])
    print(f"{count:,} members written to {sys.argv[1]}")
