"""Starts the test identity providers and a Rounds process configured to trust them."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.live import ROOT, free_port, launch, process_env, stop, wait_for

PASSWORD = "idp-test-pass-2026"
OIDC_ID, SAML_ID = "hospital-oidc", "hospital-saml"
# Synthetic staff; misbehaving ones make the IdP send what Rounds must refuse.
USERS = {
    "nina": {"groups": ["rounds-observers"], "name": "Nina Observer"},
    "omar": {"groups": ["rounds-owners", "rounds-observers"], "name": "Omar Owner"},
    "vera": {"groups": ["visitors"], "name": "Vera Visitor"},
    "aud": {"groups": ["rounds-observers"], "misbehave": "wrong_audience"},
    "late": {"groups": ["rounds-observers"], "misbehave": "expired"},
    "replay": {"groups": ["rounds-observers"], "misbehave": "stale_nonce"},
    "bare": {"groups": ["rounds-observers"], "misbehave": "unsigned"},
}
ROLE_MAP = {
    "rounds-observers": ["observer"],
    "rounds-owners": "product_owner",
    f"{SAML_ID}:rounds-clinicians": ["clinician"],
}


@dataclass
class World:
    rounds: str
    oidc: str
    saml: str
    dir: Path


def self_signed(directory: Path) -> tuple[Path, Path, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-idp.rounds.invalid")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / "idp-key.pem", directory / "idp-cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    cert_path.write_bytes(pem)
    body = "".join(line for line in pem.decode().splitlines() if "CERTIFICATE" not in line)
    return key_path, cert_path, body


def _idp(module: str, port: int, args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", module, "--port", str(port), *args],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_for(port, proc, log, timeout=60)
    return proc


def _users() -> dict[str, dict[str, object]]:
    return {name: {"password": PASSWORD, **spec} for name, spec in USERS.items()}


@contextmanager
def sso_world(directory: Path, break_glass: str = "") -> Iterator[World]:
    """Both IdPs and one Rounds (Daphne) on 127.0.0.1; yields their base URLs."""
    rp, op, sp = free_port(), free_port(), free_port()
    rounds, oidc, saml = (f"http://127.0.0.1:{p}" for p in (rp, op, sp))
    key, cert, cert_body = self_signed(directory)
    oidc_provider = {"kind": "oidc", "id": OIDC_ID, "name": "Hospital OIDC",
                     "server_url": f"{oidc}/o", "client_id": "rounds-test",
                     "secret": "rounds-test-secret-2026"}  # fmt: skip
    saml_provider = {"kind": "saml", "id": SAML_ID, "name": "Hospital SAML",
                     "idp_entity_id": f"{saml}/metadata", "sso_url": f"{saml}/sso/redirect",
                     "x509cert": cert_body,
                     "attribute_mapping": {"uid": "rounds_uid", "username": "username",
                                           "name": "fullname"}}  # fmt: skip
    providers = [oidc_provider, saml_provider]
    env = process_env({
        "ROUNDS_SSO_PROVIDERS": json.dumps(providers),
        "ROUNDS_SSO_ROLE_MAP": json.dumps(ROLE_MAP),
        "ROUNDS_BREAK_GLASS_ACCOUNTS": break_glass,
    })  # fmt: skip
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(launch(env, directory / "rounds.log", port=rp)[0])
        oidc_config = directory / "oidc.json"
        oidc_config.write_text(json.dumps({"client_id": "rounds-test",
            "client_secret": "rounds-test-secret-2026", "users": _users()}))  # fmt: skip
        callback = f"{rounds}/accounts/oidc/{OIDC_ID}/login/callback/"
        procs.append(_idp("tests.idp.oidc_idp", op,
                          ["--redirect-uri", callback, "--config", str(oidc_config)],
                          directory / "oidc-idp.log"))  # fmt: skip
        metadata = directory / "sp-metadata.xml"
        with urllib.request.urlopen(f"{rounds}/accounts/saml/{SAML_ID}/metadata/") as r:
            metadata.write_bytes(r.read())
        saml_config = directory / "saml.json"
        saml_config.write_text(json.dumps({"key": str(key), "cert": str(cert), "users": _users()}))
        procs.append(_idp("tests.idp.saml_idp", sp,
                          ["--sp-metadata", str(metadata), "--config", str(saml_config)],
                          directory / "saml-idp.log"))  # fmt: skip
        yield World(rounds=rounds, oidc=oidc, saml=saml, dir=directory)
    finally:
        for proc in procs:
            stop(proc)
