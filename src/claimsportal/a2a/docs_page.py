"""The A2A API's documentation page: the served OpenAPI document rendered as plain, accessible HTML
(``lang``, landmarks, headings, tables, GOV.UK Frontend's styles, no script) instead of Swagger UI,
whose page failed WCAG 2.2 AA (issue 18: contrast, no ``lang``, nested controls, small targets). The
document itself stays at ``openapi.json``; this page is read from it, so the two cannot differ."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    kind: str
    description: str


@dataclass
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter] = field(default_factory=list)
    body: str = ""  # the request body's schema, by name
    example: str = ""  # its first example, as JSON
    responses: list[tuple[str, str]] = field(default_factory=list)
    public: bool = False


def _kind(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(filter(None, (_kind(s) for s in schema["anyOf"] if s.get("type") != "null")))
    kind = str(schema.get("type", ""))
    if kind == "array":
        return f"list of {_kind(schema.get('items')) or 'values'}"
    if "enum" in schema:
        return f"{kind}: one of {', '.join(str(v) for v in schema['enum'])}"
    if "pattern" in schema and kind == "string":
        return "string (see the document for its format)"
    return kind


def operations(document: dict[str, Any]) -> list[Operation]:
    """Every operation of ``document``, in its order."""
    out: list[Operation] = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            identifier = str(operation.get("operationId") or f"{method}-{path}")
            parameters = [
                Parameter(
                    name=str(p.get("name", "")),
                    where={"header": "header", "query": "query", "path": "path"}.get(p.get("in", ""), ""),
                    required=bool(p.get("required")),
                    kind=_kind(p.get("schema")),
                    description=str(p.get("description") or p.get("schema", {}).get("description") or ""),
                )
                for p in operation.get("parameters", [])
            ]
            body, example = "", ""
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                body = f"{_kind(content.get('schema')) or 'object'} ({media})"
                examples = content.get("examples") or {}
                first = next(iter(examples.values()), None) if isinstance(examples, dict) else None
                if isinstance(first, dict) and "value" in first:
                    example = json.dumps(first["value"], indent=2, ensure_ascii=False)
                break
            out.append(
                Operation(
                    anchor=f"op-{identifier}".replace("/", "-").replace("{", "").replace("}", ""),
                    method=method.upper(),
                    path=path,
                    summary=str(operation.get("summary") or identifier),
                    description=str(operation.get("description") or ""),
                    parameters=parameters,
                    body=body,
                    example=example,
                    responses=[
                        (str(code), str(answer.get("description") or ""))
                        for code, answer in operation.get("responses", {}).items()
                    ],
                    public=operation.get("security") == [],
                )
            )
    return out


class AccessibleDocs(DocsBase):
    """django-ninja's documentation page, replaced (``NinjaAPI(docs=AccessibleDocs())``)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        prefix = request.path.rsplit("/", 1)[0]
        document: dict[str, Any] = dict(api.get_openapi_schema(path_prefix=prefix, path_params=kwargs))
        info = document.get("info", {})
        return render(
            request,
            "a2a/docs.html",
            {
                "title": info.get("title", ""),
                "version": info.get("version", ""),
                "description": info.get("description", ""),
                "operations": operations(document),
                "openapi_url": self.get_openapi_url(api, kwargs),
            },
        )
