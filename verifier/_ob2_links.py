"""Linked Open Badges 2.0 documents (BadgeClass, Issuer, key, revocation list):
fetched once per verification, each checked to live at the URL that names it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag

from ._errors import FetchError
from ._fetch import Fetcher
from ._ingest import as_list


class LinkError(Exception):
    """A linked document is missing or wrong. ``definite`` is False when it merely
    could not be reached (the verdict is then indeterminate, not invalid)."""

    def __init__(self, message: str, definite: bool) -> None:
        super().__init__(message)
        self.definite = definite


def node_id(value: Any) -> str | None:
    """The IRI of a reference that is either a string or an object with an id."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def same_iri(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and urldefrag(a)[0].rstrip("/") == urldefrag(b)[0].rstrip("/")


def ids_in(value: Any) -> set[str]:
    return {i for i in (node_id(v) for v in as_list(value)) if i}


def embedded(reference: Any) -> bool:
    """An object given in place of a link: it carries more than its id and type."""
    return isinstance(reference, dict) and bool(set(reference) - {"id", "type", "@context"})


@dataclass
class LinkedDocuments:
    fetcher: Fetcher
    _cache: dict[str, dict[str, Any]] = field(default_factory=dict)

    def load(self, reference: Any, what: str, *, require_id: bool = True) -> dict[str, Any]:
        """The document a reference names. An embedded object is taken as it is only when it
        has no web id: one that names a URL is fetched from there, because an embedded copy
        could claim any issuer's identity."""
        url = node_id(reference)
        if embedded(reference) and not (url and url.startswith(("https://", "http://"))):
            return reference
        if not url:
            raise LinkError(f"the {what} is neither a URL nor an object", definite=True)
        url = urldefrag(url)[0]
        if url in self._cache:
            return self._cache[url]
        try:
            document = self.fetcher.get_json(url)
        except FetchError as exc:
            gone = exc.status in (404, 410) or exc.kind in ("bad_document", "ssrf_refused", "bad_url")
            raise LinkError(f"the {what} at {url} could not be fetched: {exc.reason}", definite=gone) from None
        if not isinstance(document, dict):
            raise LinkError(f"the {what} at {url} is not a JSON object", definite=True)
        if require_id and not same_iri(node_id(document), url):
            raise LinkError(f"the {what} fetched from {url} claims the id {node_id(document)!r}; a document "
                            "must live at the URL that names it", definite=True)
        self._cache[url] = document
        return document
