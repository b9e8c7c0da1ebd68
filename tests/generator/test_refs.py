"""``$ref`` resolution: local, relative files at any depth, recursion, cycles, remote, broken."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from generator.documents import Documents, Node, RefProblem
from generator.output import write_tree
from generator.pipeline import Compiled
from generator.resolve import resolve_schemas
from generator.validate import validate
from tests.generator.conftest import errors, messages
from tests.generator.quality import mypy_strict

HEADER = """\
asyncapi: 3.0.0
info: {title: Refs, version: 1.0.0}
"""


def _document(payload: str) -> str:
    return (
        HEADER
        + f"""\
channels:
  created:
    address: things.created
    messages:
      thing:
        payload: {payload}
operations:
  sendThing:
    action: send
    channel: {{$ref: '#/channels/created'}}
"""
    )


def test_refs_inside_referenced_files_are_relative_to_that_file(
    write_spec: Callable[..., Path],
) -> None:
    spec = write_spec(
        _document("{$ref: 'schemas/deep/thing.yaml#/Thing'}"),
        **{
            "schemas/deep/thing.yaml": """\
                Thing:
                  type: object
                  properties:
                    money: {$ref: '../../common/money.yaml'}
                    tags: {$ref: '#/Tags'}
                Tags: {type: array, items: {type: string}}
            """,
            "common/money.yaml": """\
                type: object
                properties:
                  currency: {$ref: 'currency.yaml#/Currency'}
            """,
            "common/currency.yaml": "Currency: {type: string, enum: [EUR, USD]}\n",
        },
    )
    documents = Documents(spec)
    validation = validate(documents)
    assert errors(validation.diagnostics) == []
    schemas = resolve_schemas(documents, validation.schema_sites)
    assert schemas.diagnostics == ()
    payload_key = "asyncapi.yaml#/channels/created/messages/thing/payload"
    assert schemas.roots[payload_key] == {"$ref": "schemas/deep/thing.yaml#/Thing"}
    graph = schemas.graph(documents, [schemas.roots[payload_key]])
    assert sorted(graph.nodes) == [
        "common/currency.yaml#/Currency",
        "common/money.yaml#",
        "schemas/deep/thing.yaml#/Tags",
        "schemas/deep/thing.yaml#/Thing",
    ]
    thing = graph.get("schemas/deep/thing.yaml#/Thing")
    assert isinstance(thing, dict)
    assert thing["properties"]["money"] == {"$ref": "common/money.yaml#"}
    location = graph.locate("common/currency.yaml#/Currency")
    assert location.line == 1
    assert location.file.endswith("common/currency.yaml")


def test_two_schemas_with_the_same_name_in_different_files_keep_different_keys(
    write_spec: Callable[..., Path],
) -> None:
    spec = write_spec(
        _document(
            "{type: object, properties: {a: {$ref: 'a.yaml#/Money'}, b: {$ref: 'b.yaml#/Money'}}}"
        ),
        **{
            "a.yaml": "Money: {type: integer}\n",
            "b.yaml": "Money: {type: string}\n",
        },
    )
    documents = Documents(spec)
    validation = validate(documents)
    schemas = resolve_schemas(documents, validation.schema_sites)
    assert schemas.nodes["a.yaml#/Money"] == {"type": "integer"}
    assert schemas.nodes["b.yaml#/Money"] == {"type": "string"}


def test_recursive_schemas_stay_recursive(write_spec: Callable[..., Path]) -> None:
    spec = write_spec(
        _document("{$ref: '#/components/schemas/Node'}")
        + """\
components:
  schemas:
    Node:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
"""
    )
    documents = Documents(spec)
    validation = validate(documents)
    schemas = resolve_schemas(documents, validation.schema_sites)
    assert schemas.diagnostics == ()
    node = schemas.nodes["asyncapi.yaml#/components/schemas/Node"]
    assert isinstance(node, dict)
    assert node["properties"]["children"]["items"] == {
        "$ref": "asyncapi.yaml#/components/schemas/Node"
    }


def test_a_cycle_of_pure_references_is_an_error(compile_spec: Callable[..., Compiled]) -> None:
    compiled = compile_spec(
        _document("{$ref: '#/components/schemas/A'}")
        + """\
