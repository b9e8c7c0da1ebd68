"""The Jinja2 environment every template renders in, and where the templates are.

Templates ship inside the wheel as ``generator/templates`` and live in the source tree
as the top-level ``templates`` folder. ``StrictUndefined`` makes a missing value an
error instead of empty text; every filter is listed in ``FILTERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from generator.render.layout import Expr, render
from generator.render.literals import comment, docstring, py_str, py_value

__all__ = ["FILTERS", "environment", "templates_root"]


def templates_root() -> Path:
    """The folder holding the templates: inside the package when installed, else the repo's."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


def _layout(expr: Expr, indent: int = 0, prefix: str = "", suffix: str = "") -> str:
    return render(expr, indent, prefix=prefix, suffix=suffix)


FILTERS: dict[str, Callable[..., Any]] = {
    "py_str": py_str,
    "py_value": py_value,
    "docstring": docstring,
    "comment": comment,
    "layout": _layout,
}


@cache
def environment() -> jinja2.Environment:
    """The shared environment (templates are compiled once per process)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_root())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - the output is Python source, not HTML
    )
    env.filters.update(FILTERS)
    return env
