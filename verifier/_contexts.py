"""The registry of known JSON-LD contexts. Contexts are never fetched from the network.

A context URL resolves, in order, from copies bundled with maintained packages
(pyld, openbadgeslib), from the files the project ships in ``data/contexts``,
from the operator's contexts directories, and last from an offline document
map passed as the fetcher. Some URLs were republished with changes (OB 3.0.3
gained ``jti`` and ``endorsementJwt``); each published version is kept as a
named *variant* and verification tries each one.

Documents are parsed lazily, once per process, and shared: callers must treat
them as read-only.
"""
from __future__ import annotations

import json
import os
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from ._errors import FetchError, InputError
from ._fetch import DocumentMap
from ._safejson import parse_json

PROJECT_CONTEXTS = Path(__file__).resolve().parents[1] / "data" / "contexts"
INDEX_NAME = "index.json"
CONTEXTS_ENV = "VERIFIER_CONTEXTS_DIR"
MAX_CONTEXT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ContextVariant:
    """One published version of a context document."""

    url: str
    name: str
    source: str
    document: dict[str, Any] = field(repr=False, compare=False)


@dataclass
class _Pending:
    name: str
    source: str
    load: Callable[[], Any]


def _checked(url: str, document: Any) -> dict[str, Any]:
    if not isinstance(document, dict) or not isinstance(document.get("@context"), (dict, list)):
        raise InputError(f"the context document for {url} has no @context object", "bad_context")
    return document


