"""The one code emitter: how every generated module is written, whoever writes its body.

- ``layout``: the document model (``Text``, ``Group``, ``Seq``) that lays expressions
  out as ``ruff format`` leaves them;
- ``literals``: document text and values as inert, ASCII-only Python source;
- ``width``: how wide a line is and when ruff's line-length rule reports it;
- ``imports``: import blocks and ``__all__`` in ruff's order;
- ``module``: the frame of every module (header, lint exemptions, docstring, imports,
  ``__all__``) around its body, and the names its imports bind.

Where a module's body comes from, by one rule: a module whose statements are the same
for every document, with values filled in, is a template (``templates/package``:
``__init__``, ``events``, ``publishers``, ``handlers``, ``topology`` and the handler
scaffold). A module whose statements are made from the schemas themselves, one class,
alias, union table or schema constant per definition and each shaped by its type, is
written in Python by the payloads stage (``payloads.py``, ``schemas.py``,
``examples.py``). Both kinds get their frame from ``module.Module`` and lay out every
expression whose width depends on the document with ``layout``.
"""
