"""Hostile and broken inputs end in an ``input`` failure (or exit status 2), never a traceback."""
from __future__ import annotations

import json
import zlib

import pytest

from tests.ob2factory import PLAIN_PNG, Site, bake_png, insert_chunk, png_chunk
from verifier import DocumentMap, verify

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
  <openbadges:assertion verify="https://issuer.example/a">&lol3;</openbadges:assertion>
</svg>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
  <openbadges:assertion>&xxe;</openbadges:assertion>
</svg>"""


def svg(inner: str) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">{inner}'
            '<openbadges:assertion verify="https://issuer.example/assertions/1"/></svg>').encode()


def bomb_png() -> bytes:
    """A compressed iTXt 'openbadges' chunk of ~100 KB that inflates to 100 MB."""
    compressor = zlib.compressobj(9)
    block = b"\0" * (1024 * 1024)
    body = b"".join(compressor.compress(block) for _ in range(100)) + compressor.flush()
    return insert_chunk(PLAIN_PNG, png_chunk(b"iTXt", b"openbadges\0\1\0\0\0" + body))


def truncated_png() -> bytes:
    whole = bake_png(json.dumps(Site().assertion()))
    return whole[: len(whole) // 2]


def bad_crc_png() -> bytes:
    data = bytearray(bake_png(json.dumps(Site().assertion())))
    data[40] ^= 0xFF  # inside the iTXt chunk: its CRC no longer matches
    return bytes(data)


HOSTILE = {
    "truncated.png": truncated_png,
    "bad-crc.png": bad_crc_png,
    "header-only.png": lambda: PLAIN_PNG[:16],
    "bomb.png": bomb_png,
    "entities.svg": lambda: BILLION_LAUGHS,
    "external-entity.svg": lambda: EXTERNAL_ENTITY,
    "script.svg": lambda: svg("<script>alert(1)</script>"),
    "onload.svg": lambda: svg('<rect onload="alert(1)" width="1" height="1"/>'),
    "foreign.svg": lambda: svg("<foreignObject><p>hi</p></foreignObject>"),
    "broken.svg": lambda: b"<svg xmlns='http://www.w3.org/2000/svg'><openbadges:assertion",
    "invalid.jws": lambda: b"eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2lnbmF0dXJl",
    "header-not-json.jws": lambda: b"bm90IGpzb24.eyJhIjoxfQ.c2ln",
    "header-no-alg.jws": lambda: b"eyJ0eXAiOiJKV1QifQ.eyJhIjoxfQ.c2ln",
    "payload-array.jws": lambda: b"eyJhbGciOiJSUzI1NiJ9.WzEsMl0.c2ln",
    "short.jws": lambda: b"eyJhbGciOiJSUzI1NiJ9..",
    "deep-arrays.json": lambda: b"[" * 100_000 + b"]" * 100_000,
    "deep-objects.json": lambda: b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "huge-number.json": lambda: b'{"id": ' + b"9" * 5000 + b"}",
    "nan.json": lambda: b'{"id": NaN}',
    "truncated.json": lambda: b'{"@context": "https://w3id.org/openbadges/v2", "type": "Assert',
    "empty.json": lambda: b"",
    "blank.json": lambda: b"  \n\t ",
    "binary.bin": lambda: bytes(range(256)) * 4,
    "latin1.json": lambda: b'{"name": "caf\xe9"}',
}


@pytest.fixture
def offline(tmp_path):
    return DocumentMap({}, tmp_path)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_an_input_failure(name, offline):
    report = verify(HOSTILE[name](), fetcher=offline, source=name)
    assert not report.verified
    failing = report.failing()
    assert [c.id for c in failing] == ["input"], report.to_dict()
    assert failing[0].fatal and failing[0].detail
    json.dumps(report.to_dict())


@pytest.mark.parametrize("name,reason", [("bomb.png", "too_large"), ("entities.svg", "hostile"),
                                         ("external-entity.svg", "hostile"), ("script.svg", "hostile"),
                                         ("deep-arrays.json", "too_deep"), ("empty.json", "empty"),
                                         ("truncated.png", "malformed")])
def test_hostile_input_reasons(name, reason, offline):
    assert verify(HOSTILE[name](), fetcher=offline).failing()[0].reason == reason


def test_a_50_mb_input_is_refused(offline):
    report = verify(b"{" + b" " * (50 * 1024 * 1024) + b"}", fetcher=offline)
    assert [(c.id, c.reason) for c in report.failing()] == [("input", "too_large")]


def test_json_nested_deep_inside_a_baked_png(offline):
    report = verify(bake_png("[" * 100_000 + "]" * 100_000), fetcher=offline)
    assert [(c.id, c.reason) for c in report.failing()] == [("input", "too_deep")]


def test_a_hostile_linked_document_fails_its_check_without_a_crash(tmp_path):
    site = Site()
    (tmp_path / "deep.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    (tmp_path / "big-number.json").write_bytes(b'{"id": ' + b"1" * 5000 + b"}")
    assertion = site.assertion()
    for name in ("deep.json", "big-number.json"):
        site.write_map(tmp_path / "map")
        mapping = json.loads((tmp_path / "map" / "documents.json").read_text())
        mapping[site.badge_id] = f"../{name}"
        (tmp_path / "map" / "documents.json").write_text(json.dumps(mapping))
        report = verify(assertion, fetcher=DocumentMap.from_file(tmp_path / "map" / "documents.json"))
        assert report.verdict == "invalid", name
        assert [c.id for c in report.failing()] == ["issuer"]


def test_hostile_files_through_the_cli(tmp_path, run_cli):
    paths = []
    for name, make in sorted(HOSTILE.items()):
        path = tmp_path / name
        path.write_bytes(make())
        paths.append(path)
    big = tmp_path / "fifty-megabytes.json"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    paths.append(big)
    (tmp_path / "map.json").write_text("{}")
    result = run_cli("--json", "--documents", tmp_path / "map.json", *paths)
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr, stderr
    assert result.returncode in (1, 2)
    lines = result.stdout.decode().splitlines()
    assert len(lines) == len(paths)
    for path, line in zip(paths, lines):
        report = json.loads(line)
        assert report["verified"] is False, path.name
        assert [c["id"] for c in report["checks"] if c["outcome"] == "failed"] == ["input"], path.name


def test_hostile_files_through_the_cli_human_output(tmp_path, run_cli):
    names = ["empty.json", "deep-arrays.json", "script.svg", "truncated.png"]
    for name in names:
        (tmp_path / name).write_bytes(HOSTILE[name]())
    (tmp_path / "map.json").write_text("{}")
    result = run_cli("--documents", tmp_path / "map.json", *(tmp_path / name for name in names))
    assert "Traceback" not in result.stderr.decode()
    assert result.returncode in (1, 2)
    text = result.stdout.decode()
    for name in names:
        [heading] = [line for line in text.splitlines() if line.startswith(str(tmp_path / name))]
        assert "INVALID" in heading
    assert text.count("[FAIL] input") == len(names)


def test_hostile_standard_input_through_the_cli(tmp_path, run_cli):
    (tmp_path / "map.json").write_text("{}")
    result = run_cli("--json", "--documents", tmp_path / "map.json", "-", input=BILLION_LAUGHS)
    assert "Traceback" not in result.stderr.decode()
    assert result.returncode == 1
    assert json.loads(result.stdout)["checks"][0]["problem"]["type"].endswith("/hostile")
