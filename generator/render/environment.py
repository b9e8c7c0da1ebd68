"""The Jinja2 environment every template renders in, and where the templates are.

Templates ship inside the wheel as ``generator/templates`` and live in the source tree
as the top-level ``templates`` folder. ``StrictUndefined`` makes a missing value an
error instead of empty text; every filter is listed in ``FILTERS``. A template writes
the body of one module; the filters that write literals record them in the context's
``module`` (an ``emit.Module``), which frames the body.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from generator.emit.layout import Doc, render
from generator.emit.literals import sentence
from generator.emit.module import Module

__all__ = ["FILTERS", "environment", "templates_root"]


def templates_root() -> Path:
    """The folder holding the templates: inside the package when installed, else the repo's."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


def _module(context: jinja2.runtime.Context) -> Module:
    module = context["module"]
    assert isinstance(module, Module)
    return module


@jinja2.pass_context
def _docstring(context: jinja2.runtime.Context, text: str, indent: int = 0) -> str:
    """A docstring of one sentence at ``indent``; the template writes the indentation."""
    lines = _module(context).docstring(sentence(text), indent=indent)
    return "\n".join([lines[0][indent:], *lines[1:]])


@jinja2.pass_context
def _literal(context: jinja2.runtime.Context, value: str) -> str:
    return _module(context).literal(value)


def _layout(doc: Doc, indent: int = 0, prefix: str = "", suffix: str = "") -> str:
    return render(doc, indent, prefix, suffix)


FILTERS: dict[str, Callable[..., Any]] = {
    "py_str": _literal,
    "docstring": _docstring,
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