components:
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
"""
    )
    assert compiled.tree is None
    found = [d for d in errors(compiled.diagnostics) if "leads back to itself" in d.message]
    assert found
    assert found[0].location.line is not None


def test_a_remote_reference_is_a_clear_offline_error(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(_document("{$ref: 'https://example.com/schemas/thing.json'}"))
    assert compiled.tree is None
    [problem] = errors(compiled.diagnostics)
    assert "remote references are not fetched" in problem.message
    assert "bundle" in problem.message.lower()
    assert problem.location.pointer == "/channels/created/messages/thing/payload/$ref"
    assert problem.location.line == 8


def test_a_broken_reference_names_its_place_and_what_is_missing(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(
        _document("{$ref: '#/components/schemas/Missing'}")
        + "components:\n  schemas:\n    Present: {type: string}\n"
    )
    [problem] = errors(compiled.diagnostics)
    assert "'#/components/schemas/Missing'" in problem.message
    assert "has no 'Missing'" in problem.message
    assert problem.render().startswith(f"{problem.location.file}:8:19: error:")


def test_a_reference_to_a_missing_file_is_an_error(compile_spec: Callable[..., Compiled]) -> None:
    compiled = compile_spec(_document("{$ref: 'nowhere/thing.yaml'}"))
    [problem] = errors(compiled.diagnostics)
    assert "nowhere/thing.yaml" in problem.message
    assert "does not exist" in problem.message


def test_a_reference_to_an_invalid_file_reports_inside_that_file(
    write_spec: Callable[..., Path], tmp_path: Path, build_types: object
) -> None:
    spec = write_spec(_document("{$ref: 'bad.yaml#/X'}"), **{"bad.yaml": "X: [1,\n"})
    documents = Documents(spec)
    validation = validate(documents)
    schemas = resolve_schemas(documents, validation.schema_sites)
    rendered = messages([*documents.diagnostics, *schemas.diagnostics])
    assert any("bad.yaml:2:1: error: The file is not valid YAML" in m for m in rendered)
    assert any("bad.yaml', but it is not a valid YAML or JSON document" in m for m in rendered)


def test_pointers_may_pass_through_references_and_be_percent_encoded(
    write_spec: Callable[..., Path],
) -> None:
    spec = write_spec(
        "a: {$ref: 'other.yaml'}\nb: 1\n",
        **{"other.yaml": "inner:\n  my thing: {x: 2}\n  'a/b': 3\n"},
    )
    documents = Documents(spec)
    root = documents.root()
    assert root is not None
    found = documents.follow("#/a/inner/my%20thing/x", root.file)
    assert isinstance(found, Node)
    assert found.value == 2
    assert found.file == "other.yaml"
    slash = documents.follow("other.yaml#/inner/a~1b", root.file)
    assert isinstance(slash, Node)
    assert slash.value == 3
    anchor = documents.follow("#anchor", root.file)
    assert isinstance(anchor, RefProblem)
    assert "not a JSON pointer" in anchor.message


def test_absolute_paths_are_refused(write_spec: Callable[..., Path]) -> None:
    spec = write_spec("a: 1\n")
    documents = Documents(spec)
    problem = documents.follow("/etc/passwd", "asyncapi.yaml")
    assert isinstance(problem, RefProblem)
    assert "absolute path" in problem.message


def test_a_discriminator_mapping_refers_like_a_reference(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(
        """\
        asyncapi: 2.6.0
        info: {title: Pets, version: 1.0.0}
        channels:
          pets:
            subscribe:
              message:
                name: PetMsg
                payload:
                  oneOf:
                    - $ref: '#/components/schemas/Cat'
                    - $ref: '#/components/schemas/Dog'
                  discriminator:
                    propertyName: kind
                    mapping: {cat: '#/components/schemas/Cat', dog: Dog}
        components:
          schemas:
            Cat:
              type: object
              required: [kind]
              properties: {kind: {type: string}}
            Dog:
              type: object
              required: [kind]
              properties: {kind: {type: string}}
        """
    )
    assert compiled.tree is not None
    [payloads] = [
        text for path, text in compiled.tree.files.items() if path.endswith("payloads.py")
    ]
    assert 'CatKind: TypeAlias = Literal["cat"]' in payloads
    assert 'DogKind: TypeAlias = Literal["dog"]' in payloads


RECURSIVE_THROUGH_ALLOF = """\
asyncapi: 3.0.0
info: {title: Trees, version: '1'}
channels:
  c:
    address: trees.grown
    messages:
      M: {payload: {$ref: '#/components/schemas/%(root)s'}}
