"""Skill-phrase matching benchmark against the full ESCO import.

    python bench/match.py [--esco DIR] [--bench CSV] [--show-failures]

--bench (alias --dev) scores any CSV with the dev split's columns (phrase, expected_uris, ...);
it defaults to the shared dev split. The project's own labelled sets, written to the shared
split's labelling policy without looking at the matcher:
- bench/validation.csv: 200 phrases, general badge and job-post vocabulary;
- bench/validation2.csv: 369 phrases by field, a third of them Lightcast Open Skills names
  drawn at random (many obscure); their failures guided method work;
- bench/holdout.csv, bench/holdout2.csv: 208 and 215 phrases labelled the same way, each
  kept out of method work until it was first measured;
- bench/holdout3.csv ... holdout6.csv: common phrases of the dev split's kinds, labelled the
  same way, without the phrases of the other sets (113, 240, 137 and 198 phrases). Each was
  first measured untouched; holdout3 and holdout5 then guided method work, while holdout4
  and holdout6 were only ever scored;
- bench/common_tech.csv, common_business.csv and common_tech2.csv ... common_business5.csv:
  the most common tags of technical and business fields (226, 229, then 180 each), labelled
  the same way, each without the phrases of the sets before it; bench/tools3.csv: 220 named tools and standards of job posts;
  bench/common_data_ai.csv: 200 tags of data and AI job posts; bench/lightcast_top.csv: 200
  Lightcast names of the skills job posts ask for most. They guided synonyms-table rows;
- bench/credentials.csv: 160 titles of digital credentials and courses; it guided table
  rows for credentials and their acronyms;
- bench/variants.csv ... variants4.csv: 200 constructed variants of common tags
  each (misspellings, short forms, spelling variants, Indian-English forms); each was first
  scored untouched, then its failures guided spelling rules;
- bench/holdout7.csv, holdout8.csv: 220 phrases each of the dev split's kinds, labelled the
  same way, only ever scored;
- bench/lightcast_random.csv: 220 Lightcast names drawn at random, most of them obscure
  (medicine, engineering, finance); it guided no rule and no row.

Prints top-1 accuracy on labelled rows, "none" rejection on unlabelled rows, phrases per
second once the index is built (a cold first pass, before any phrase has been matched, and
the median of warm passes), the ESCO import and index build times, and peak memory.

Many benchmark phrases are terms of the synonyms table, so the score partly measures what the
table remembers: "leave-own-phrases-out" scores the same rows again with every table term
that is (normalised) one of this benchmark's phrases left out of the table.
The shared folder is found beside the repository, or through SHARED_DIR.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from matcher import Matcher, Match, Synonyms, load_synonyms, load_taxonomy  # noqa: E402
from matcher._synonyms import term_key  # noqa: E402

TIMED_PASSES = 5


def shared_dir() -> Path:
    return Path(os.environ.get("SHARED_DIR") or REPO.parent / "shared")


Row = tuple[str, set[str]]


def score(rows: list[Row], answers: list[list[Match]]) -> tuple[int, int, int, int]:
    """Top-1 hits among labelled rows, their count; rejections among unlabelled rows, their count."""
    labelled = [(e, a) for (_, e), a in zip(rows, answers) if e]
    unlabelled = [a for (_, e), a in zip(rows, answers) if not e]
    correct = sum(1 for expected, answer in labelled if answer and answer[0].uri in expected)
    rejected = sum(1 for answer in unlabelled if not answer)
    return correct, len(labelled), rejected, len(unlabelled)


def figures(rows: list[Row], matcher: Matcher) -> tuple[str, str, list[list[Match]]]:
    """Top-1 accuracy and none rejection of `matcher` on `rows`, and its answers."""
    answers = [matcher.match(phrase, limit=1) for phrase, _ in rows]
    correct, labelled, rejected, unlabelled = score(rows, answers)
    return (f"{correct}/{labelled} = {correct / max(labelled, 1):.3f}",
            f"{rejected}/{unlabelled} = {rejected / max(unlabelled, 1):.3f}", answers)


def without_own_phrases(synonyms: Synonyms, rows: list[Row]) -> tuple[Synonyms, int]:
    """The table without the terms that are phrases of the benchmark, and how many it lost."""
    own = {term_key(phrase) for phrase, _ in rows}
    kept = Synonyms(e for e in synonyms.entries() if term_key(e.term) not in own)
    return kept, len(synonyms) - len(kept)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=shared_dir() / "taxonomy" / "esco")
    parser.add_argument("--bench", "--dev", dest="dev", type=Path, metavar="CSV",
                        default=shared_dir() / "taxonomy" / "bench" / "dev.csv",
                        help="benchmark CSV in the dev split's format (default: the dev split)")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    if not args.esco.is_dir() or not args.dev.is_file():
        print(f"needs the ESCO folder ({args.esco}) and the benchmark ({args.dev})",
              file=sys.stderr)
        return 2

    with args.dev.open(encoding="utf-8") as handle:
        rows = [(r["phrase"], set(r["expected_uris"].split())) for r in csv.DictReader(handle)]

    started = time.perf_counter()
    taxonomy = load_taxonomy(args.esco)
    imported = time.perf_counter()
    matcher = Matcher(taxonomy)
    built = time.perf_counter()

    phrases = [phrase for phrase, _ in rows]
    # Cold: no phrase matched yet, so the normalisation caches hold only the labels' words.
    start = time.perf_counter()
    for phrase in phrases:
        matcher.match(phrase)
    cold_rate = len(phrases) / (time.perf_counter() - start)

    accuracy, rejection, answers = figures(rows, matcher)

    rates = []
    for _ in range(TIMED_PASSES):
        start = time.perf_counter()
        for phrase in phrases:
            matcher.match(phrase)
        rates.append(len(phrases) / (time.perf_counter() - start))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the second matcher

    table, left_out = without_own_phrases(load_synonyms(), rows)
    own_accuracy, own_rejection, _ = figures(rows, Matcher(taxonomy, table))

    print(f"taxonomy: {taxonomy.name}, {len(taxonomy.skills)} skills, {len(taxonomy.roles)} roles, "
          f"{len(matcher.index.entries)} labels")
    print(f"top-1 accuracy: {accuracy}")
    print(f"none rejection: {rejection}")
    print(f"leave-own-phrases-out ({left_out} synonym terms that are benchmark phrases left out): "
          f"top-1 accuracy: {own_accuracy}; none rejection: {own_rejection}")
    print(f"phrases/s (match, limit=5, one core): cold first pass {cold_rate:.0f}, "
          f"median of {TIMED_PASSES} warm passes {statistics.median(rates):.0f}")
    print(f"ESCO import: {imported - started:.2f} s; index build: {built - imported:.2f} s; "
          f"total {built - started:.2f} s")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")

    if args.show_failures:
        labelled_first = sorted(zip(rows, answers), key=lambda pair: not pair[0][1])
        for (phrase, expected), answer in labelled_first:
            ok = (answer and answer[0].uri in expected) if expected else not answer
            if not ok:
                wanted = [taxonomy.skills[u].label for u in expected if u in taxonomy.skills]
                got = f"{answer[0].label} {answer[0].confidence} [{answer[0].reason}]" if answer else "-"
                print(f"  {phrase!r}: want {wanted or 'none'}; got {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
