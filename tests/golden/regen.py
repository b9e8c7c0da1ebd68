"""Regenerate every golden tree: ``python -m tests.golden.regen``.

The expected trees show exactly what ``amqp-events-gen`` produces today. Review the
diff, then commit.
"""

from __future__ import annotations

import shutil
import sys

from generator.diagnostics import errors_in, render_all
from generator.payloads import build_types
from tests.golden.cases import cases


def main() -> int:
    """Rewrite each case's ``expected/`` folder; return 1 if a case does not compile."""
    status = 0
    for case in cases():
        files, diagnostics = case.generate(build_types)
        if errors_in(diagnostics) or not files:
            print(f"{case.name}: does not compile\n{render_all(diagnostics)}", file=sys.stderr)
            status = 1
            continue
        shutil.rmtree(case.expected, ignore_errors=True)
        for relative, text in files.items():
            path = case.expected / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        print(f"{case.name}: {len(files)} files")
    return status


if __name__ == "__main__":
    sys.exit(main())
