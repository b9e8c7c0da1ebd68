"""The shape comparison used on hostile documents tells escaped text from renamed text."""

from __future__ import annotations

from pathlib import Path

from tests.generator.template_code import code_shape

TEMPLATE = '''\
"""Payloads of {title}."""


class {name}:
    """{doc}"""

    def encode_{name}(self, value: str) -> str:
        return "{wire}" + value

    def other(self) -> None:
        pass
'''


def _shape(tmp_path: Path, name: str, **texts: str) -> list[str]:
    path = tmp_path / f"{name}.py"
    path.write_text(TEMPLATE.format(name=name, **texts), encoding="utf-8")
    return code_shape(path)


def test_other_names_and_texts_give_the_same_shape(tmp_path: Path) -> None:
    plain = _shape(tmp_path, "Plain", title="plain", doc="plain", wire="plain")
    other = _shape(tmp_path, "Zeta", title="a 'b' c", doc="x\\n y", wire="#{{ x }}")
    assert plain == other


def test_text_that_became_code_changes_the_shape(tmp_path: Path) -> None:
    plain = _shape(tmp_path, "Plain", title="plain", doc="plain", wire="plain")
    escaped = _shape(tmp_path, "Evil", title="t", doc='"""; import os; """', wire="w")
    assert plain != escaped
    escaped = _shape(tmp_path, "Evil2", title="t", doc="d", wire='" + print(1) + "')
    assert plain != escaped
