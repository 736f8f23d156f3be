"""A real SAML 2.0 identity provider for tests: pysaml2's `Server` (signing with xmlsec1) in its
own process, answering SP-initiated HTTP-Redirect AuthnRequests with an HTTP-POST Response.

    python -m tests.idp.saml_idp --port P --sp-metadata sp.xml --config idp.json

`idp.json`: {"key": PEM path, "cert": PEM path, "users": {name: {"password", "groups": [..],
"name"?, "misbehave"?: "unsigned" | "expired" | "wrong_audience"}}}; `misbehave` makes it
answer that user with an unsigned, expired or wrongly addressed assertion.
"""

from __future__ import annotations

import argparse
import html
import json
import secrets
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_UNSPECIFIED
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

PENDING: dict[str, dict[str, Any]] = {}  # login-form token -> the AuthnRequest being answered


OTHER_SP = "https://not-rounds.example/sp"


def idp_server(
    base: str, config: dict[str, Any], sp_metadata: list[str], lifetime_minutes: int
) -> Server:
    conf = IdPConfig()
    sso = [(f"{base}/sso/redirect", BINDING_HTTP_REDIRECT)]
    policy = {
        "default": {"lifetime": {"minutes": lifetime_minutes}, "attribute_restrictions": None}
    }
    idp = {
        "endpoints": {"single_sign_on_service": sso},
        "policy": policy,
        "name_id_format": [NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_UNSPECIFIED],
        "want_authn_requests_signed": False,
    }
    conf.load(
        {
            "entityid": f"{base}/metadata",
            "service": {"idp": idp},
            "key_file": config["key"],
            "cert_file": config["cert"],
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "metadata": {"local": sp_metadata},
        }
    )
    return Server(config=conf)


def login_page(token: str, error: str = "") -> bytes:
    note = f'<p id="idp-error">{html.escape(error)}</p>' if error else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Test SAML IdP</title></head><body><h1>Test SAML identity provider</h1>{note}
<form method="post" action="/login"><input type="hidden" name="token" value="{token}">
<label>Username <input name="username" id="idp-username"></label>
<label>Password <input name="password" id="idp-password" type="password"></label>
<button type="submit" id="idp-submit">Sign in</button></form></body></html>""".encode()


def make_handler(servers: dict[str, Server], users: dict[str, Any]) -> type:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, body: bytes, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path != "/sso/redirect":
                return self._send(b"not found", 404)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            req = servers["ok"].parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
            token = secrets.token_urlsafe(16)
            PENDING[token] = {
                "id": req.message.id,
                "sp": req.message.issuer.text,
                "acs": req.message.assertion_consumer_service_url,
                "relay_state": query.get("RelayState", ""),
            }
            self._send(login_page(token))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            pending = PENDING.get(form.get("token", ""))
            user = users.get(form.get("username", ""))
            if pending is None:
                return self._send(b"unknown or used sign-in", 400)
            if user is None or user["password"] != form.get("password"):
                return self._send(login_page(form["token"], "Wrong username or password."))
            del PENDING[form["token"]]
            self._send(respond(servers, pending, form["username"], user))

        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write("saml idp: " + (format % args) + "\n")

    return Handler


def respond(
    servers: dict[str, Server], pending: dict[str, Any], name: str, user: dict[str, Any]
) -> bytes:
    misbehave = user.get("misbehave", "")
    server = servers["expired" if misbehave == "expired" else "ok"]
    identity = {
        "rounds_uid": [f"saml-{name}"],
        "username": [name],
        "fullname": [user.get("name", name)],
        "groups": user.get("groups", []),
    }
    response = server.create_authn_response(
        identity,
        in_response_to=pending["id"],
        destination=pending["acs"],
        sp_entity_id="https://not-rounds.example/sp"
        if misbehave == "wrong_audience"
        else pending["sp"],
        userid=f"saml-{name}",
        name_id_policy=None,
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
        sign_assertion=misbehave != "unsigned",
        sign_response=False,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    http_args = server.apply_binding(
        BINDING_HTTP_POST, str(response), pending["acs"], pending["relay_state"], response=True
    )
    return http_args["data"].encode() if isinstance(http_args["data"], str) else http_args["data"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sp-metadata", required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    config = json.loads(Path(args.config).read_text())
    base = f"http://127.0.0.1:{args.port}"
    # A second service provider (Rounds' metadata under another entity id), so the IdP can
    # address an assertion to someone else while posting it to Rounds.
    rounds_sp = Path(args.sp_metadata)
    other = rounds_sp.with_name("other-sp-metadata.xml")
    text = rounds_sp.read_text()
    entity = text.split('entityID="', 1)[1].split('"', 1)[0]
    other.write_text(text.replace(f'entityID="{entity}"', f'entityID="{OTHER_SP}"'))
    metadata = [str(rounds_sp), str(other)]
    servers = {
        "ok": idp_server(base, config, metadata, 15),
        # Past python3-saml's five minutes of allowed clock drift.
        "expired": idp_server(base, config, metadata, -30),
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(servers, config["users"]))
    print(f"saml idp listening on {args.port}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
