"""Fixtures of the matcher's tests: the shared data folder, the starter and full ESCO."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from matcher import Matcher, load_taxonomy

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    return Path(os.environ.get("SHARED_DIR") or REPO.parent / "shared")


@pytest.fixture(scope="session")
def esco_dir() -> Path:
    folder = shared_dir() / "taxonomy" / "esco"
    if not (folder / "skills_en.csv").is_file():
        pytest.skip(f"the ESCO export is not at {folder} (set SHARED_DIR)")
    return folder


@pytest.fixture(scope="session")
def onet_dir() -> Path:
    folder = shared_dir() / "taxonomy" / "onet"
    if not (folder / "Occupation Data.txt").is_file():
        pytest.skip(f"the O*NET database is not at {folder} (set SHARED_DIR)")
    return folder


@pytest.fixture(scope="session")
def interop_dir() -> Path:
    folder = shared_dir() / "interop" / "files"
    if not folder.is_dir():
        pytest.skip(f"the interop credentials are not at {folder} (set SHARED_DIR)")
    return folder


@pytest.fixture(scope="session")
def starter():
    return load_taxonomy()


@pytest.fixture(scope="session")
def starter_matcher(starter) -> Matcher:
    return Matcher(starter)


@pytest.fixture(scope="session")
def esco(esco_dir):
    return load_taxonomy(esco_dir)


@pytest.fixture(scope="session")
def esco_matcher(esco) -> Matcher:
    return Matcher(esco)


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "matcher", *args], cwd=REPO, input=stdin,
                          capture_output=True, text=True, timeout=120)
