"""JSON-LD processing for Data Integrity proofs through pyld, offline and in safe mode.

Every context comes from the registry (``_contexts``); anything else fails.
Expansion runs in "safe mode": a term that expands to nothing, or a relative
``@type`` or ``@id``, is an error rather than silently left out of what the
signature covers. Canonicalization is RDF Dataset Canonicalization (URDNA2015,
which RDFC-1.0 standardised), with limits against poison graphs.

pyld re-processes contexts on every call unless its resolved-context cache
hits; this module keeps one resolver cache per choice of context variants and
keys the registry's nested (scoped) contexts by identity instead of
re-serializing them on every lookup.
"""
from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterator

from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

from ._contexts import ContextVariant, default_registry, differing_terms
from ._errors import VerifierError

MAX_VARIANT_COMBINATIONS = 8
MAX_QUADS = 20_000
MAX_N_DEGREE_CALLS = 2_000
CANON_TIME_LIMIT = 5.0
MAX_WALK_DEPTH = 64
_RESOLVER_CACHES = 32
_MEMO_SIZE = 4096


class LdError(VerifierError):
    """The document cannot be processed safely. ``kind``: unknown_context,
    undefined_term, relative_type, relative_id, invalid_jsonld, too_complex."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Selection:
    """One variant chosen for each context URL a document names."""

    variants: tuple[ContextVariant, ...]
    alternatives: frozenset[str]  # URLs that had more than one variant

    def names(self) -> dict[str, str]:
        return {v.url: v.name for v in self.variants if v.url in self.alternatives}

    @property
    def cache_key(self) -> tuple[tuple[str, str, str], ...]:
        return tuple((v.url, v.name, v.source) for v in self.variants if v.source != "document map")


def _walk(value: Any, depth: int = 0, opaque: str = "") -> Iterator[tuple[str, Any]]:
    """(key, value) of every object member, depth-first, bounded; members named
    ``opaque`` are yielded but not entered."""
    if depth > MAX_WALK_DEPTH:
        raise LdError("the document nests too deeply", "too_complex")
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            if key != opaque:
                yield from _walk(item, depth + 1, opaque)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, depth + 1, opaque)


def context_urls(document: Any) -> list[str]:
    """Every context URL named anywhere in the document, in order, once."""
    urls: dict[str, None] = {}
    for key, value in _walk(document):
        if key == "@context":
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    urls[item] = None
    return list(urls)


def used_terms(document: Any) -> set[str]:
    terms: set[str] = set()
    for key, value in _walk(document):
        terms.add(key)
        if key in ("type", "@type"):
            terms.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
    return terms


def selections(document: Any, fetcher: Any = None) -> list[Selection]:
    """The variant combinations worth trying, most likely first. A URL whose
    variants differ only in terms the document never uses keeps one variant."""
    registry = default_registry()
    chosen: list[list[ContextVariant]] = []
    terms: set[str] | None = None
    for url in context_urls(document):
        variants = registry.variants(url, fetcher)
        if not variants:
            raise LdError(f"unknown JSON-LD context {url}: contexts are never fetched from the network",
                          "unknown_context")
        if len(variants) > 1:
            terms = used_terms(document) if terms is None else terms
            if not differing_terms(variants) & terms:
                variants = variants[:1]
        chosen.append(variants)
    alternatives = frozenset(group[0].url for group in chosen if len(group) > 1)
    combos = itertools.islice(itertools.product(*chosen), MAX_VARIANT_COMBINATIONS)
    return [Selection(tuple(combo), alternatives) for combo in combos]


class _Resolver(ContextResolver):
    """pyld's resolver, with the registry's own nested context objects looked up
    by identity (they are immutable and shared) instead of re-serialized."""

    def __init__(self, shared_cache: dict, loader: Any, by_identity: dict[int, tuple[Any, Any]]) -> None:
        super().__init__(shared_cache, loader)
        self._by_identity = by_identity

    def resolve(self, active_ctx, context, base, cycles=None):
        if isinstance(context, dict) and "@context" not in context:
            hit = self._by_identity.get(id(context))
            if hit is not None and hit[0] is context:
                return [hit[1]]
            resolved = super().resolve(active_ctx, context, base, cycles)
            if id(context) in self._stable:
                self._by_identity[id(context)] = (context, resolved[0])
            return resolved
        return super().resolve(active_ctx, context, base, cycles)

    _stable: frozenset[int] = frozenset()


class _Processor(jsonld.JsonLdProcessor):
    """pyld's processor, remembering processed scoped contexts.

    pyld caches a processed context by the active context it was applied to, but
    a type-scoped context (not propagated) is applied to a fresh clone each time,
    so that cache never hits and every node re-creates its term definitions.
    Processing is a pure function of (active context, local context, flags), and
    both are immutable shared objects here, so the result is memoised on them."""

    def __init__(self, memo: "OrderedDict[tuple, tuple[Any, Any]]", on_property_dropped: Any) -> None:
        super().__init__(on_property_dropped=on_property_dropped)
        self._memo = memo

    def _process_context(self, active_ctx, local_ctx, options, override_protected=False, propagate=True,
                         validate_scoped=True, cycles=None):
        uuid = active_ctx.get("_uuid") if cycles is None else None
        if uuid is None or not isinstance(local_ctx, (dict, list)):
            return super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                             validate_scoped, cycles)
        key = (uuid, id(local_ctx), override_protected, propagate, validate_scoped)
        hit = self._memo.get(key)
        if hit is not None and hit[0] is local_ctx:
            return hit[1]
        result = super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                          validate_scoped, cycles)
        self._memo[key] = (local_ctx, result)  # holding local_ctx keeps its id from being reused
        if len(self._memo) > _MEMO_SIZE:
            try:
                self._memo.popitem(last=False)
            except KeyError:  # emptied by another thread meanwhile
                pass
        return result


class _Engine:
    """Loader and caches for one selection."""

    def __init__(self, selection: Selection, fetcher: Any) -> None:
        registry = default_registry()
        self.documents = {v.url: v for v in selection.variants}
        self.registry = registry
        self.fetcher = fetcher
        self.shared_cache: dict = {}
        self.by_identity: dict[int, tuple[Any, Any]] = {}
        self.memo: "OrderedDict[tuple, tuple[Any, Any]]" = OrderedDict()
        self.stable = frozenset(id(obj) for v in selection.variants if v.source != "document map"
                                for obj in _objects(v.document))

    def load(self, url: str, options: Any = None) -> dict[str, Any]:
        variant = self.documents.get(url)
        if variant is None:
            found = self.registry.variants(url, self.fetcher)
            if not found:
                raise jsonld.JsonLdError("unknown context", "jsonld.LoadDocumentError", {"url": url},
                                         code="loading document failed")
            variant = found[0]
        remote = {"contextUrl": None, "documentUrl": url, "document": variant.document}
        if variant.source != "document map":
            remote["tag"] = "static"
        return remote

    def resolver(self) -> _Resolver:
        resolver = _Resolver(self.shared_cache, self.load, self.by_identity)
        resolver._stable = self.stable
        return resolver


def _objects(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


_engines: "OrderedDict[tuple, _Engine]" = OrderedDict()
_engines_lock = threading.Lock()


def _engine(selection: Selection, fetcher: Any) -> _Engine:
    uses_map = any(v.source == "document map" for v in selection.variants)
    if uses_map:  # contexts from an operator's map are not shared between calls
        return _Engine(selection, fetcher)
    with _engines_lock:
        engine = _engines.get(selection.cache_key)
        if engine is None:
            engine = _engines[selection.cache_key] = _Engine(selection, fetcher)
            while len(_engines) > _RESOLVER_CACHES:
                _engines.popitem(last=False)
        else:
            _engines.move_to_end(selection.cache_key)
        return engine


# Relative IRIs are resolved against this base so that safe mode can see them
# (pyld would otherwise resolve them against its own default base).
RELATIVE_BASE = "https://relative-iri.invalid/"


def _is_absolute(iri: str) -> bool:
    return ":" in iri and not iri.startswith(RELATIVE_BASE)


def _relative(iri: str) -> str:
    return iri[len(RELATIVE_BASE):] if iri.startswith(RELATIVE_BASE) else iri


def _safe_mode(expanded: Any, dropped: list[Any]) -> None:
    if dropped:
        names = sorted({str(d) for d in dropped})
        raise LdError(f"term(s) not defined by any context: {', '.join(names[:5])}", "undefined_term")
    for key, value in _walk(expanded, opaque="@value"):
        if key == "@type":
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and not _is_absolute(item) and not item.startswith("@"):
                    raise LdError(f"@type {_relative(item)!r} is a relative IRI: no context defines it",
                                  "relative_type")
        elif key == "@id" and isinstance(value, str) and value and not _is_absolute(value):
            raise LdError(f"@id {_relative(value)!r} is a relative IRI", "relative_id")
        elif not key.startswith("@") and not _is_absolute(key):
            raise LdError(f"property {_relative(key)!r} expands to a relative IRI", "undefined_term")


def expand(document: Any, selection: Selection, fetcher: Any = None) -> tuple[Any, jsonld.JsonLdProcessor, dict]:
    """Safe-mode expansion: (expanded, processor, options)."""
    engine = _engine(selection, fetcher)
    dropped: list[Any] = []
    processor = _Processor(engine.memo, dropped.append)
    options = {"base": RELATIVE_BASE, "documentLoader": engine.load, "contextResolver": engine.resolver(),
               "processingMode": "json-ld-1.1", "produceGeneralizedRdf": False, "rdfDirection": None,
               "extractAllScripts": False}
    try:
        expanded = processor.expand(document, options)
    except jsonld.JsonLdError as exc:
        raise _translate(exc) from None
    _safe_mode(expanded, dropped)
    return expanded, processor, options


def _translate(exc: jsonld.JsonLdError) -> LdError:
    cause: Any = exc
    while cause is not None:
        if getattr(cause, "code", None) in ("loading document failed", "loading remote context failed"):
            url = (getattr(cause, "details", None) or {}).get("url", "a context")
            return LdError(f"unknown JSON-LD context {url}: contexts are never fetched from the network",
                           "unknown_context")
        cause = cause.__cause__
    return LdError(f"invalid JSON-LD: {exc}", "invalid_jsonld")


class _GuardedCanon(URDNA2015):
    """URDNA2015 with a bound on the work a crafted blank-node graph can cause."""

    def __init__(self) -> None:
        super().__init__()
        self._calls = 0
        self._deadline = time.monotonic() + CANON_TIME_LIMIT

    def hash_n_degree_quads(self, id_, issuer):
        self._calls += 1
        if self._calls > MAX_N_DEGREE_CALLS or time.monotonic() > self._deadline:
            raise LdError("canonicalization exceeded its work limit (blank-node graph too complex)",
                          "too_complex")
        return super().hash_n_degree_quads(id_, issuer)


def to_dataset(expanded: Any, processor: jsonld.JsonLdProcessor, options: dict) -> dict[str, list]:
    # pyld's to_rdf() without the second expansion pass it would run
    issuer = IdentifierIssuer("_:b")
    node_map: dict[str, dict] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    dataset = {}
    for graph_name, graph in sorted(node_map.items()):
        if graph_name == "@default" or _is_absolute(graph_name):
            dataset[graph_name] = processor._graph_to_rdf(graph, issuer, options)
    return dataset


def canonize(document: Any, selection: Selection, fetcher: Any = None) -> str:
    """Canonical N-Quads of a JSON-LD document (safe mode, offline contexts)."""
    expanded, processor, options = expand(document, selection, fetcher)
    dataset = to_dataset(expanded, processor, options)
    if sum(len(quads) for quads in dataset.values()) > MAX_QUADS:
        raise LdError(f"the document has over {MAX_QUADS} statements", "too_complex")
    try:
        return _GuardedCanon().main(dataset, {"format": "application/n-quads"})
    except RecursionError:
        raise LdError("canonicalization recursed too deeply", "too_complex") from None


__all__ = ["LdError", "Selection", "canonize", "context_urls", "expand", "selections", "used_terms"]
