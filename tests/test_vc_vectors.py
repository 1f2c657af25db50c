"""Published test vectors: canonical N-Quads, hashes and signatures reproduced byte for byte."""
from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.interop import INTEROP, require_interop
from verifier._dataintegrity import proof_options, sign, unsecured
from verifier._jsonld import canonize, selections
from verifier._multibase import ED25519_PRIV, b58decode, multibase_decode

W3C = "files/w3c-vc-di-eddsa/TestVectors"
VECTORS = {
    "eddsa-rdfc-2022": (f"{W3C}/eddsa-rdfc-2022", "signedDataInt.json", "DataInt"),
    "Ed25519Signature2020": (f"{W3C}/Ed25519Signature2020", "signedEdSig.json", "EdSig"),
}


def _read(folder: str, name: str) -> str:
    return (require_interop() / folder / name).read_text()


def _canonical_forms(signed: dict) -> tuple[str, str]:
    body = unsecured(signed)
    options = proof_options(body, {k: v for k, v in signed["proof"].items()})
    selection = selections([body, options])[0]
    return canonize(body, selection), canonize(options, selection)


@pytest.mark.parametrize("suite", sorted(VECTORS))
def test_w3c_vector_intermediates(suite):
    folder, signed_name, tag = VECTORS[suite]
    signed = json.loads(_read(folder, signed_name))
    document, proof = _canonical_forms(signed)
    assert document == _read(folder, f"canonDoc{tag}.txt")
    assert proof == _read(folder, f"proofCanon{tag}.txt")
    doc_hash = hashlib.sha256(document.encode()).hexdigest()
    proof_hash = hashlib.sha256(proof.encode()).hexdigest()
    assert doc_hash == _read(folder, f"docHash{tag}.txt").strip()
    assert proof_hash == _read(folder, f"proofHash{tag}.txt").strip()
    assert proof_hash + doc_hash == _read(folder, f"combinedHash{tag}.txt").strip()


@pytest.mark.parametrize("suite", sorted(VECTORS))
def test_w3c_vector_signature_is_reproduced(suite):
    folder, signed_name, tag = VECTORS[suite]
    signed = json.loads(_read(folder, signed_name))
    pair = json.loads(_read(W3C, "keyPair.json"))
    private = multibase_decode(pair["privateKeyMultibase"])
    assert private.startswith(ED25519_PRIV)
    key = ed25519.Ed25519PrivateKey.from_private_bytes(private[len(ED25519_PRIV):])
    proof = signed["proof"]
    created = __import__("datetime").datetime.fromisoformat(proof["created"].replace("Z", "+00:00"))
    again = sign(unsecured(signed), key, proof["verificationMethod"], suite=proof.get("cryptosuite", suite),
                 created=created)
    assert again["proof"]["proofValue"] == proof["proofValue"]
    assert b58decode(proof["proofValue"][1:]).hex() == _read(folder, f"sigHex{tag}.txt").strip()


def test_open_badges_implementation_guide_vector():
    folder = "files/1edtech-ob-spec/ob_v3p0/impl"
    signed = json.loads(_read(folder, "linked-data-proof-ob.signed-credential.json"))
    document, proof = _canonical_forms(signed)
    assert document == _read(f"{folder}/test-vectors/obv3p0", "document-canon.txt")
    assert proof == _read(f"{folder}/test-vectors/obv3p0", "proof-canon.txt")


def test_vectors_need_shared():
    if not (INTEROP / W3C).is_dir():
        pytest.skip("../shared/interop is not beside the repository")
    assert (INTEROP / W3C / "keyPair.json").is_file()
