"""The OpenAPI document's additions to what django-ninja writes: the shared component schemas, the
bearer security scheme, ``X-Login-As`` (and ``Idempotency-Key`` on a POST) on every authenticated
operation, and each operation's request examples (built when the document is served, so that no
example is computed at import)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from claimsportal.a2a.schemas import COMPONENTS, PAYLOAD_MODELS, request_examples

LOGIN_AS_PARAMETER = {
    "name": "X-Login-As",
    "in": "header",
    "required": True,
    "description": "The user ID of the portal user on whose behalf the call is made (same organisation "
    "as the client; enabled, active, in date).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 50},
}
IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Repeat a POST safely: a repeat with the same key and body returns the first answer "
    "and changes nothing; the same key with another body is refused.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 128},
}


class A2AApi(NinjaAPI):
    """django-ninja's API with the additions above made to its OpenAPI document."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {}).update(COMPONENTS)
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "access_token from POST /token"}
        }
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                if body is not None and operation.get("operationId") in PAYLOAD_MODELS:
                    name = operation["operationId"]
                    body["examples"] = request_examples(name, with_guid=name != "addClaim")
                if path.endswith(("/token", "/changePassword")):
                    operation["security"] = []
                    continue
                operation["security"] = [{"bearer": []}]
                parameters = operation.setdefault("parameters", [])
                parameters.append(dict(LOGIN_AS_PARAMETER))
                if method == "post":
                    parameters.append(dict(IDEMPOTENCY_PARAMETER))
        return schema
