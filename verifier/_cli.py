"""python -m verifier: verify badges from files, URLs or standard input."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from ._dates import iso, parse_datetime
from ._contexts import add_contexts_dir
from ._errors import InputError, VerifierError
from ._fetch import DocumentMap, HttpFetcher
from ._ingest import MAX_INPUT_BYTES
from ._report import Report
from ._trust import TrustPolicy
from ._verify import input_failure, verify

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
MARKS = {"passed": "pass", "failed": "FAIL", "warning": "warn", "skipped": "skip"}


class UsageError(Exception):
    pass


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m verifier",
        description="Verify Open Badges 2.0/3.0, CLR 2.0 and Verifiable Credentials check by check. "
                    "Exit status: 0 all verified, 1 any invalid or indeterminate, 2 usage or unreadable input.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="a badge file (JSON, JWS/JWT, PNG, SVG), an https URL, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print one JSON report per input per line")
    parser.add_argument("--at", metavar="ISO-8601", help="judge dates at this instant instead of now")
    parser.add_argument("--documents", metavar="MAP.json",
                        help="answer every fetch from this offline {url: path} map and fetch nothing else")
    parser.add_argument("--recipient", metavar="IDENTITY", help="the candidate's email, URL or telephone")
    parser.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                        help="let the fetcher reach this host even on a private address (repeatable)")
    parser.add_argument("--trust", metavar="FILE",
                        help='issuer trust policy: JSON {"allow": [...], "deny": [...], "registries": [...]}')
    parser.add_argument("--contexts", metavar="DIR",
                        help="extra JSON-LD contexts: DIR/index.json maps context URLs to files in DIR")
    parser.add_argument("--timeout", type=_seconds, default=10.0, help="seconds allowed per fetch (default 10)")
    return parser


def _read(argument: str) -> tuple[bytes | str, str]:
    if argument == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), "<stdin>"
    if argument.startswith(("http://", "https://")):
        return argument, argument
    path = Path(argument)
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError(f"{argument} is {path.stat().st_size} bytes, over the {MAX_INPUT_BYTES}-byte limit",
                             "too_large")
        return path.read_bytes(), argument
    except OSError as exc:
        raise UsageError(f"cannot read {argument}: {exc.strerror}") from None


def _human(report: Report, name: str) -> str:
    lines = [f"{name}: {report.verdict.upper()} ({report.format})"]
    for check in report.checks:
        lines.append(f"  [{MARKS[check.outcome]}] {check.id:<11} {check.detail}")
    summary = report.credential
    if summary:
        issuer = summary.get("issuer") or {}
        achievement = summary.get("achievement") or {}
        lines.append(f"  badge: {achievement.get('name') or '-'}; issuer: {issuer.get('name') or '-'} "
                     f"({issuer.get('id') or '-'}); issued: {summary.get('issued') or '-'}; "
                     f"expires: {summary.get('valid_until') or '-'}")
    for nested in report.nested:
        lines.extend("  " + line for line in _human(nested, "nested").splitlines())
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        at = None
        if args.at is not None:
            at = parse_datetime(args.at)
            if at is None:
                raise UsageError(f"--at {args.at!r} is not an ISO-8601 date or date-time")
        fetcher = DocumentMap.from_file(args.documents) if args.documents else \
            HttpFetcher(allow_hosts=args.allow_host, timeout=args.timeout)
        if args.contexts:
            add_contexts_dir(args.contexts)
        trust = TrustPolicy.from_file(args.trust, fetcher=fetcher) if args.trust else None
    except (UsageError, VerifierError) as exc:
        print(f"python -m verifier: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    status = EXIT_OK
    for argument in args.inputs:
        try:
            data, name = _read(argument)
            report = verify(data, fetcher=fetcher, at=at, recipient=args.recipient, source=name, trust=trust)
        except UsageError as exc:
            print(f"python -m verifier: error: {exc}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        except InputError as exc:
            name = argument
            report = input_failure(exc, b"", argument)
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(_human(report, name), flush=True)
        if not report.verified and status == EXIT_OK:
            status = EXIT_FAILED
    if at and not args.json:
        print(f"(dates judged as of {iso(at)})")
    return status
