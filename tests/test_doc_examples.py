"""Every code block of README.md and docs/*.md runs, with sybil (parsing and evaluation).

The convention (also in docs/CONTRIBUTING.md), by the block's language tag:

- ``python``: executed in order; the blocks of one page share a namespace. Invisible
  blocks (``<!-- invisible-code-block: python ... -->``) may set up or check things a
  reader need not see (e.g. call a hook the page defines).
- ``sh`` / ``bash`` / ``console``: each block runs with ``bash -e`` in a temporary
  directory (one per page, holding a copy of ``examples/``), with the ``policy`` of
  this interpreter first on ``PATH``; every command must exit with 0 (a command that
  is expected to fail is written ``! command``).
- ``toml``: must parse; a block with ``[region]`` or ``[parameters]`` must load as a
  parameter file (yibao's own loader, so cited sources must be defined, in the block, another
  block of the page or the national baseline): a fragment without ``[region]`` is checked under a
  stub header.
- A block that cannot run as written (it needs a server, installs packages, publishes)
  is preceded by ``<!-- skip: next "the reason" -->``; it is reported as skipped with
  that reason. Text that is not code (a synopsis, output) has no language tag or
  ``text``.

A page whose blocks all run gives one passing test; ``python -m pytest -q
tests/test_doc_examples.py -k hooks`` runs one page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import SkipTest

import pytest
from sybil import Sybil
from sybil.parsers.markdown import ClearNamespaceParser, CodeBlockParser, PythonCodeBlockParser, SkipParser

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
SHELL = ("sh", "bash", "console")
STUB_PARAMETER = (
    '\n[sources.stub]\ntitle = "t"\npublisher = "p"\ndate = "2026"\n[parameters.stub]\ndescription = "d"\nunit = "months"\n'
    '[[parameters.stub.values]]\nfrom = 2026-01-01\nvalue = 1\n[[parameters.stub.values.citations]]\nsource = "stub"\n'
    'quote = "q"\nconfidence = "L"\n'
)
STUB_REGION = '[region]\ncode = "example"\nname_zh = "示例"\nname_en = "Example"\nspec_version = 1\n'


def run_shell(example) -> None:
    workdir: Path = example.namespace["__workdir__"]
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    env.pop("NO_COLOR", None)
    proc = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", example.parsed],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    if proc.returncode != 0:
        raise AssertionError(
            f"{example.path}:{example.line}: shell block exited with {proc.returncode}\n"
            f"--- block ---\n{example.parsed}--- stderr ---\n{proc.stderr[-2000:]}--- stdout ---\n{proc.stdout[-2000:]}"
        )


def check_toml(example) -> None:
    from yibao.parameters import parse_region_text

    text = example.parsed
    data = tomllib.loads(text)  # raises with the line on a syntax error
    seen: dict = example.namespace.setdefault("__toml_sources__", {})
    header = isinstance(data.get("region"), dict)  # a scenario file's `region = "code"` is no header
    if header or "parameters" in data:
        full = text if header else STUB_REGION + text
        if not header:  # a fragment may cite the sources of the page's earlier blocks
            for key, fields in seen.items():
                if key not in data.get("sources", {}):
                    full += f"\n[sources.{key}]\n" + "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in fields.items())
        if "parameters" not in data or not (data.get("sources") or seen):  # shown alone: one cited value
            full += STUB_PARAMETER
        parse_region_text(full, f"{example.path}:{example.line}")
    seen.update(data.get("sources", {}))


def sybil() -> Sybil:
    return Sybil(
        parsers=[
            SkipParser(),
            ClearNamespaceParser(),
            PythonCodeBlockParser(),
            *(CodeBlockParser(language, run_shell) for language in SHELL),
            CodeBlockParser("toml", check_toml),
        ],
    )


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_examples_run(page, tmp_path, monkeypatch):
    """Each runnable block of the page, in order; a failure names the page and line."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    document = sybil().parse(page)
    document.namespace["__workdir__"] = tmp_path
    # a TOML fragment may cite a source another block of the page defines, or the national baseline's
    national = tomllib.loads((ROOT / "core" / "baseline" / "national.toml").read_text(encoding="utf-8"))
    sources = document.namespace["__toml_sources__"] = dict(national["sources"])
    for example in document.examples():
        if example.region.evaluator is check_toml:
            sources.update(tomllib.loads(example.parsed).get("sources", {}))
    for example in document.examples():
        try:
            example.evaluate()
        except SkipTest:
            continue
        except Exception as exc:
            if isinstance(exc, AssertionError) and str(exc).startswith(str(page)):
                raise
            raise AssertionError(f"{page.relative_to(ROOT)}:{example.line}: {type(exc).__name__}: {exc}") from exc


def test_the_runner_sees_the_readme_blocks():
    """Parsing is not silently empty: the README's Python, shell and skipped blocks are found."""
    kinds = [type(example.region.evaluator).__name__ for example in sybil().parse(ROOT / "README.md").examples()]
    assert kinds.count("function") >= 3 and "Skipper" in kinds and any("DocTest" in kind for kind in kinds), kinds


def test_the_runner_fails_on_a_broken_block(tmp_path, monkeypatch):
    """The runner is not a rubber stamp: a failing command, a bad TOML citation and a
    Python error each fail their page."""
    page = tmp_path / "broken.md"
    examples = {
        "sh": "```sh\npolicy evaluate nowhere\n```\n",
        "toml": '```toml\n[parameters.x]\ndescription = "x"\nunit = "months"\n[[parameters.x.values]]\nfrom = 2026-01-01\nvalue = 1\n'
        '[[parameters.x.values.citations]]\nsource = "undefined"\nquote = "q"\nconfidence = "H"\n```\n',
        "python": "```python\nmember\n```\n",
    }
    for kind, text in examples.items():
        page.write_text(text, encoding="utf-8")
        document = sybil().parse(page)
        document.namespace["__workdir__"] = tmp_path
        with pytest.raises(Exception) as caught:
            for example in document.examples():
                example.evaluate()
        assert not isinstance(caught.value, SkipTest), kind


def test_a_skipped_block_carries_its_reason(tmp_path):
    page = tmp_path / "skip.md"
    page.write_text('<!-- skip: next "needs a server" -->\n```sh\nfalse\n```\n', encoding="utf-8")
    document = sybil().parse(page)
    reasons = []
    for example in document.examples():
        try:
            example.evaluate()
        except SkipTest as exc:
            reasons.append(str(exc))
    assert reasons == ["needs a server"]
