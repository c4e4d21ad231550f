"""A small but real OpenID Connect provider served over HTTP on 127.0.0.1, for tests.

It implements discovery, the authorization endpoint (PKCE S256 required), the token endpoint (client secret
basic, single-use codes bound to redirect_uri and the code challenge) and the JWKS, and signs RS256 ID
tokens with joserfc. `misbehave` lets a test make it answer wrongly (another audience, issuer or nonce, an
expired token, a token signed with a key that is not in its JWKS, a wrong RFC 9207 `iss`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "puente-test"
CLIENT_SECRET = "test-client-secret-0123456789"


class Provider:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.rogue_key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        # `host` names the issuer ("localhost" makes the provider another site than the app on 127.0.0.1).
        self.issuer = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.reset()

    def reset(self) -> None:
        self.user: dict[str, Any] = {
            "sub": "user-1",
            "email": "ana@example.org",
            "email_verified": True,
            "name": "Ana",
        }
        self.misbehave: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.token_requests: list[dict[str, Any]] = []
        self.authorize_requests: list[dict[str, str]] = []

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **self.user,
        }
        if "aud" in self.misbehave:
            claims["aud"] = self.misbehave["aud"]
        if "iss" in self.misbehave:
            claims["iss"] = self.misbehave["iss"]
        if "nonce" in self.misbehave:
            claims["nonce"] = self.misbehave["nonce"]
        if self.misbehave.get("expired"):
            claims["iat"], claims["exp"] = now - 3600, now - 600
        key = self.rogue_key if self.misbehave.get("rogue_key") else self.key
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path == "/.well-known/openid-configuration":
                    self._json(
                        200,
                        {
                            "issuer": provider.misbehave.get("discovery_issuer", provider.issuer),
                            "authorization_endpoint": f"{provider.issuer}/authorize",
                            "token_endpoint": f"{provider.issuer}/token",
                            "jwks_uri": f"{provider.issuer}/jwks",
                            "response_types_supported": ["code"],
                            "subject_types_supported": ["public"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "code_challenge_methods_supported": ["S256"],
                            "authorization_response_iss_parameter_supported": True,
                        },
                    )
                elif url.path == "/jwks":
                    self._json(200, KeySet([provider.key]).as_dict(private=False))
                elif url.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    provider.authorize_requests.append(query)
                    if (
                        query.get("client_id") != CLIENT_ID
                        or query.get("response_type") != "code"
                        or query.get("code_challenge_method") != "S256"
                        or not query.get("code_challenge")
                        or "openid" not in query.get("scope", "").split()
                    ):
                        self._json(400, {"error": "invalid_request"})
                        return
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = {**query, "used": False}
                    iss = provider.misbehave.get("callback_iss", provider.issuer)
                    target = (
                        query["redirect_uri"]
                        + "?"
                        + urlencode({"code": code, "state": query["state"], "iss": iss})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                if urlsplit(self.path).path != "/token":
                    self._json(404, {"error": "not_found"})
                    return
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    self._json(401, {"error": "invalid_client"})
                    return
                grant = provider.codes.get(form.get("code", ""))
                if grant is None or grant["used"] or form.get("grant_type") != "authorization_code":
                    self._json(400, {"error": "invalid_grant"})
                    return
                grant["used"] = True
                verifier = form.get("code_verifier", "")
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                )
                if challenge != grant["code_challenge"] or form.get("redirect_uri") != grant["redirect_uri"]:
                    self._json(400, {"error": "invalid_grant"})
                    return
                self._json(
                    200,
                    {
                        "access_token": secrets.token_urlsafe(16),
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token(grant),
                    },
                )

        return Handler
