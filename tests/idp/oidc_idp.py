"""A real OpenID Connect provider for tests: django-oauth-toolkit (authorization code + PKCE,
RS256 ID tokens, discovery, JWKS, userinfo) in its own process with its own SQLite database.

    python -m tests.idp.oidc_idp --port P --redirect-uri URI --config idp.json

`idp.json`: {"client_id", "client_secret", "users": {name: {"password", "groups": [..],
"name"?, "misbehave"?: "wrong_audience" | "expired" | "stale_nonce"}}}. A user's `misbehave`
makes the provider issue that user a bad ID token, so each refusal is exercised for real.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

HERE = Path(__file__).resolve().parent


def configure(port: int, db: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.conf import settings

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.configure(
        DEBUG=False,
        SECRET_KEY="test-idp-" + os.urandom(8).hex(),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF="tests.idp.oidc_urls",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)}},
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [HERE / "templates"],
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
            }
        ],
        # Its own cookie names: the browser shares cookies between ports of one host.
        SESSION_COOKIE_NAME="idp_sessionid",
        CSRF_COOKIE_NAME="idp_csrftoken",
        LOGIN_URL="/login/",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": pem,
            "PKCE_REQUIRED": True,
            "SCOPES": {"openid": "OpenID", "profile": "Profile", "email": "Email"},
            "OAUTH2_VALIDATOR_CLASS": "tests.idp.oidc_idp.Validator",
        },
    )


def _misbehaving() -> dict[str, str]:
    config = json.loads(Path(os.environ["ROUNDS_TEST_IDP_CONFIG"]).read_text())
    return {
        name: spec["misbehave"] for name, spec in config["users"].items() if spec.get("misbehave")
    }


def __getattr__(name: str) -> Any:
    """`Validator` is built on first use (DOT imports it by dotted path once Django is set up;
    under `python -m` this module is imported a second time by that path)."""
    if name == "Validator":
        return make_validator()
    raise AttributeError(name)


def make_validator() -> type:
    from oauth2_provider.oauth2_validators import OAuth2Validator

    misbehaving = _misbehaving()

    class Validator(OAuth2Validator):  # type: ignore[misc]
        oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "profile"}

        def get_additional_claims(self, request: Any) -> dict[str, Any]:
            user = request.user
            return {
                "preferred_username": user.username,
                "name": user.first_name,
                "email": f"{user.username}@idp.example",
                "groups": sorted(user.groups.values_list("name", flat=True)),
            }

        def get_id_token_dictionary(self, token: Any, token_handler: Any, request: Any) -> Any:
            claims, expires = super().get_id_token_dictionary(token, token_handler, request)
            misbehave = misbehaving.get(request.user.username)
            if misbehave == "wrong_audience":
                claims["aud"] = "some-other-client"
            elif misbehave == "expired":
                claims["exp"] = int(time.time()) - 600
                claims["iat"] = int(time.time()) - 1200
            elif misbehave == "stale_nonce":
                claims["nonce"] = "nonce-from-an-earlier-sign-in"
            return claims, expires

    return Validator


def seed(config: dict[str, Any], redirect_uri: str) -> None:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for name, spec in config["users"].items():
        user = User.objects.create_user(name, password=spec["password"])
        user.first_name = spec.get("name", "")
        user.save()
        for group in spec.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=group)[0])
    Application.objects.create(
        name="Rounds",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write("idp: " + (format % args) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redirect-uri", required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    config = json.loads(Path(args.config).read_text())
    os.environ["ROUNDS_TEST_IDP_CONFIG"] = str(Path(args.config).resolve())
    db = Path(tempfile.mkdtemp(prefix="rounds-oidc-idp-")) / "idp.sqlite3"
    configure(args.port, db)
    import django

    django.setup()
    seed(config, args.redirect_uri)
    from django.core.wsgi import get_wsgi_application

    server = make_server(
        "127.0.0.1", args.port, get_wsgi_application(), ThreadingServer, QuietHandler
    )
    print(f"oidc idp listening on {args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
