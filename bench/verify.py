"""Credentials verified per second, on one core, offline.

    python bench/verify.py DIR --documents MAP.json [--at ISO] [--repeat N] [--profile]

Verifies every credential file directly in DIR (.json .jwt .jws .png .svg) through the
offline document map and prints the rate and the verdicts it reached.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from verifier import DocumentMap, verify  # noqa: E402
from verifier._dates import parse_datetime  # noqa: E402

SUFFIXES = {".json", ".jwt", ".jws", ".png", ".svg"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--documents", required=True, help="offline document map")
    parser.add_argument("--at", help="judge dates at this instant")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the directory")
    parser.add_argument("--profile", action="store_true", help="print the 15 costliest functions")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    files = sorted(p for p in args.directory.iterdir() if p.suffix in SUFFIXES and p.name != Path(args.documents).name)
    inputs = [(p.name, p.read_bytes()) for p in files]
    fetcher = DocumentMap.from_file(args.documents)
    at = parse_datetime(args.at) if args.at else None
    verdicts: Counter[str] = Counter()
    verify(inputs[0][1], fetcher=fetcher, at=at)  # warm caches (schemas, contexts) outside the timing
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    for _ in range(args.repeat):
        for name, data in inputs:
            verdicts[verify(data, fetcher=fetcher, at=at, source=name).verdict] += 1
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    total = sum(verdicts.values())
    print(f"credentials: {total} in {elapsed:.3f} s on one core")
    print(f"rate: {total / elapsed:.1f} credentials/s")
    print("verdicts: " + ", ".join(f"{k}={v}" for k, v in sorted(verdicts.items())))
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
