"""A bounded load test of one `policy serve` process on 127.0.0.1 (the benchmark's, with
fewer requests: benchmarks/serve_bench.py runs 20,000): valid and invalid bodies mixed
at concurrency 32; no 5xx, no dropped connection, every invalid body answered 4xx."""

from __future__ import annotations

import importlib.util

import pytest

pytest.importorskip("litestar", reason='the service needs its extra: pip install ".[serve]"')

from conftest import ROOT  # noqa: E402

spec = importlib.util.spec_from_file_location("serve_bench", ROOT / "benchmarks" / "serve_bench.py")
serve_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(serve_bench)


@pytest.mark.slow
def test_mixed_load_at_concurrency_32_has_no_5xx_no_drops_and_every_invalid_body_4xx(monkeypatch):
    monkeypatch.setenv("YIBAO_LOAD_PLUGINS", "")
    result = serve_bench.load_test(requests=3000, concurrency=32)
    assert result["answered"] == 3000
    assert result["server_errors"] == 0 and result["dropped"] == 0, result
    assert result["invalid_sent"] >= 600 and result["invalid_not_4xx"] == 0, result
    assert result["valid_not_2xx"] == 0, result
    assert 413 in result["statuses"] and 400 in result["statuses"] and 422 in result["statuses"]
