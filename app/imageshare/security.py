"""Stateless CSRF defence and response security headers.

CSRF needs no shared secret, so any number of instances behind the load balancer agree without sticky sessions:
1. Fetch metadata / Origin: a browser marks cross-site POSTs (``Sec-Fetch-Site: cross-site``, a foreign ``Origin``);
   those are refused before the body is read.
2. Double-submit token: GET / sets a random token in a SameSite=Strict, HttpOnly cookie (``__Host-`` prefixed over
   HTTPS so a sibling subdomain cannot plant it) and in a hidden form field; POST must carry both, equal.
"""

import hmac
import re
import secrets

from flask import Request, Response, abort

CSRF_FIELD = "csrf_token"
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")
_ALLOWED_FETCH_SITES = {"same-origin", "none"}

_PAGE_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Images are never documents: even if one were opened directly it could run nothing.
_IMAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"


def csrf_cookie_name(request: Request) -> str:
    return "__Host-csrf" if request.is_secure else "csrf"


def csrf_token_for(request: Request) -> str:
    """Reuse the browser's token when it is well-formed, so several open tabs keep working."""
    existing = request.cookies.get(csrf_cookie_name(request), "")
    return existing if _TOKEN_RE.fullmatch(existing) else secrets.token_urlsafe(32)


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        csrf_cookie_name(request), token, httponly=True, samesite="Strict", secure=request.is_secure, path="/"
    )


def check_request_origin(request: Request) -> None:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in _ALLOWED_FETCH_SITES:
        abort(403, "The form was submitted from another site.")
    origin = request.headers.get("Origin")
    if origin is not None and origin.rstrip("/") != request.host_url.rstrip("/"):
        abort(403, "The form was submitted from another site.")


def check_csrf_token(request: Request) -> None:
    cookie = request.cookies.get(csrf_cookie_name(request), "")
    field = request.form.get(CSRF_FIELD, "")
    if not (_TOKEN_RE.fullmatch(cookie) and hmac.compare_digest(cookie, field)):
        abort(403, "The form's security token is missing or expired. Reload the page and try again.")


def add_security_headers(request: Request, response: Response) -> Response:
    headers = response.headers
    is_image = response.mimetype.startswith("image/")
    headers.setdefault("Content-Security-Policy", _IMAGE_CSP if is_image else _PAGE_CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if response.mimetype == "text/html":
        # Pages embed a CSRF token and live data: keep them out of shared caches.
        headers["Cache-Control"] = "no-store"
    return response
