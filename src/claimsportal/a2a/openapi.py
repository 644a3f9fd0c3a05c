"""The OpenAPI document's additions to what django-ninja writes: the shared component schemas, the
bearer security scheme, ``X-Login-As`` (and ``Idempotency-Key`` on a POST) on every authenticated
operation, and each operation's request examples (built when the document is served, so that no
example is computed at import).

It also states the text rule every request obeys (``core.text``: no control character, no
bidirectional override): every free-text string a client sends, in a body, a query, a path or a
header, carries :data:`TEXT_PATTERN`, and every object that takes fields beyond its own names them
with it (``propertyNames``). A string that already has an ``enum``, a ``const``, a ``format`` or a
``pattern`` of its own is left as it is (each of those is stricter)."""

from __future__ import annotations

import copy
from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from claimsportal.a2a.schemas import COMPONENTS, PAYLOAD_MODELS, request_examples

# core.text.FORBIDDEN as a JSON Schema pattern (ECMA-262 and Python alike). Lone surrogates are left out:
# no JSON text a generator writes as UTF-8 carries one, and a pattern cannot name them portably.
TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$"
_FORBIDDEN = TEXT_PATTERN.removeprefix("^[^").removesuffix("]*$")
# The largest number a body may carry anywhere (an exact integer in IEEE 754 doubles: 2**53 - 1).
MAX_JSON_NUMBER = 2**53 - 1
# A field an open object (POST /token, /changePassword) ignores: still text under the text rule, or a
# number within the bound.
EXTRA_FIELD: dict[str, Any] = {
    "description": "Ignored",
    "anyOf": [
        {"type": "string", "pattern": TEXT_PATTERN},
        {"type": "number", "minimum": -MAX_JSON_NUMBER, "maximum": MAX_JSON_NUMBER},
        {"type": "boolean"},
        {"type": "null"},
    ],
}

LOGIN_AS_PARAMETER = {
    "name": "X-Login-As",
    "in": "header",
    "required": True,
    "description": "The user ID of the portal user on whose behalf the call is made (same organisation "
    "as the client; enabled, active, in date).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 50, "pattern": TEXT_PATTERN},
}
IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Repeat a POST safely: a repeat with the same key and body returns the first answer "
    "and changes nothing; the same key with another body is refused.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": TEXT_PATTERN},
}


def with_text_rule(schema: Any) -> Any:
    """``schema`` (changed in place, and returned) with the text rule on every free-text string and on
    the names of the fields an open object accepts."""
    if isinstance(schema, list):
        for item in schema:
            with_text_rule(item)
        return schema
    if not isinstance(schema, dict):
        return schema
    kinds = schema.get("type")
    is_string = kinds == "string" or (isinstance(kinds, list) and "string" in kinds)
    if is_string and not {"enum", "const", "format", "pattern"} & schema.keys():
        schema["pattern"] = TEXT_PATTERN
    elif is_string and "[^" in schema.get("pattern", "") and _FORBIDDEN not in schema["pattern"]:
        # a negated class of the string's own pattern (an e-mail address's [^@\s]) refuses them too
        schema["pattern"] = schema["pattern"].replace("[^", "[^" + _FORBIDDEN)
    numeric = {"integer", "number"}
    if kinds in numeric or (isinstance(kinds, list) and numeric & set(kinds)):
        schema.setdefault("maximum", MAX_JSON_NUMBER)
        schema.setdefault("minimum", -MAX_JSON_NUMBER)
    if (kinds == "object" or "properties" in schema) and schema.get("additionalProperties") is not False:
        schema.setdefault("propertyNames", {"pattern": TEXT_PATTERN})
        if schema.get("additionalProperties") in (None, True):
            schema["additionalProperties"] = copy.deepcopy(EXTRA_FIELD)
    for key in ("properties", "$defs", "patternProperties"):
        for child in (schema.get(key) or {}).values():
            with_text_rule(child)
    # Not into "if"/"then"/"else": those are the forms' conditional rules (protocols.forms.rules), which
    # only constrain fields whose own schemas carry the text rule already (made open, they would break).
    for key in ("items", "additionalProperties", "not", "contains"):
        with_text_rule(schema.get(key))
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        with_text_rule(schema.get(key))
    return schema


class A2AApi(NinjaAPI):
    """django-ninja's API with the additions above made to its OpenAPI document."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        # The operations' payload models are request schemas only: the text rule applies to them all.
        request_components = copy.deepcopy(COMPONENTS)
        for component in request_components.values():
            with_text_rule(component)
        components.setdefault("schemas", {}).update(request_components)
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "access_token from POST /token"}
        }
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                for content in operation.get("requestBody", {}).get("content", {}).values():
                    with_text_rule(content.get("schema"))
                for parameter in operation.get("parameters", []):
                    with_text_rule(parameter.get("schema"))
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
