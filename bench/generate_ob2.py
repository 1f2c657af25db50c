"""Write N hosted Open Badges 2.0 assertions with their BadgeClasses, issuers, images
and an offline document map, for bench/verify.py.

    python bench/generate_ob2.py OUT_DIR [-n 1000]
    python bench/verify.py OUT_DIR --documents OUT_DIR/documents/map.json
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ISSUERS = 20
BADGES_PER_ISSUER = 10
PNG_1X1 = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _write(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, indent=2))


def generate(out: Path, count: int) -> None:
    docs = out / "documents"
    docs.mkdir(parents=True, exist_ok=True)
    mapping: dict[str, str] = {}
    (docs / "badge.png").write_bytes(PNG_1X1)
    for i in range(ISSUERS):
        host = f"https://issuer{i}.example"
        _write(docs / f"issuer{i}.json", {
            "@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": f"{host}/issuer.json",
            "name": f"Issuer {i}", "url": host, "email": f"badges@issuer{i}.example"})
        mapping[f"{host}/issuer.json"] = f"issuer{i}.json"
        mapping[f"{host}/badge.png"] = "badge.png"
        for b in range(BADGES_PER_ISSUER):
            _write(docs / f"badge{i}-{b}.json", {
                "@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass",
                "id": f"{host}/badges/{b}.json", "name": f"Data Analytics Level {b}",
                "description": "Analyses data with SQL and spreadsheets.", "image": f"{host}/badge.png",
                "criteria": {"narrative": "Passed the assessment."}, "issuer": f"{host}/issuer.json",
                "tags": ["SQL", "Excel"],
                "alignment": [{"targetName": "query languages",
                               "targetUrl": "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"}]})
            mapping[f"{host}/badges/{b}.json"] = f"badge{i}-{b}.json"
    for n in range(count):
        host = f"https://issuer{n % ISSUERS}.example"
        salt = f"salt{n}"
        identity = "sha256$" + hashlib.sha256(f"candidate{n}@example.org{salt}".encode()).hexdigest()
        assertion = {
            "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": f"{host}/assertions/{n}.json",
            "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": identity},
            "badge": f"{host}/badges/{n % BADGES_PER_ISSUER}.json", "verification": {"type": "hosted"},
            "issuedOn": "2025-03-01T10:00:00Z", "expires": "2030-03-01T10:00:00Z"}
        _write(out / f"assertion{n:05d}.json", assertion)
        mapping[assertion["id"]] = f"../assertion{n:05d}.json"
    (docs / "map.json").write_text(json.dumps(mapping, indent=1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args()
    generate(args.out, args.n)
    print(f"wrote {args.n} assertions to {args.out}; map: {args.out / 'documents' / 'map.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