operations:
  s: {action: send, channel: {$ref: '#/channels/c'}}
components:
  schemas:
    Forest:
      type: array
      items:
        type: object
        additionalProperties: {allOf: [{$ref: '#/components/schemas/Forest'}], description: More.}
    Knot:
      oneOf:
        - {$ref: '#/components/schemas/Knot'}
        - {type: string}
        - allOf: [{enum: [a, 1]}, {type: integer}]
"""


def test_a_reference_wrapped_in_allof_is_the_reference(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(RECURSIVE_THROUGH_ALLOF % {"root": "Forest"})
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    assert 'Forest: TypeAlias = list[dict[str, "Forest"]]' in compiled.tree.files["pkg/payloads.py"]


def test_a_self_reference_no_type_can_spell_is_a_located_error_not_a_crash(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(RECURSIVE_THROUGH_ALLOF % {"root": "Knot"})
    assert compiled.tree is None
    [error] = [d for d in compiled.diagnostics if d.level == "error"]
    assert "refers back to itself" in error.message or "is the union itself" in error.message
    assert error.location.line is not None


NULLABLE_UNION = """\
asyncapi: 3.0.0
info: {title: Mixed, version: '1'}
channels:
  c:
    address: mixed.seen
    messages:
      M: {payload: {$ref: '#/components/schemas/Mixed'}}
operations:
  s: {action: send, channel: {$ref: '#/channels/c'}}
  r: {action: receive, channel: {$ref: '#/channels/c'}}
components:
  schemas:
    Mixed:
      oneOf:
        - {type: object, additionalProperties: true}
        - {type: string}
        - {$ref: '#/components/schemas/Point'}
        - {type: 'null'}
    Point: {type: object, properties: {x: {type: integer}}, required: [x]}
"""


def test_a_nullable_union_of_a_map_a_string_and_a_class_passes_mypy(
    compile_spec: Callable[..., Compiled], tmp_path: Path
) -> None:
    compiled = compile_spec(NULLABLE_UNION)
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    output = tmp_path / "typed"
    write_tree(output, compiled.tree)
    (output / "pkg_handlers.py").unlink()
    status, report = mypy_strict([output], tmp_path)
    assert status == 0, report


UNION_OF_ITS_OWN_LIST = """\
asyncapi: 3.0.0
info: {title: Nested, version: '1'}
channels:
  c:
    address: nested.seen
    messages:
      M: {payload: {$ref: '#/components/schemas/A'}}
operations:
  s: {action: send, channel: {$ref: '#/channels/c'}}
components:
  schemas:
    A:
      type: array
      items:
        type: object
        properties:
          class:
            oneOf: [{$ref: '#/components/schemas/A'}, {const: 1}, {type: string}]
"""


def test_a_union_member_that_is_its_own_enclosing_list_encodes_its_objects(
    compile_spec: Callable[..., Compiled], tmp_path: Path
) -> None:
    # The union is typed while A still is: its list member's classes are known only later.
    compiled = compile_spec(UNION_OF_ITS_OWN_LIST)
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    output = tmp_path / "nested"
    write_tree(output, compiled.tree)
    script = (
        "import json, sys\n"
        "from pkg import payloads\n"
        "data = json.loads(sys.argv[1])\n"
        "print(json.dumps(payloads.encode_a(payloads.decode_a(data))))\n"
    )
    data = [{"class": [{"class": "x"}, {"class": 1}]}, {"class": "y"}, {}]
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(data)],
        cwd=output,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == data
