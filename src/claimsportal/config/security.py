"""Security headers, cookies and sessions: secure by default, relaxed only for local development.

Live deployments serve HTTPS behind a proxy that sets ``X-Forwarded-Proto``: cookies are Secure, HSTS
is sent, and HTTP is redirected. ``CLAIMSPORTAL_INSECURE_HTTP=1`` (set by ``make run``) keeps plain
HTTP working on 127.0.0.1 for a developer. The Content-Security-Policy allows only the portal's own
scripts, styles, fonts and images; an inline script needs the request's nonce.
"""

from __future__ import annotations

from django.utils.csp import CSP

from claimsportal.config.base import DEBUG, MIDDLEWARE
from claimsportal.config.env import env_flag

_insecure = env_flag("CLAIMSPORTAL_INSECURE_HTTP", False) or DEBUG

MIDDLEWARE.insert(1, "django.middleware.csp.ContentSecurityPolicyMiddleware")
# Cache-Control: no-store on every response Django renders (static files, served by WhiteNoise
# before it, keep their own caching): see config.caching.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "claimsportal.config.caching.NoStoreMiddleware",
)

SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SESSION_COOKIE_SECURE = not _insecure
CSRF_COOKIE_SECURE = not _insecure
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 30 * 60  # 30 minutes without a request ends the session
SESSION_SAVE_EVERY_REQUEST = True  # (the timeout is idle time: each request renews it)
SECURE_SSL_REDIRECT = not _insecure
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/jobs$"]
SECURE_HSTS_SECONDS = 0 if _insecure else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not _insecure
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
