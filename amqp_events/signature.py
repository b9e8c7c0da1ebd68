"""Payloads from function signatures, for events and handlers written by hand.

``@app.event`` sends ``{parameter: value}`` as a JSON object; ``@app.handler`` calls its
function with the object's fields as keyword arguments, after checking that they bind
to the signature and that simple annotations (``int``, ``str``, ``float``, ``bool``,
``list``, ``dict`` and their ``| None``) hold.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from amqp_events.errors import ConfigurationError, PayloadError
from amqp_events.events import Delivery, Headers
from amqp_events.wire import JsonValue

__all__ = ["kwargs_decoder", "kwargs_encoder"]

_JSON_TYPES: Mapping[Any, tuple[type, ...]] = {
    int: (int,),
    float: (int, float),
    str: (str,),
    bool: (bool,),
    list: (list,),
    dict: (dict,),
    type(None): (type(None),),
}


def _signature(func: Callable[..., object], event: str) -> inspect.Signature:
    signature = inspect.signature(func)
    for parameter in signature.parameters.values():
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.POSITIONAL_ONLY):
            raise ConfigurationError(
                f"Function {func.__qualname__} of event {event!r} takes positional-only or *args "
                f"parameters ({parameter.name!r}); payload fields need names."
            )
    return signature


def kwargs_encoder(
    func: Callable[..., object], event: str
) -> Callable[[tuple[Any, ...], dict[str, Any]], dict[str, JsonValue]]:
    """Return a function mapping a call's arguments to the payload object."""
    signature = _signature(func, event)

    def encode(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, JsonValue]:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as error:
            raise PayloadError(
                event, f"the arguments do not fit {func.__qualname__}{signature}: {error}."
            ) from None
        bound.apply_defaults()
        payload: dict[str, JsonValue] = {}
        for name, value in bound.arguments.items():
            if signature.parameters[name].kind is inspect.Parameter.VAR_KEYWORD:
                payload.update(value)
            else:
                payload[name] = value
        return payload

    return encode


def _allowed(annotation: object) -> tuple[type, ...] | None:
    """Return the JSON types an annotation admits, or None when it is not checked."""
    if annotation in _JSON_TYPES:
        return _JSON_TYPES[annotation]
    origin = typing.get_origin(annotation)
    if origin in (list, dict):
        return (origin,)
    if origin in (typing.Union, types.UnionType):
        allowed: list[type] = []
        for member in typing.get_args(annotation):
            member_types = _allowed(member)
            if member_types is None:
                return None
            allowed.extend(member_types)
        return tuple(allowed)
    return None


def kwargs_decoder(
    func: Callable[..., object], event: str
) -> Callable[[JsonValue, Delivery[Headers]], dict[str, JsonValue]]:
    """Return a decoder that checks a payload object against the handler's signature."""
    signature = _signature(func, event)
    try:
        hints = typing.get_type_hints(func)
    except (NameError, TypeError):
        hints = {}
    checks = {
        name: allowed
        for name in signature.parameters
        if (allowed := _allowed(hints.get(name, inspect.Parameter.empty))) is not None
    }

    def decode(value: JsonValue, delivery: Delivery[Headers]) -> dict[str, JsonValue]:
        del delivery
        if not isinstance(value, dict):
            raise PayloadError(
                event,
                f"a JSON object with the fields of {func.__qualname__} was expected, "
                f"received {type(value).__name__}.",
            )
        try:
            signature.bind(**value)
        except TypeError as error:
            raise PayloadError(
                event, f"the fields do not fit {func.__qualname__}{signature}: {error}."
            ) from None
        for name, allowed in checks.items():
            if name in value:
                field = value[name]
                bad_bool = isinstance(field, bool) and bool not in allowed
                if bad_bool or not isinstance(field, allowed):
                    expected = " or ".join(sorted({t.__name__ for t in allowed}))
                    raise PayloadError(
                        event,
                        f"field {name!r} must be {expected}, received {field!r}.",
                        pointer=f"/{name}",
                    )
        return value

    return decode
