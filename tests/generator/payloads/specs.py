"""Inline schemas the functional tests build packages from.

``FEATURES`` covers every JSON Schema construct the type builder maps; ``RECURSIVE``
covers schemas that refer to themselves through a nullable union; ``HOSTILE`` covers
names and texts that must not break (or get into) the generated code.
"""

from __future__ import annotations

import random
from typing import Any

COMMON: dict[str, Any] = {
    "components": {
        "schemas": {
            "Money": {
                "type": "object",
                "description": 'Money: an "amount" in a currency.',
                "required": ["amount", "currency"],
                "additionalProperties": False,
                "properties": {
                    "amount": {"type": "number", "minimum": 0},
                    "currency": {"$ref": "#/components/schemas/Currency"},
                },
            },
            "Currency": {"type": "string", "enum": ["EUR", "USD"]},
            "Node": {
                "type": "object",
                "required": ["value"],
                "properties": {
                    "value": {"type": "integer"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                },
            },
            "Tree": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
                ]
            },
            "Created": {
                "type": "object",
                "required": ["kind", "name"],
                "properties": {"kind": {"const": "created"}, "name": {"type": "string"}},
            },
            "Deleted": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"const": "deleted"}, "reason": {"type": "string"}},
            },
            "Base": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string", "format": "uuid"}},
            },
            "Cat": {
                "type": "object",
                "required": ["meow"],
                "properties": {"meow": {"type": "boolean"}},
            },
            "Dog": {
                "type": "object",
                "required": ["bark"],
                "properties": {"bark": {"type": "integer"}},
            },
        }
    }
}
"""A second file the features refer to (``common.yaml``)."""

_MONEY = {"$ref": "common.yaml#/components/schemas/Money"}

FEATURES: dict[str, Any] = {
    "Order": {
        "type": "object",
        "title": "An order",
        "description": "Placed by a customer.\n\nSecond paragraph.",
        "required": ["orderId", "class", "items", "note", "createdAt"],
        "additionalProperties": False,
        "properties": {
            "orderId": {"type": "string", "format": "uuid"},
            "class": {"type": "string", "description": "A Python keyword on the wire."},
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["sku", "qty"],
                    "properties": {
                        "sku": {"type": "string", "pattern": "^[A-Z]{3}$"},
                        "qty": {"type": "integer", "minimum": 1},
                        "price": _MONEY,
                    },
                },
            },
            "note": {"type": ["string", "null"]},
            "legacyNote": {"type": "string", "nullable": True},
            "coupon": {"type": "string"},
            "createdAt": {"type": "string", "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "at": {"type": "string", "format": "time"},
            "email": {"type": "string", "format": "email"},
            "total": _MONEY,
            "ratio": {"type": "number"},
            "status": {"type": "string", "enum": ["new", "paid", "shipped"]},
            "flag": {"const": True},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "when": {
                "type": "object",
                "additionalProperties": {"type": "string", "format": "date-time"},
            },
            "anything": {},
            "tree": {"$ref": "common.yaml#/components/schemas/Node"},
        },
    },
    "Open": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "integer"}},
    },
    "Typed": {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "additionalProperties": {"type": "integer"},
    },
    "Event": {
        "oneOf": [
            {"$ref": "common.yaml#/components/schemas/Created"},
            {"$ref": "common.yaml#/components/schemas/Deleted"},
        ],
        "discriminator": "kind",
    },
    "Mapped": {
        "oneOf": [
            {"$ref": "common.yaml#/components/schemas/Created"},
            {"$ref": "common.yaml#/components/schemas/Deleted"},
        ],
        "discriminator": {"propertyName": "kind", "mapping": {"created": "#/x"}},
    },
    "AutoTagged": {
        "oneOf": [
            {"$ref": "common.yaml#/components/schemas/Created"},
            {"$ref": "common.yaml#/components/schemas/Deleted"},
        ]
    },
    "Pet": {
        "oneOf": [
            {"$ref": "common.yaml#/components/schemas/Cat"},
            {"$ref": "common.yaml#/components/schemas/Dog"},
        ]
    },
    "Loose": {
        "anyOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}},
        ]
    },
    "Scalar": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
    "Moment": {
        "oneOf": [
            {"type": "string", "format": "date-time"},
            {"type": "string", "format": "date"},
        ]
    },
    "Kinds": {"type": ["string", "integer", "boolean"]},
    "Merged": {
        "allOf": [
            {"$ref": "common.yaml#/components/schemas/Base"},
            {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string", "minLength": 2}},
            },
        ]
    },
    "Pair": {
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": "integer"}],
        "items": False,
        "minItems": 2,
    },
    "Prefix": {
        "type": "array",
        "items": [{"type": "string", "format": "uuid"}, {"type": "number"}],
        "additionalItems": {"type": "boolean"},
        "minItems": 1,
    },
    "OrderId": {"type": "string", "format": "uuid"},
    "Tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    "Count": {"type": "integer", "minimum": 0, "multipleOf": 2},
    "Price": _MONEY,
    "Prices": {"type": "object", "additionalProperties": _MONEY},
    "Anything": True,
    "Nothing": False,
    "Tree": {"$ref": "common.yaml#/components/schemas/Tree"},
    "Constrained": {
        "type": "object",
        "properties": {
            "kind": {"type": "string"},
            "n": {"not": {"type": "number"}},
        },
        "if": {"properties": {"kind": {"const": "a"}}},
        "then": {"required": ["a"]},
        "patternProperties": {"^x-": {"type": "string"}},
        "dependencies": {"kind": ["n"]},
    },
    "Legacy": {
        "type": "object",
        "properties": {"n": {"type": "number", "minimum": 1, "exclusiveMinimum": True}},
    },
    "Nulls": {
        "type": "object",
        "required": ["void"],
        "properties": {
            "void": {"type": "null"},
            "cleared": {"const": None},
            "gone": {"enum": [None]},
        },
    },
}
"""Roots covering the JSON Schema constructs, by message name."""

