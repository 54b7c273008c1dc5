"""Helpers for the service's tests: the schemas as one registry, a live server."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in (ROOT / "schemas").glob("*.schema.json")}
REGISTRY = Registry().with_resources(
    [(schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS.values()]
    + [(name, Resource.from_contents(schema)) for name, schema in SCHEMAS.items()]
)
SERVICE = SCHEMAS["service.schema.json"]["$id"]


def schema_errors(name: str, instance: object) -> list[str]:
    """Problems of ``instance`` against ``schemas/NAME`` (a file name, or file#/$defs/x)."""
    ref = name if "#" in name else SCHEMAS[name]["$id"]
    if "#" in name:
        file, fragment = name.split("#", 1)
        ref = SCHEMAS[file]["$id"] + "#" + fragment
    validator = Draft202012Validator({"$ref": ref}, registry=REGISTRY)
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(instance)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def policy_command() -> list[str]:
    script = Path(sys.executable).with_name("policy")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from yibao.cli import main; main()"]


@contextlib.contextmanager
def live_server(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Iterator[str]:
    """``policy serve --port FREE ARGS`` in a subprocess; yields its base URL, stops it after."""
    port = free_port()
    environment = {**os.environ, "YIBAO_LOAD_PLUGINS": "", **(env or {})}
    process = subprocess.Popen(
        [*policy_command(), "serve", "--port", str(port), *args],
        env=environment,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"policy serve exited with {process.returncode}: {process.stderr.read()}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("policy serve did not answer /healthz within 30 s") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
