"""Write N Open Badges 3.0 credentials signed with eddsa-rdfc-2022 by a did:key
issuer, and an (empty) offline document map, for bench/verify.py.

    python bench/generate_vc.py OUT_DIR [-n 1000]
    python bench/verify.py OUT_DIR --documents OUT_DIR/documents.json
    python bench/vc_profile.py OUT_DIR          # where the time goes (canonicalization share)
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: E402

from verifier._dataintegrity import DidKeyIssuer  # noqa: E402

SKILLS = ["Teamwork", "Python Programming", "Data Analysis", "Public Speaking", "Project Management",
          "Welding Safety", "First Aid", "Technical Writing", "Cloud Security", "Spanish B2"]


def credential(number: int, did: str) -> dict:
    skill = SKILLS[number % len(SKILLS)]
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:00000000-0000-4000-8000-{number:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{skill} badge",
        "issuer": {"id": did, "type": ["Profile"], "name": "Bench University", "url": "https://bench.example.edu"},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": False,
                            "identityHash": f"learner{number}@example.org"}],
            "achievement": {
                "id": f"https://bench.example.edu/achievements/{number % len(SKILLS)}",
                "type": ["Achievement"], "name": skill,
                "description": f"Demonstrated {skill.lower()} in assessed work.",
                "criteria": {"narrative": f"Passed the {skill} assessment."},
                "alignment": [{"type": ["Alignment"], "targetName": skill,
                               "targetUrl": f"https://skills.example.org/{number % len(SKILLS)}"}],
            },
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-n", type=int, default=1000, help="how many credentials")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    issuer = DidKeyIssuer(ed25519.Ed25519PrivateKey.from_private_bytes(b"\x07" * 32))
    created = datetime(2025, 1, 1, tzinfo=timezone.utc)
    for number in range(args.n):
        signed = issuer.sign(credential(number, issuer.did), created=created)
        (args.out_dir / f"vc{number:05d}.json").write_text(json.dumps(signed))
    (args.out_dir / "documents.json").write_text("{}\n")
    print(f"wrote {args.n} credentials and documents.json to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
