"""Channel parameters: one routing-key word each, typed from their enum, given when firing.

A ``{parameter}`` in an address becomes a keyword argument of ``fire_*``; an enum makes
it a ``Literal``. The enum is read wherever the document writes it (2.x: in the
parameter's schema, which may be a reference), and a value that can never be one
routing-key word is refused where it is written. A ``location`` is not read from the
message, which a warning says.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.pipeline import Compiled
from tests.generator.conftest import errors

V2_REF = """\
asyncapi: 2.6.0
info: {title: Shop, version: 1.0.0}
channels:
  orders.{kind}:
    parameters:
      kind:
        schema: {$ref: '#/components/schemas/Kind'}
    subscribe:
      message: {name: Order, payload: {type: object}}
components:
  schemas:
    Kind: {$ref: '#/components/schemas/KindValues'}
    KindValues: {type: string, enum: [big, small]}
"""

V2_PARAMETER_REF = """\
asyncapi: 2.6.0
info: {title: Shop, version: 1.0.0}
channels:
  orders.{kind}:
    parameters:
      kind: {$ref: '#/components/parameters/Kind'}
    subscribe:
      message: {name: Order, payload: {type: object}}
components:
  parameters:
    Kind:
      schema: {$ref: '#/components/schemas/Kind'}
  schemas:
    Kind: {type: string, enum: [big, small]}
"""


@pytest.mark.parametrize("spec", [V2_REF, V2_PARAMETER_REF], ids=["schema-ref", "parameter-ref"])
def test_a_2x_parameter_schema_given_by_reference_keeps_its_enum(
    compile_spec: Callable[..., Compiled], spec: str
) -> None:
    compiled = compile_spec(spec)
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    publishers = compiled.tree.files["pkg/publishers.py"]
    assert "kind: Literal['big', 'small']" in publishers.replace('"', "'")


V3_WORDS = """\
asyncapi: 3.0.0
info: {title: Shop, version: 1.0.0}
channels:
  orders:
    address: 'orders.{kind}'
    parameters:
      kind: {enum: [%s]}
    messages:
      Order: {payload: {type: object}}
operations:
  sendOrder: {action: send, channel: {$ref: '#/channels/orders'}}
"""

V2_WORDS = """\
asyncapi: 2.6.0
info: {title: Shop, version: 1.0.0}
channels:
  orders.{kind}:
    parameters:
      kind:
        schema: {type: string, enum: [%s]}
    subscribe:
      message: {name: Order, payload: {type: object}}
"""


@pytest.mark.parametrize("value", ["'eu.west'", "'a*'", "'#'", "''"])
@pytest.mark.parametrize(
    ("spec", "pointer"),
    [
        (V3_WORDS, "/channels/orders/parameters/kind/enum"),
        (V2_WORDS, "/channels/orders.{kind}/parameters/kind/schema/enum"),
    ],
    ids=["3.0", "2.6"],
)
def test_an_enum_value_that_is_not_one_routing_key_word_is_an_error(
    compile_spec: Callable[..., Compiled], value: str, spec: str, pointer: str
) -> None:
    compiled = compile_spec(spec % f"ok, {value}")
    assert compiled.tree is None
    [found] = errors(compiled.diagnostics)
    assert found.location.pointer == pointer
    assert found.location.line is not None
    assert "'kind'" in found.message
    assert "routing-key word" in found.message
    assert "'.', '*' or '#'" in found.message


V3_LOCATION = """\
asyncapi: 3.0.0
info: {title: Users, version: 1.0.0}
channels:
  users:
    address: 'users.{userId}'
    parameters:
      userId: {location: '$message.payload#/user/id'}
    messages:
      Created: {payload: {type: object}}
operations:
  sendCreated: {action: send, channel: {$ref: '#/channels/users'}}
"""

V2_LOCATION = """\
asyncapi: 2.6.0
info: {title: Users, version: 1.0.0}
channels:
  users.{userId}:
    parameters:
      userId:
        schema: {type: string}
        location: '$message.payload#/user/id'
    subscribe:
      message: {name: Created, payload: {type: object}}
"""


@pytest.mark.parametrize(
    ("spec", "pointer"),
    [
        (V3_LOCATION, "/channels/users/parameters/userId/location"),
        (V2_LOCATION, "/channels/users.{userId}/parameters/userId/location"),
    ],
    ids=["3.0", "2.6"],
)
def test_a_parameter_location_is_not_read_from_the_message_and_a_warning_says_so(
    compile_spec: Callable[..., Compiled], spec: str, pointer: str
) -> None:
    compiled = compile_spec(spec)
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    [found] = [d for d in compiled.diagnostics if d.location.pointer == pointer]
    assert found.level == "warning"
    assert found.location.line is not None
    assert "'$message.payload#/user/id'" in found.message
    assert "keyword argument" in found.message
    assert "user_id: str" in compiled.tree.files["pkg/publishers.py"]
