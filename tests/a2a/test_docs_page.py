"""The A2A API's documentation page: every operation of the OpenAPI document, as plain HTML with a
language and landmarks, no Swagger UI and no inline script or style (issue 18)."""

from __future__ import annotations

from django.test import Client

METHODS = ("get", "post", "put", "patch", "delete")


def test_every_operation_of_the_document_is_on_the_page(db: None) -> None:
    client = Client()
    document = client.get("/a2a/v1/openapi.json").json()
    response = client.get("/a2a/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    listed = [(m.upper(), path) for path, item in document["paths"].items() for m in METHODS if m in item]
    assert len(listed) > 50
    for method, path in listed:
        assert f"{method} {path}</h2>" in html, (method, path)
    assert '<html lang="en"' in html
    assert 'role="main"' in html and 'role="banner"' in html and 'role="contentinfo"' in html
    assert "swagger" not in html.lower()
    assert "<script>" not in html and " style=" not in html


def test_the_page_shows_the_parameters_and_an_example_body(db: None) -> None:
    html = Client().get("/a2a/v1/docs").content.decode()
    assert "X-Login-As" in html and "Idempotency-Key" in html
    assert "Example request body for POST /a2a/v1/claims/{applicationId}/acceptClaim" in html
    assert "&quot;activityEngineGuid&quot;" in html  # the example itself, escaped
