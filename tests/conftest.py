"""Shared fixtures: loopback HTTP servers, an issuer site, and the repository root."""
from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.httpserver import TestServer
from tests.ob2factory import Site

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def server():
    with TestServer("127.0.0.1") as running:
        yield running


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.fixture
def server6():
    if not _ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback")
    with TestServer("::1") as running:
        yield running


@pytest.fixture
def site():
    return Site()


def cli_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "verifier", *map(str, args)]


@pytest.fixture
def run_cli():
    """Run ``python -m verifier`` from the repository root; returns the CompletedProcess."""
    def run(*args: object, input: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(cli_command(*args), cwd=REPO, input=input, capture_output=True, timeout=timeout)
    return run


class CliBatch:
    """Start many ``python -m verifier`` runs at once and collect each by name, so a
    table of command-line cases costs one process start-up in wall time, not one each."""

    def __init__(self, cases: dict[str, list[object]]) -> None:
        self._processes = {name: subprocess.Popen(cli_command(*args), cwd=REPO, stdout=subprocess.PIPE,
                                                  stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
                           for name, args in cases.items()}
        self._results: dict[str, subprocess.CompletedProcess] = {}

    def result(self, name: str, timeout: float = 120) -> subprocess.CompletedProcess:
        if name not in self._results:
            process = self._processes[name]
            stdout, stderr = process.communicate(timeout=timeout)
            self._results[name] = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        return self._results[name]

    def close(self) -> None:
        for process in self._processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
