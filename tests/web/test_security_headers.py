"""Security headers, HTTPS and cookies (secure by default; plain HTTP only where configured)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from claimsportal.config import security


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy_and_the_usual_headers() -> None:
    response = Client().get("/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy and "'unsafe-inline'" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_api_docs_have_the_same_strict_policy() -> None:
    """The API documentation is our own page (a2a/docs_page.py), not Swagger UI: no inline style."""
    docs = Client().get("/a2a/v1/docs")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in docs
    assert "script-src 'self'" in docs


def test_secure_by_default() -> None:
    """The settings a deployment gets unless it opts out with CLAIMSPORTAL_INSECURE_HTTP=1."""
    if security._insecure:  # a developer's environment: nothing to check here
        pytest.skip("CLAIMSPORTAL_INSECURE_HTTP or DEBUG is set in this environment")
    assert security.SECURE_SSL_REDIRECT and security.SESSION_COOKIE_SECURE and security.CSRF_COOKIE_SECURE
    assert security.SECURE_HSTS_SECONDS >= 31_536_000
    assert security.SESSION_COOKIE_AGE == 30 * 60 and security.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31_536_000)
def test_plain_http_is_redirected_and_https_gets_hsts() -> None:
    plain = Client().get("/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert Client().get("/healthz").status_code == 200, "the health check stays reachable"
    secure = Client().get("/healthz", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_cookies_are_secure_http_only_and_same_site() -> None:
    response = Client().get("/login/", secure=True)
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
