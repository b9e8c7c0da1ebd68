"""Channel parameters: one routing-key word each, typed from their enum, given when firing.

A ``{parameter}`` in an address becomes a keyword argument of ``fire_*``; an enum makes
it a ``Literal``. The enum is read wherever the document writes it (2.x: in the
parameter's schema, which may be a reference).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.pipeline import Compiled

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
