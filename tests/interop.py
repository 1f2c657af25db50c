"""Shared helpers for tests that read ../shared/interop: locate it, build an
offline document map from a manifest entry's ``serve`` list, and translate the
manifest's failing-check names into the report's check ids."""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import pytest

from verifier import DocumentMap, ingest
from verifier._bake import unbake_png, unbake_svg

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DIR", REPO.parent / "shared"))
INTEROP = SHARED / "interop"
EVALUATION_DATE = datetime(2026, 11, 22, tzinfo=timezone.utc)

# manifest failing-check name -> (report check id, problem slug)
CHECK_OF = {
    "expired": "validity",
    "not_yet_valid": "validity",
    "unknown_context": "context",
    "signature": "proof",
    "issuer_key_binding": "key",
    "revoked": "status",
    "not_a_badge": "input",
}


def require_interop() -> Path:
    if not (INTEROP / "manifest.json").is_file():
        pytest.skip(f"../shared/interop is not beside the repository (looked in {INTEROP})")
    return INTEROP


@lru_cache(maxsize=1)
def manifest() -> dict:
    return json.loads((require_interop() / "manifest.json").read_text())


def credentials(formats: tuple[str, ...] | None = None) -> list[dict]:
    if not (INTEROP / "manifest.json").is_file():
        return []
    entries = [f for f in manifest()["files"] if f["role"] == "credential"]
    return [f for f in entries if formats is None or f["format"].startswith(formats)]


def embedded_payload(path: Path) -> bytes:
    data = path.read_bytes()
    _, payload = unbake_png(data) if data.startswith(b"\x89PNG") else unbake_svg(data)
    return payload.encode()


def document_map(entry: dict, tmp_path: Path) -> DocumentMap:
    """The offline map an operator would write for this credential."""
    mapping = {}
    for item in entry.get("serve", []):
        if item["path"].startswith("(embedded"):
            extracted = tmp_path / "embedded.json"
            extracted.write_bytes(embedded_payload(INTEROP / entry["path"]))
            mapping[item["url"]] = str(extracted)
        else:
            mapping[item["url"]] = str(INTEROP / item["path"])
    map_file = tmp_path / "documents.json"
    map_file.write_text(json.dumps(mapping))
    return DocumentMap.from_file(map_file)


__all__ = ["CHECK_OF", "EVALUATION_DATE", "INTEROP", "credentials", "document_map", "require_interop", "ingest"]
