"""Naming the language of a code block, only when the code makes it evident.

Discuz! [code] carries no language. Pygments' ``guess_lexer`` was tried and is not usable
here: it names a four-line Python function "TeraTerm". So the guess is a few strong,
specific signals; anything less certain stays plain text.
"""

from __future__ import annotations

import json
import re

_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("php", re.compile(r"^\s*<\?php\b")),
    ("pycon", re.compile(r"^>>> \S", re.M)),
    ("python", re.compile(r"^#!.*\bpython", re.M)),
    ("bash", re.compile(r"^#!.*\b(?:ba|z)?sh\b", re.M)),
    ("html", re.compile(r"^\s*<(?:!DOCTYPE\s+html|html\b)", re.I)),
    ("c", re.compile(r"^\s*#include\s*[<\"]", re.M)),
    (
        "python",
        re.compile(
            r"^(?:async\s+)?def \w+(?:\[[^\]]*\])?\(.*\)(?:\s*->.+)?:\s*$"
            r"|^class \w+(?:\[[^\]]*\])?(?:\(.*\))?:\s*$"
            r"|^from [\w.]+ import \w|^import \w+(?:\s*,\s*\w+)*\s*$",
            re.M,
        ),
    ),
    ("sql", re.compile(r"^\s*(?:SELECT\s.+\sFROM|INSERT\s+INTO|CREATE\s+TABLE|UPDATE\s+\w+\s+SET)\b", re.M)),
    ("javascript", re.compile(r"^\s*(?:const|let)\s+\w+\s*=.*;\s*$|^\s*function\s+\w+\s*\(.*\)\s*\{", re.M)),
)


def guess_language(code: str) -> str:
    """A Pygments lexer name for ``code`` when its language is evident, else ""."""
    sample = code[:4000]
    if not sample.strip():
        return ""
    for name, pattern in _SIGNALS:
        if pattern.search(sample):
            return name
    stripped = sample.strip()
    if stripped[:1] in "{[" and len(code) <= 200_000:
        try:
            json.loads(code)
        except ValueError:
            return ""
        return "json"
    return ""