FEATURE_EXAMPLES: dict[str, list[Any]] = {
    "Order": [
        {
            "orderId": "7f1b3f2e-59a1-4e4b-9d27-1d2c52b0b0a4",
            "class": "gold",
            "items": [{"sku": "ABC", "qty": 2, "price": {"amount": 12, "currency": "EUR"}}],
            "note": None,
            "createdAt": "2024-01-01T00:00:00.000Z",
            "total": {"amount": 24.5, "currency": "EUR"},
            "when": {"x": "2024-01-01T10:00:00+02:00"},
        },
        # Fails its own schema (qty below the minimum): reported, left out.
        {
            "orderId": "7f1b3f2e-59a1-4e4b-9d27-1d2c52b0b0a4",
            "class": "gold",
            "items": [{"sku": "ABC", "qty": 0}],
            "note": None,
            "createdAt": "2024-01-01T00:00:00Z",
        },
    ],
    "Event": [{"kind": "deleted", "reason": "gone"}, {"kind": "created", "name": "x", "z": 1}],
    "Pair": [["a", 1]],
    "Tree": [["a", ["b", "c"]]],
    "OrderId": ["7F1B3F2E59A14E4B9D271D2C52B0B0A4"],
}


def _json(name: str) -> dict[str, str]:
    return {"$ref": f"recursive.yaml#/components/schemas/{name}"}


RECURSIVE_COMMON: dict[str, Any] = {
    "components": {
        "schemas": {
            "Json": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "null"},
                    {"type": "array", "items": _json("Json")},
                ]
            },
            "AnyJson": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "null"},
                    {"type": "array", "items": _json("AnyJson")},
                ]
            },
            "Kinds": {"type": ["string", "array", "null"], "items": _json("Kinds")},
            "Legacy": {
                "type": "array",
                "nullable": True,
                "items": {"oneOf": [{"type": "integer"}, _json("Legacy")]},
            },
            "Document": {
                "oneOf": [
                    {"type": "integer"},
                    {"type": "null"},
                    {"type": "object", "additionalProperties": _json("Document")},
                ]
            },
            "Value": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "number"},
                    {"type": "boolean"},
                    {"type": "null"},
                    {"type": "array", "items": _json("Value")},
                    {"type": "object", "additionalProperties": _json("Value")},
                ]
            },
            "Status": {
                "oneOf": [{"enum": ["on", None]}, {"type": "array", "items": _json("Status")}]
            },
        }
    }
}
"""Recursive schemas whose type is nullable, so the name refers to an alias of a union."""

RECURSIVE: dict[str, Any] = {
    name: _json(name) for name in RECURSIVE_COMMON["components"]["schemas"]
} | {
    "Holder": {
        "type": "object",
        "properties": {"json": _json("Json"), "values": {"type": "array", "items": _json("Value")}},
    }
}
"""Roots that refer to the recursive schemas, by message name."""


