"""Verify Open Badges 2.0/3.0, CLR 2.0 and W3C Verifiable Credentials, check by check.

    >>> from verifier import verify, DocumentMap
    >>> report = verify(open("badge.png", "rb").read(), fetcher=DocumentMap.from_file("map.json"))
    >>> report.verdict, [c.id for c in report.failing()]
"""
from ._errors import FetchError, InputError, VerifierError
from ._fetch import DocumentMap, Fetcher, HttpFetcher, Response
from ._ingest import Envelope, ingest
from ._report import Check, Report
from ._trust import Registry, TrustPolicy
from ._verify import Context, verify

__all__ = ["verify", "ingest", "Envelope", "Report", "Check", "Context", "Fetcher", "HttpFetcher",
           "DocumentMap", "Response", "TrustPolicy", "Registry", "VerifierError", "InputError", "FetchError"]
