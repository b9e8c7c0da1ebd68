"""Python names for the package's functions and parameters, from document names."""

from __future__ import annotations

import pytest

from generator.names import safe_identifier


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("region", "region"),
        ("class", "class_"),
        ("match", "match_"),
        ("2fa", "n2fa"),
        ("", "n"),
        ("payload", "payload_"),
        # pycodestyle's E741: l, O and I read like 1 and 0.
        ("l", "l_"),
        ("O", "O_"),
        ("I", "I_"),
        ("o", "o"),
    ],
)
def test_safe_identifiers(name: str, expected: str) -> None:
    assert safe_identifier(name, {"payload"}) == expected
