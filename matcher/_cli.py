"""`python -m matcher`: match phrases, or extract and map the skills of a badge file.

Exit codes: 0 something matched, 1 nothing matched, 2 usage or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ._errors import MatcherError
from ._evidence import Evidence
from ._extract import extract
from ._loading import load_taxonomy
from ._matcher import Match, Matcher
from ._roles import apply_roles, is_roles_file
from ._synonyms import load_synonyms

OK, NOTHING_MATCHED, BAD_INPUT = 0, 1, 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a message, as argparse does, but testable
        raise _UsageError(message)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        return args.run(args)
    except _UsageError as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return BAD_INPUT
    except (MatcherError, OSError, ValueError) as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return BAD_INPUT


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m matcher", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, run, help_text in (("match", _run_match, "match skill phrases"),
                                 ("extract", _run_extract, "signals and matches of a badge file")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--taxonomy", metavar="PATH",
                             help="ESCO or O*NET folder, or a roles file (default: the starter)")
        command.add_argument("--synonyms", metavar="CSV",
                             help="an employer's synonyms table, added to the project's")
        command.add_argument("--json", action="store_true", help="print JSON lines")
        command.set_defaults(run=run)
    match = commands.choices["match"]
    match.add_argument("--file", metavar="FILE", help="phrases, one a line ('-' for stdin)")
    match.add_argument("--limit", type=int, default=5, help="matches per phrase (default 5)")
    match.add_argument("phrases", nargs="*", metavar="PHRASE")
    commands.choices["extract"].add_argument("credential", metavar="CREDENTIAL",
                                             help="a badge file: JSON, JWS, baked PNG or SVG")
    return parser


def _matcher(args: argparse.Namespace) -> Matcher:
    synonyms = load_synonyms(args.synonyms) if args.synonyms else None
    if args.taxonomy and is_roles_file(Path(args.taxonomy)):
        # One matcher, with the employer's synonyms, resolves the roles file's skill labels
        # over the starter and then serves the starter with those roles.
        starter = load_taxonomy()
        matcher = Matcher(starter, synonyms)
        return matcher.with_taxonomy(apply_roles(starter, args.taxonomy, matcher))
    return Matcher(load_taxonomy(args.taxonomy), synonyms)


def _run_match(args: argparse.Namespace) -> int:
    phrases = list(args.phrases) + _read_phrases(args.file)
    if not phrases:
        raise _UsageError("give at least one PHRASE or --file")
    matcher = _matcher(args)
    any_matched = False
    for phrase in phrases:
        matches = matcher.match(phrase, limit=args.limit)
        any_matched = any_matched or bool(matches)
        if args.json:
            print(json.dumps({"phrase": phrase, "matches": [_match_dict(m) for m in matches]},
                             ensure_ascii=False))
        else:
            print(phrase)
            for m in matches:
                print(f"  {m.confidence:.2f}  {m.label}  <{m.uri}>  {m.reason}")
            if not matches:
                print("  no match")
    return OK if any_matched else NOTHING_MATCHED


def _run_extract(args: argparse.Namespace) -> int:
    credential = _read_credential(Path(args.credential))
    matcher = _matcher(args)
    signals = extract(credential)
    evidence = matcher.map_signals(signals)
    if args.json:
        print(json.dumps({"credential": args.credential,
                          "signals": [asdict(s) for s in signals],
                          "evidence": [_evidence_dict(e) for e in evidence]}, ensure_ascii=False))
    else:
        print(f"{len(signals)} signal(s) in {args.credential}")
        for signal in signals:
            print(f"  [{signal.field}] {signal.text[:80]}")
        print(f"{len(evidence)} skill(s) evidenced")
        for e in evidence:
            mark = " (hierarchy)" if e.hierarchy else ""
            print(f"  {e.confidence:.2f}  {e.label}{mark}  <{e.skill_uri}>  {e.reason}")
    return OK if evidence else NOTHING_MATCHED


def _read_phrases(name: str | None) -> list[str]:
    if not name:
        return []
    text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _read_credential(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    try:
        from verifier import InputError, ingest
    except ImportError:  # the verifier is optional: plain JSON files still work
        return _plain_json(path, data)
    try:
        credential = ingest(data, str(path)).credential
    except InputError as error:
        # Extraction needs no valid badge: a bare BadgeClass or Achievement JSON will do.
        try:
            return _plain_json(path, data)
        except ValueError:
            raise ValueError(f"{path}: {error}") from None
    if not isinstance(credential, dict):
        raise ValueError(f"{path}: the credential is a reference, not a document")
    return credential


def _plain_json(path: Path, data: bytes) -> dict[str, Any]:
    try:
        credential = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a JSON file") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}, line {error.lineno}, column {error.colno}: "
                         f"invalid JSON ({error.msg})") from None
    if not isinstance(credential, dict):
        raise ValueError(f"{path}: a credential must be a JSON object")
    return credential


def _match_dict(match: Match) -> dict[str, Any]:
    return {"uri": match.uri, "label": match.label, "confidence": match.confidence,
            "reason": match.reason}


def _evidence_dict(evidence: Evidence) -> dict[str, Any]:
    return {"uri": evidence.skill_uri, "label": evidence.label,
            "confidence": evidence.confidence, "reason": evidence.reason,
            "field": evidence.signal.field, "text": evidence.signal.text,
            "hierarchy": evidence.hierarchy, "via": evidence.via or None}