def _pets(name: str) -> dict[str, Any]:
    return {"$ref": f"pets.yaml#/components/schemas/{name}"}


def _animal(tag: str, **properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [tag, *properties],
        "properties": {tag: {"type": "string"}} | properties,
    }


PETS: dict[str, Any] = {
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "discriminator": "petType",
                "required": ["petType"],
                "properties": {"petType": {"type": "string"}},
            },
            "Cat": {
                "allOf": [
                    _pets("Pet"),
                    {"type": "object", "properties": {"meow": {"type": "boolean"}}},
                ]
            },
            "Dog": {
                "allOf": [
                    _pets("Pet"),
                    {
                        "type": "object",
                        "required": ["bark"],
                        "properties": {"bark": {"type": "integer"}},
                    },
                ]
            },
            "Lion": _animal("species", roar={"type": "integer"}),
            "Tiger": _animal("species", stripes={"type": "integer"}),
            "Hawk": _animal("kind", wings={"type": "integer"}),
            "Crow": _animal("kind", caws={"type": "integer"}),
            "Trout": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Carp": {"type": "object", "properties": {"kind": {"type": "string"}}},
        }
    }
}
"""Schemas (``pets.yaml``) that discriminated unions name as their members."""

DISCRIMINATED: dict[str, Any] = {
    # AsyncAPI 2.x: the base schema names the property; members allOf it.
    "Inherited": {"oneOf": [_pets("Cat"), _pets("Dog")]},
    # AsyncAPI 3.0: the string form on the union itself.
    "Own": {"oneOf": [_pets("Lion"), _pets("Tiger")], "discriminator": "species"},
    # OpenAPI's form: a mapping by reference or by schema name.
    "Mapped": {
        "oneOf": [_pets("Hawk"), _pets("Crow")],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"hawk": "pets.yaml#/components/schemas/Hawk", "crow": "Crow"},
        },
    },
    # Not required: no value selects a member, so the union is read as it was.
    "Optional": {"anyOf": [_pets("Trout"), _pets("Carp")], "discriminator": "kind"},
    # An inline member has no name to be selected by.
    "Unnamed": {
        "oneOf": [
            _pets("Lion"),
            {"type": "object", "required": ["species"], "properties": {"species": {}}},
        ],
        "discriminator": "species",
    },
}
"""Unions whose members are selected by a ``discriminator`` without ``const`` values."""

HOSTILE_NAMES = [
    "class",
    "from",
    "None",
    "True",
    "match",
    "type",
    "_",
    "__init__",
    "__class__",
    "field",
    "list",
    "dict",
    "str",
    "l",
    "1st",
    "",
    " ",
    "orderId",
    "order_id",
    "OrderID",
    "order-id",
    "order.id",
    "\u00fcn\u00efc\u00f6d\u00e9",
    "\u540d\u524d",
    "additional_properties",
    "additionalProperties",
    "UNSET",
    "a" * 300,
    "b" * 300,
    '"""',
    "'''",
    "\\",
    "{{ x }}",
    "{% if %}",
    "x\ny",
    "0.0.0.0",
    "/tmp/x",
]
"""Property names that must be made safe, readable and unique."""

HOSTILE_TEXT = (
    "He said \"\"\"hi\"\"\" and '''bye''' \\ {{ x }} {% if y %}\n"
    "\u202etxt.exe\u202c \x00 \t tab \u2018quotes\u2019 \u2013 dash \u00e9 \u540d\u524d\n\n\n"
    "    indented code\n"
    'ends with a quote"'
)
"""A description that tries everything a docstring could choke on."""

HOSTILE: dict[str, Any] = {
    "class": {
        "type": "object",
        "title": HOSTILE_TEXT,
        "description": HOSTILE_TEXT,
        "properties": {
            name: {"type": "string", "description": HOSTILE_TEXT} for name in HOSTILE_NAMES
        },
    },
    "Handlers": {"type": "string", "description": "0.0.0.0"},
    "bind": {"type": "string", "description": "/tmp is not a place for payloads"},
    "create_app": {"type": "integer"},
    "Money": {"type": "number"},
    "money": {"type": "object", "properties": {"v": {"type": "number"}}},
    "Codec": {"type": "string", "enum": ["0.0.0.0", "/tmp", "a" * 120, 'say "hi"', "it's"]},
    "Unset": {"type": "boolean"},
    "JsonValue": {"type": "boolean"},
    "x" * 200: {"type": "object", "properties": {"y" * 200: {"type": "object"}}},
}
"""Roots whose names and texts are hostile."""