def _read_json_file(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read context file {path.name}: {exc.strerror}", "bad_context") from None
    return parse_json(raw, what=f"context file {path.name}", max_bytes=MAX_CONTEXT_BYTES)


def _index_entries(index: Any, where: str) -> Iterable[tuple[str, str, str | None]]:
    """(url, file, variant name) from a contexts index: ``{url: file}``,
    ``{url: [{"file", "variant"}, ...]}``, either optionally under ``"contexts"``."""
    table = index.get("contexts", index) if isinstance(index, dict) else None
    if not isinstance(table, dict):
        raise InputError(f"{where} must map context URLs to files", "bad_context")
    for url, value in table.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                yield url, item, None
            elif isinstance(item, dict) and isinstance(item.get("file"), str):
                yield url, item["file"], item.get("variant")
            else:
                raise InputError(f"{where}: entry for {url} names no file", "bad_context")


CLR_201 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"


def _openbadgeslib_clr() -> Any:
    """openbadgeslib keeps the CLR context apart from its allowlist (hash-pinned)."""
    try:
        from openbadgeslib.ob3.clr import bundled_clr_contexts
    except ImportError:
        return None
    return bundled_clr_contexts().get(CLR_201)


class ContextRegistry:
    """Known contexts by URL, each with one or more variants."""

    def __init__(self, *, bundled: bool = True, project: bool = True) -> None:
        self._pending: dict[str, list[_Pending]] = {}
        self._loaded: dict[str, list[ContextVariant]] = {}
        self._lock = threading.RLock()
        self._from_maps: "weakref.WeakKeyDictionary[Any, dict[str, list[ContextVariant]]]" = \
            weakref.WeakKeyDictionary()
        if bundled:
            self._add_pyld()
            self._add_openbadgeslib()
        if project and PROJECT_CONTEXTS.is_dir():
            self.add_directory(PROJECT_CONTEXTS, source="project")

    def _add(self, url: str, name: str, source: str, load: Callable[[], Any]) -> None:
        with self._lock:
            self._pending.setdefault(url, []).append(_Pending(name, source, load))
            self._loaded.pop(url, None)

    def _add_pyld(self) -> None:
        try:
            from pyld.documentloader.frozen import BUNDLED_CONTEXTS
        except ImportError:  # an older pyld without bundled contexts
            return
        for url, path in BUNDLED_CONTEXTS.items():
            self._add(url, "pyld", "pyld", lambda path=path: _read_json_file(Path(path)))

    def _add_openbadgeslib(self) -> None:
        try:
            from openbadgeslib.ob3 import contexts as obl
        except ImportError:
            return
        urls: Iterable[str] = getattr(obl, "_URL_TO_RESOURCE", None) or obl.bundled_contexts()
        for url in urls:
            self._add(url, "openbadgeslib", "openbadgeslib", lambda url=url: obl.load_context(url))
        self._add(CLR_201, "openbadgeslib", "openbadgeslib", _openbadgeslib_clr)

    def add_directory(self, directory: Path | str, *, source: str = "operator") -> None:
        """Add the contexts listed in ``DIR/index.json`` (``{url: file}`` or
        ``{url: [{"file": ..., "variant": ...}]}``)."""
        directory = Path(directory)
        index_path = directory / INDEX_NAME
        index = _read_json_file(index_path)
        for url, file_name, variant in _index_entries(index, str(index_path)):
            path = (directory / file_name).resolve()
            if directory.resolve() not in path.parents:
                raise InputError(f"{index_path}: {file_name} is outside the contexts directory", "bad_context")
            self._add(url, variant or source, source, lambda path=path: _read_json_file(path))

    def add_document(self, url: str, document: Mapping[str, Any], *, variant: str = "operator") -> None:
        doc = _checked(url, dict(document))
        self._add(url, variant, "operator", lambda: doc)

    def _load(self, url: str) -> list[ContextVariant]:
        with self._lock:
            if url in self._loaded:
                return self._loaded[url]
            variants: list[ContextVariant] = []
            for pending in self._pending.get(url, []):
                loaded = pending.load()
                if loaded is None:  # a package that turned out not to provide it
                    continue
                document = _checked(url, loaded)
                same = next((i for i, v in enumerate(variants) if v.document == document), None)
                if same is None:
                    variants.append(ContextVariant(url, pending.name, pending.source, document))
                elif pending.source == "project" and variants[same].name == variants[same].source:
                    # the project's file names a package's copy more precisely
                    variants[same] = ContextVariant(url, pending.name, variants[same].source, variants[same].document)
            self._loaded[url] = variants
            return variants

    def _from_document_map(self, url: str, fetcher: Any) -> list[ContextVariant]:
        # Only an offline map is consulted: a context is never fetched over the network.
        if not isinstance(fetcher, DocumentMap) or url not in fetcher:
            return []
        with self._lock:
            cached = self._from_maps.setdefault(fetcher, {})
            if url not in cached:
                try:
                    document = _checked(url, fetcher.get_json(url))
                except (FetchError, InputError):
                    cached[url] = []
                else:
                    cached[url] = [ContextVariant(url, "document map", "document map", document)]
            return cached[url]

    def variants(self, url: str, fetcher: Any = None) -> list[ContextVariant]:
        if not isinstance(url, str):
            return []
        return (self._load(url) if url in self._pending else []) or self._from_document_map(url, fetcher)

    def is_known(self, url: str, fetcher: Any = None) -> bool:
        return bool(self.variants(url, fetcher))

    def urls(self) -> list[str]:
        return sorted(self._pending)


_default: ContextRegistry | None = None
_default_lock = threading.Lock()


def default_registry() -> ContextRegistry:
    """The process-wide registry: bundled, project, and the directories named in
    the ``VERIFIER_CONTEXTS_DIR`` environment variable (path-separated)."""
    global _default
    with _default_lock:
        if _default is None:
            registry = ContextRegistry()
            for directory in filter(None, os.environ.get(CONTEXTS_ENV, "").split(os.pathsep)):
                registry.add_directory(directory)
            _default = registry
        return _default


def add_contexts_dir(directory: Path | str) -> None:
    """Let the operator add contexts (``DIR/index.json`` maps URLs to files)."""
    default_registry().add_directory(directory)


def is_known_context(url: str, fetcher: Any = None) -> bool:
    """Whether ``url`` resolves without the network (fetcher: an offline DocumentMap, optional)."""
    return default_registry().is_known(url, fetcher)


def context_variants(url: str, fetcher: Any = None) -> list[tuple[str, dict[str, Any]]]:
    """(variant name, parsed document) for each known published version of ``url``;
    empty when the context is unknown. Documents are shared: do not modify them."""
    return [(v.name, v.document) for v in default_registry().variants(url, fetcher)]


def differing_terms(variants: list[ContextVariant] | list[tuple[str, dict[str, Any]]]) -> set[str]:
    """Top-level terms whose definitions differ between the variants of one URL:
    a document that uses none of them expands the same under every variant."""
    contexts = []
    for variant in variants:
        document = variant.document if isinstance(variant, ContextVariant) else variant[1]
        inner = document.get("@context")
        contexts.append(inner if isinstance(inner, dict) else {"@list": json.dumps(inner, sort_keys=True)})
    terms: set[str] = set()
    for context in contexts[1:]:
        for term in set(context) | set(contexts[0]):
            if context.get(term) != contexts[0].get(term):
                terms.add(term)
    return terms


__all__ = ["ContextRegistry", "ContextVariant", "add_contexts_dir", "context_variants", "default_registry",
           "differing_terms", "is_known_context"]
