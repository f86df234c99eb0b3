"""SPARQL text as the grammar cuts it into tokens: its keywords, and where its pattern starts.

Strings, IRIs, comments, variables, prefixed names and language tags are told apart
from the bare keywords by the terminals of the SPARQL 1.1 grammar. Used to check a
stranger's query before it runs (:mod:`kg.checks.sparql`) and to put parameter values
at the start of a query's pattern (:func:`pattern_start`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LONG_STRING = r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''" + "|" + r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
_SHORT_STRING = r"'(?:[^'\\\n\r]|\\.)*'" + "|" + r'"(?:[^"\\\n\r]|\\.)*"'
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
_STOP = r"\s(){}\[\],;=<>!|&*/+^\"'#"
_TOKEN = re.compile(
    rf"(?P<string>{_LONG_STRING}|{_SHORT_STRING})"
    rf"|(?P<iri>{_IRI})"
    r"|(?P<comment>#[^\n\r]*)"
    rf"|(?P<variable>[?$][^{_STOP}.-]+)"
    r"|(?P<tag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    rf"|(?P<name>[^{_STOP}?$@:.][^{_STOP}:]*:[^{_STOP}]*|:[^{_STOP}]*)"
    r"|(?P<word>[A-Za-z]+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Keyword:
    """A bare keyword of a SPARQL text (upper case), its line, and the token after it."""

    word: str
    line: int
    after: str


def tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, offset) of every token but comments and white space."""
    return [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)
            if m.lastgroup != "comment" and not m.group().isspace()]


def keywords(text: str) -> list[Keyword]:
    """The bare keywords of a SPARQL text, in order."""
    significant = tokens(text)
    found, line, counted = [], 1, 0
    for i, (kind, value, start) in enumerate(significant):
        if kind == "word":
            line, counted = line + text.count("\n", counted, start), start  # each newline counted once
            after = significant[i + 1][1] if i + 1 < len(significant) else ""
            found.append(Keyword(value.upper(), line, after[:100]))
    return found


def unescaped(text: str) -> str:
    """``text`` with its ``\\u``/``\\U`` escapes decoded, as rdflib does before parsing."""

    def decode(match: re.Match) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except ValueError:
            return match.group()

    return _ESCAPE.sub(decode, text)


def pattern_start(text: str) -> int | None:
    """The offset just after the ``{`` that opens a query's WHERE pattern (the first
    ``{`` after ``WHERE``, else, in SELECT and ASK without the keyword, the first ``{``)."""
    found = tokens(text)
    words = [value.upper() for kind, value, _ in found if kind == "word"]
    after_where = "WHERE" in words
    seen_where = False
    for kind, value, start in found:
        if kind == "word" and value.upper() == "WHERE":
            seen_where = True
        elif value == "{" and (seen_where or not after_where):
            return start + 1
    return None
