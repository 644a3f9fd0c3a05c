"""A payload read from whatever part of it is present: the protocol's guards on part of a form.

A long form asked page by page (the web's paged operation forms) is whole only when it is sent, but
the rules that compare its answers with the claim (``protocols.tables``' guards: each reply answers a
head claimed and is never above it, a counter offer revises the heads claimed, a date later than the
time limit …) need only the blocks they read. :class:`PartialPayload` is the payload model as those
guards see it, built from the part that is there: each attribute is read as the model would give it
(a field, a property, a class constant), each block validated on its own, and an input that is absent
or invalid raises :class:`Missing`, so the guard that needed it waits for the whole form.

When the whole payload validates, the validated model itself is read: the guards then see exactly
what ``engine.decide`` gives them. A block is read field by field only when it does not validate as a
whole (a later page's answers not given yet); a block that transforms its data as a whole (a
``before``/``wrap`` validator) or a field with a validator of its own is then not read at all.
"""

from __future__ import annotations

import inspect
import types
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError, create_model

_UNSET: Any = object()


class Missing(Exception):
    """An input of a guard is not (validly) in the part of the payload given."""


def _block_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a block field (``Model`` or ``Model | None``), else None (lists, unions, leaves)."""
    if get_origin(annotation) in (Union, types.UnionType):
        models = [a for a in get_args(annotation) if a is not type(None)]
        annotation = models[0] if len(models) == 1 else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


@cache
def _transforms_whole(model: type[BaseModel]) -> bool:
    decorators = model.__pydantic_decorators__
    return any(d.info.mode in ("before", "wrap") for d in decorators.model_validators.values())


@cache
def _has_own_validator(model: type[BaseModel], name: str) -> bool:
    decorators = model.__pydantic_decorators__
    return any(name in d.info.fields or "*" in d.info.fields for d in decorators.field_validators.values())


@cache
def _field_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    """A model of the one field ``name`` of ``model`` (its type, constraints and default)."""
    info = model.model_fields[name]
    part: type[BaseModel] = create_model(  # type: ignore[call-overload]
        f"{model.__name__}_{name}", __config__=model.model_config, **{name: (info.annotation, info)}
    )
    return part


class PartialPayload:
    """``model`` read from ``data`` (part of its JSON), validated with ``context`` as the whole is."""

    __slots__ = ("_context", "_data", "_model", "_whole")

    def __init__(self, model: type[BaseModel], data: Any, context: dict[str, Any]) -> None:
        self._model = model
        self._data = data
        self._context = context
        self._whole: BaseModel | None = _UNSET

    def _validated(self) -> BaseModel | None:
        if self._whole is _UNSET:
            try:
                self._whole = self._model.model_validate(self._data, context=self._context)
            except ValidationError:
                self._whole = None
        return self._whole

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        whole = self._validated()
        if whole is not None:
            return getattr(whole, name)
        model = self._model
        if name in model.model_fields:
            return self._field(name)
        try:
            attr = inspect.getattr_static(model, name)
        except AttributeError:
            raise AttributeError(f"{model.__name__} has no attribute {name!r}") from None
        if isinstance(attr, property) and attr.fget is not None:
            return attr.fget(self)  # the model's own property, reading this partial block
        if inspect.isfunction(attr):
            return types.MethodType(attr, self)
        if hasattr(attr, "__get__"):  # another kind of descriptor: not read on part of a form
            raise Missing(name)
        return attr  # a class constant (``answersPath`` …)

    def _field(self, name: str) -> Any:
        model = self._model
        if not isinstance(self._data, dict) or _transforms_whole(model) or _has_own_validator(model, name):
            raise Missing(name)
        info = model.model_fields[name]
        if name not in self._data:
            if info.is_required():
                raise Missing(name)
            return info.get_default(call_default_factory=True)
        value = self._data[name]
        block = _block_model(info.annotation)
        if block is not None and value is not None:
            return PartialPayload(block, value, self._context)
        try:
            part = _field_model(model, name).model_validate({name: value}, context=self._context)
        except ValidationError:
            raise Missing(name) from None
        return getattr(part, name)
