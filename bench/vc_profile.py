"""Where VC verification time goes: the share of JSON-LD expansion and RDF
canonicalization (pyld) in verifying a directory of credentials offline.

    python bench/vc_profile.py DIR [--documents MAP.json] [--top 15]
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from verifier import DocumentMap, verify  # noqa: E402

STAGES = {
    "canonicalization total (expand + to RDF + URDNA2015)": ("_jsonld.py", "canonize"),
    "  of which JSON-LD expansion": ("_jsonld.py", "expand"),
    "  of which URDNA2015": ("canon.py", "main"),
    "signature checks (Ed25519)": ("_dataintegrity.py", "_check_signature"),
    "schema": ("_schema.py", "schema_checks"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--documents", help="offline document map (default: DIR/documents.json)")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    fetcher = DocumentMap.from_file(args.documents or args.directory / "documents.json")
    inputs = [p.read_bytes() for p in sorted(args.directory.glob("*.json")) if p.name != "documents.json"]
    verify(inputs[0], fetcher=fetcher)
    started = time.perf_counter()
    for data in inputs:
        verify(data, fetcher=fetcher)
    plain = time.perf_counter() - started
    profiler = cProfile.Profile()
    profiler.enable()
    for data in inputs:
        verify(data, fetcher=fetcher)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(v[3] for v in stats.stats.values())  # cumulative time of the outermost call
    print(f"{len(inputs)} credentials: {len(inputs) / plain:.1f}/s without the profiler")
    for label, (file_end, function) in STAGES.items():
        spent = sum(v[3] for (file, _, name), v in stats.stats.items() if file.endswith(file_end) and name == function)
        print(f"{label}: {100 * spent / total:.1f}% of verification time")
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
