"""Rules for the objects AsyncAPI 2.x and 3.x share: info, tags, servers' variables, security."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from amqp_events.addresses import parameter_names
from generator.documents import Node
from generator.validate.checker import (
    Checker,
    Rule,
    any_value,
    list_of,
    map_of,
    ref_or,
    string,
    strings,
)
from generator.validate.extensions import check_service
from generator.words import describe, one_of

__all__ = [
    "COMPONENT_KEY",
    "CorrelationId",
    "Info",
    "check_contact",
    "check_correlation_id",
    "check_external_docs",
    "check_info",
    "check_license",
    "check_parameter_map",
    "check_security_scheme",
    "check_server_variable",
    "check_tag",
    "check_tags",
    "check_url",
    "correlation_id",
    "info",
]

COMPONENT_KEY = r"[A-Za-z0-9.\-_]+"
"""The spec's syntax for the keys of the Components Object's maps."""

_LOCATION = re.compile(r"\$message\.(header|payload)#(/.*)?")
_SECURITY_TYPES = (
    "userPassword",
    "apiKey",
    "X509",
    "symmetricEncryption",
    "asymmetricEncryption",
    "httpApiKey",
    "http",
    "oauth2",
    "openIdConnect",
    "plain",
    "scramSha256",
    "scramSha512",
    "gssapi",
)


def check_url(checker: Checker, node: Node) -> None:
    """A URL: any non-empty string (relative URLs are allowed)."""
    if not isinstance(node.value, str) or not node.value:
        checker.error(node, f"The field must be a URL string, got {describe(node.value)}.")


def check_contact(checker: Checker, node: Node) -> None:
    """Contact Object."""
    checker.object(node, "Contact Object", {"name": string, "url": check_url, "email": string})


def check_license(checker: Checker, node: Node) -> None:
    """License Object: a name, and a URL."""
    checker.object(node, "License Object", {"name": string, "url": check_url}, required=("name",))


def check_external_docs(checker: Checker, node: Node) -> None:
    """External Documentation Object: a URL and a description."""
    checker.object(
        node,
        "External Documentation Object",
        {"description": string, "url": check_url},
        required=("url",),
    )


def check_tag(checker: Checker, node: Node) -> None:
    """Tag Object: a name, a description and external docs."""
    docs: Rule = check_external_docs
    if checker.version[0] >= 3:
        docs = ref_or(check_external_docs, "an External Documentation Object")
    checker.object(
        node,
        "Tag Object",
        {"name": string, "description": string, "externalDocs": docs},
        required=("name",),
    )


def check_tags(checker: Checker, node: Node) -> None:
    """A list of Tag Objects (or, in 3.x, references to them) with unique names."""
    tag: Rule = ref_or(check_tag, "a Tag Object") if checker.version[0] >= 3 else check_tag
    list_of(tag, what="a list of Tag Objects")(checker, node)
    if isinstance(node.value, list):
        seen: set[str] = set()
        for index, item in enumerate(node.value):
            name = item.get("name") if isinstance(item, dict) else None
            if isinstance(name, str):
                if name in seen:
                    checker.error(node.child(index), f"The tag {name!r} is listed twice.")
                seen.add(name)


@dataclass(frozen=True, slots=True)
class Info:
    """What the Info Object says about the service."""

    title: str = ""
    version: str = ""
    description: str = ""
    service: str | None = None
    """``x-amqp-events-service``: the service name, when the document chooses it."""


def info(checker: Checker, node: Node) -> Info:
    """Parse the Info Object: title and version are required; 3.x adds tags and docs."""
    rules: dict[str, Rule] = {
        "title": string,
        "version": string,
        "description": string,
        "termsOfService": check_url,
        "contact": check_contact,
        "license": check_license,
        "x-amqp-events-service": check_service,
    }
    if checker.version[0] >= 3:
        rules["tags"] = check_tags
        rules["externalDocs"] = ref_or(check_external_docs, "an External Documentation Object")
    value = checker.object(node, "Info Object", rules, required=("title", "version")) or {}

    def text(key: str) -> str:
        found = value.get(key)
        return found if isinstance(found, str) else ""

    return Info(
        title=text("title"),
        version=text("version"),
        description=text("description"),
        service=text("x-amqp-events-service") or None,
    )


def check_info(checker: Checker, node: Node) -> None:
    """Info Object, checked where the document writes it."""
    info(checker, node)


def check_server_variable(checker: Checker, node: Node) -> None:
    """Server Variable Object: enum, default, description, examples."""
    value = checker.object(
        node,
        "Server Variable Object",
        {"enum": strings, "default": string, "description": string, "examples": strings},
    )
    enum = value.get("enum") if value else None
    default = value.get("default") if value else None
    if isinstance(enum, list) and isinstance(default, str) and default not in enum:
        checker.error(
            node.child("default"),
            f"The default {default!r} is not one of the enum values "
            f"{one_of(str(v) for v in enum)}.",
        )


def check_security_scheme(checker: Checker, node: Node) -> None:
    """Security Scheme Object: its type, and the fields that type uses."""
    value = checker.object(
        node,
        "Security Scheme Object",
        {
            "type": string,
            "description": string,
            "name": string,
            "in": string,
            "scheme": string,
            "bearerFormat": string,
            "flows": any_value,
            "openIdConnectUrl": check_url,
            "scopes": strings,
        },
        required=("type",),
    )
    kind = value.get("type") if value else None
    if isinstance(kind, str) and kind not in _SECURITY_TYPES:
        checker.error(
            node.child("type"),
            f"The security scheme type {kind!r} is unknown; use one of {one_of(_SECURITY_TYPES)}.",
        )


@dataclass(frozen=True, slots=True)
class CorrelationId:
    """Where a message carries its correlation id: a header, or a place in the payload."""

    source: Literal["header", "payload"]
    pointer: str
    """JSON pointer inside the headers or the payload, e.g. ``/x-correlation-id``."""

    @property
    def header(self) -> str | None:
        """The header name when the id is a top-level header, else None."""
        if self.source != "header" or self.pointer.count("/") != 1:
            return None
        return self.pointer[1:].replace("~1", "/").replace("~0", "~")


def correlation_id(checker: Checker, node: Node) -> CorrelationId | None:
    """Parse a Correlation ID Object: a runtime expression into the header or the payload."""
    value = checker.object(
        node,
        "Correlation ID Object",
        {"description": string, "location": string},
        required=("location",),
    )
    location = value.get("location") if value else None
    if not isinstance(location, str):
        return None
    match = _LOCATION.fullmatch(location)
    if match is None:
        checker.error(
            node.child("location"),
            f"The location {location!r} is not a runtime expression into the message; "
            "write '$message.header#/<name>' or '$message.payload#/<pointer>'.",
        )
        return None
    source: Literal["header", "payload"] = "header" if match.group(1) == "header" else "payload"
    return CorrelationId(source=source, pointer=match.group(2) or "")


def check_correlation_id(checker: Checker, node: Node) -> None:
    """Correlation ID Object, checked where the document writes it."""
    correlation_id(checker, node)


def check_parameter_map(checker: Checker, node: Node, rule: Rule, address: str | None) -> None:
    """Check a channel's parameters and that they match the address's placeholders."""
    map_of(
        ref_or(rule, "a Parameter Object"),
        what="The Parameters Object",
        key_pattern=r"[A-Za-z0-9_\-]+",
    )(checker, node)
    if address is None or not isinstance(node.value, dict):
        return
    placeholders = parameter_names(address)
    for name in node.value:
        if name not in placeholders:
            checker.warning(
                node.child(name),
                f"The parameter {name!r} does not appear in the channel address {address!r}, "
                "so it has no effect.",
            )