HOSTILE_RESERVED = frozenset({"Handlers", "bind", "create_app", "Bind"})
"""Names the other half of the generator uses at module level."""


def fuzz_schemas(seed: int, count: int) -> dict[str, Any]:
    """``count`` random roots with names and nesting of every length, from ``seed``.

    The point is layout: long and short names, deep and shallow types, so that every
    way a line can be too long shows up in the generated code.
    """
    rng = random.Random(seed)
    pieces = ["order", "Id", "shipping", "address", "x", "class", "2nd", "HTTP", "name"]

    def name() -> str:
        size = rng.choice([1, 2, 3, 6, 12, 20])
        return "".join(rng.choice(pieces) for _ in range(size))

    def text() -> str:
        return " ".join(rng.choice(pieces) for _ in range(rng.choice([1, 5, 40])))

    def schema(depth: int) -> Any:
        kinds = ["string", "date-time", "integer", "number", "boolean", "enum", "any"]
        if depth < 3:
            kinds += ["object", "array", "map", "oneOf", "kinds", "tuple", "allOf", "nullable"]
        kind = rng.choice(kinds)
        match kind:
            case "string" | "integer" | "number" | "boolean":
                result: Any = {"type": kind}
            case "date-time":
                result = {"type": "string", "format": rng.choice(["date-time", "uuid", "date"])}
            case "enum":
                result = {"enum": [name() for _ in range(rng.randint(1, 6))]}
            case "any":
                result = rng.choice([{}, True])
            case "object":
                properties = {name(): schema(depth + 1) for _ in range(rng.randint(1, 5))}
                required = [p for p in properties if rng.random() < 0.5]
                result = {"type": "object", "properties": properties, "required": required}
                if rng.random() < 0.3:
                    result["additionalProperties"] = rng.choice([False, schema(depth + 1)])
            case "array":
                result = {"type": "array", "items": schema(depth + 1)}
            case "map":
                result = {"type": "object", "additionalProperties": schema(depth + 1)}
            case "oneOf":
                tag = name()
                result = {
                    "oneOf": [
                        {
                            "type": "object",
                            "required": [tag],
                            "properties": {tag: {"const": name() + str(i)}, name(): schema(3)},
                        }
                        for i in range(rng.randint(2, 4))
                    ]
                }
            case "kinds":
                result = {"type": rng.sample(["string", "integer", "boolean", "array"], 2)}
            case "tuple":
                result = {
                    "type": "array",
                    "prefixItems": [schema(depth + 1) for _ in range(rng.randint(1, 3))],
                    "minItems": rng.randint(0, 3),
                }
            case "allOf":
                result = {
                    "allOf": [
                        {"type": "object", "properties": {name(): schema(3)}},
                        {"type": "object", "properties": {name(): schema(3)}},
                    ]
                }
            case _:
                result = {"type": [rng.choice(["string", "integer"]), "null"]}
        if isinstance(result, dict) and rng.random() < 0.3:
            result["description"] = text()
        return result

    return {name(): schema(0) for _ in range(count)}


def fuzz_texts(seed: int, count: int) -> dict[str, Any]:
    """``count`` roots whose titles, descriptions and enum values are random spec text.

    The point is docstrings and string literals: quotes at either end, backslashes,
    blank and indented lines, tabs, carriage returns, control and non-ASCII characters.
    """
    rng = random.Random(seed)
    atoms = [
        '"', "'", '"""', "\\", "\\n", "\n", "\n\n", "\r\n", "\t", "    ", " ", "x", "word",
        "{{ y }}", "\u00e9", "\u2028", "\u202e", "\x00", "\x0c", "# not a comment", "0.0.0.0",
        "/tmp/z", "http://example.com/" + "p" * 90, "long" * 30,
    ]  # fmt: skip

    def text() -> str:
        return "".join(rng.choice(atoms) for _ in range(rng.randint(0, 25)))

    roots: dict[str, Any] = {}
    for number in range(count):
        roots[f"Text{number}"] = {
            "type": "object",
            "title": text(),
            "description": text(),
            "properties": {
                text() or "empty": {"type": "string", "description": text()},
                "choice": {"enum": [text(), text()]},
            },
        }
    return roots
