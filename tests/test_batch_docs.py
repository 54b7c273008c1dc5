"""docs/batch.md's examples run: the Python block, every `policy batch` line, the reform file."""

from __future__ import annotations

import re
import sys
from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402
from test_cli import assert_no_traceback, run  # noqa: E402

from conftest import ROOT  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOC = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")


def blocks(language):
    return re.findall(rf"^```{language}\n(.*?)^```", DOC, re.S | re.M)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """members.parquet (an id column, a 10,000-yuan employee first) and floor-2027.toml, as the doc names them."""
    rows = [
        {"id": 1, "category": "employee", "tier": 1, "contribution_base": "10000"},
        {"id": 2, "category": "flexible", "tier": 1, "contribution_base": "4000", "contributions": [{"from": "2020-01", "to": "2025-06"}]},
        {"id": 3, "category": "retiree"},
    ]
    pq.write_table(pa.Table.from_batches([pa.RecordBatch.from_struct_array(pa.array(rows))]), tmp_path / "members.parquet")
    (tmp_path / "floor-2027.toml").write_text(blocks("toml")[0], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_python_examples_run(folder):
    first, contract = blocks("python")
    namespace: dict = {}
    exec(compile(first, "docs/batch.md", "exec"), namespace)
    assert namespace["answers"].column("credit_monthly_credit")[0].as_py() == Decimal("200.00")
    assert namespace["answers"].column("error")[0].as_py() is None
    for line in first.splitlines():  # each comment says what its line returns (an Arrow scalar, not a Decimal)
        if "  # " in line and line.startswith("answers."):
            code, said = line.split("  # ", 1)
            value = eval(code.strip(), namespace)
            shown = repr(value)
            assert said.endswith(shown) or said.startswith(shown), (code, said, repr(value))
    exec(compile(contract, "docs/batch.md", "exec"), {})


README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_policy_batch_line_runs(folder):
    """Those of docs/batch.md and of the README."""
    lines = [line for block in blocks("sh") for line in block.splitlines() if line.startswith("policy batch")]
    lines += [line for line in README.splitlines() if line.startswith("policy batch")]
    assert len(lines) == 4
    for line in lines:
        for answers in ("answers.parquet", "members.policy.parquet"):  # each line as a reader runs it: no answers yet
            (folder / answers).unlink(missing_ok=True)
        result = run(line.split()[1:], folder)
        assert_no_traceback(result)
        assert result.returncode == 0, (line, result.stderr)
        # the retiree has an account whose Shenzhen credit is not modelled: not in the total
        assert result.stdout.splitlines()[0].endswith(" yuan a month credited to 2 members"), result.stdout


def test_the_reform_file_is_a_reform():
    from yibao.reform import Reform

    reform = Reform.from_mapping(tomllib.loads(blocks("toml")[0]))
    assert reform.values[0][0] == "base_floor"
