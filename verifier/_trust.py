"""Issuer trust: an employer's allow/deny lists and known-issuer registries.

Registries use the DCC issuer-registry JSON format::

    {"meta": {...}, "registry": {"did:key:z6Mk...": {"name": "...", "url": "..."}, ...}}

A policy file (``TrustPolicy.from_file``) is JSON::

    {"allow": ["did:web:uni.example", "uni.example"], "deny": ["bad.example"],
     "registries": [{"name": "DCC", "url": "https://..."}, {"name": "local", "path": "reg.json"}],
     "require_key_binding": false}

Entries of allow/deny match an issuer id exactly, or a domain: the host of an
https issuer id or of a did:web (and their subdomains).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

from ._errors import FetchError, InputError
from ._report import Check, failed, passed, skipped, warning
from ._safejson import parse_json


@dataclass(frozen=True)
class Registry:
    """A known-issuer registry: issuer id -> what the registry says about it."""

    name: str
    issuers: dict[str, dict[str, Any]]

    @classmethod
    def from_json(cls, name: str, document: Any) -> "Registry":
        table = document.get("registry") if isinstance(document, dict) else None
        if not isinstance(table, dict):
            raise InputError(f"registry {name} is not in the DCC format (no 'registry' object)", "bad_registry")
        meta = document.get("meta") if isinstance(document.get("meta"), dict) else {}
        label = name or str(meta.get("name") or "registry")
        return cls(label, {k: v if isinstance(v, dict) else {} for k, v in table.items() if isinstance(k, str)})

    @classmethod
    def from_file(cls, path: Path | str, name: str | None = None) -> "Registry":
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read registry {path}: {exc.strerror}", "bad_registry") from None
        return cls.from_json(name or path.stem, parse_json(raw, what=f"registry {path.name}"))

    @classmethod
    def from_url(cls, url: str, fetcher: Any, name: str | None = None) -> "Registry":
        try:
            document = fetcher.get_json(url)
        except FetchError as exc:
            raise InputError(f"cannot fetch registry {url}: {exc.reason}", "bad_registry") from None
        return cls.from_json(name or url, document)


def issuer_domain(issuer_id: str) -> str | None:
    if issuer_id.startswith("did:web:"):
        return unquote(issuer_id[len("did:web:"):].split(":")[0]).split(":")[0].lower() or None
    if issuer_id.startswith(("https://", "http://")):
        return (urlsplit(issuer_id).hostname or "").lower() or None
    return None


def _matches(entry: str, issuer_id: str, domain: str | None) -> bool:
    if entry == issuer_id:
        return True
    entry = entry.lower().strip()
    return bool(domain) and "/" not in entry and ":" not in entry and (domain == entry or domain.endswith("." + entry))


@dataclass
class TrustPolicy:
    """What the employer trusts. ``allow``/``deny``: issuer ids, DIDs or domains;
    ``registries``: known-issuer registries; ``require_key_binding``: refuse keys
    bound to the issuer only by convention or self-assertion."""

    allow: frozenset[str] = frozenset()
    deny: frozenset[str] = frozenset()
    registries: list[Registry] = field(default_factory=list)
    require_key_binding: bool = False

    @classmethod
    def from_file(cls, path: Path | str, fetcher: Any = None) -> "TrustPolicy":
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read trust policy {path}: {exc.strerror}", "bad_trust_policy") from None
        return cls.from_json(parse_json(raw, what=f"trust policy {path.name}"), base_dir=path.parent, fetcher=fetcher)

    @classmethod
    def from_json(cls, document: Any, *, base_dir: Path | str = ".", fetcher: Any = None) -> "TrustPolicy":
        if not isinstance(document, dict):
            raise InputError("a trust policy is a JSON object", "bad_trust_policy")
        registries = []
        for item in document.get("registries") or []:
            item = {"url": item} if isinstance(item, str) and "://" in item else \
                {"path": item} if isinstance(item, str) else item
            if not isinstance(item, dict):
                raise InputError("a registry entry is a path, a URL or an object", "bad_trust_policy")
            if item.get("url"):
                if fetcher is None:
                    raise InputError(f"registry {item['url']} needs a fetcher", "bad_trust_policy")
                registries.append(Registry.from_url(item["url"], fetcher, item.get("name")))
            elif item.get("path"):
                registries.append(Registry.from_file(Path(base_dir) / item["path"], item.get("name")))
        return cls(frozenset(_strings(document.get("allow"))), frozenset(_strings(document.get("deny"))),
                   registries, bool(document.get("require_key_binding", False)))

    def check(self, issuer_id: str | None, issuer_name: str | None = None) -> Check:
        if not issuer_id:
            return failed("issuer", "the credential names no issuer id", "issuer_missing")
        domain = issuer_domain(issuer_id)
        denied = next((e for e in self.deny if _matches(e, issuer_id, domain)), None)
        if denied:
            return failed("issuer", f"issuer {issuer_id} is on the deny list ({denied})", "issuer_denied")
        allowed = next((e for e in self.allow if _matches(e, issuer_id, domain)), None)
        if allowed:
            return passed("issuer", f"issuer {issuer_id} is on the employer's allow list ({allowed})")
        for registry in self.registries:
            entry = registry.issuers.get(issuer_id)
            if entry is not None:
                label = entry.get("name") or issuer_name or issuer_id
                return passed("issuer", f"issuer {label} ({issuer_id}) is vouched for by the registry {registry.name}")
        return warning("issuer", f"issuer {issuer_id} is not on the allow list or in any known-issuer registry",
                       "issuer_unknown")


def _strings(value: Any) -> Iterable[str]:
    return [v for v in (value or []) if isinstance(v, str) and v.strip()]


def issuer_check(policy: TrustPolicy | None, issuer_id: str | None, issuer_name: str | None = None) -> Check:
    if policy is None:
        if not issuer_id:
            return failed("issuer", "the credential names no issuer id", "issuer_missing")
        return skipped("issuer", f"issuer {issuer_id}: no trust policy configured")
    return policy.check(issuer_id, issuer_name)


__all__ = ["Registry", "TrustPolicy", "issuer_check", "issuer_domain"]
