"""Reading RDF files, safely, with errors that name the file and line.

Input may come from strangers. A file larger than :func:`max_file_bytes` is refused, and
so is one that is not UTF-8 (the encoding is recognised first: byte-order marks, and
UTF-16 or UTF-32 without one by their NUL bytes); a number longer than
:data:`MAX_NUMBER_DIGITS` digits or with an exponent beyond :data:`MAX_EXPONENT` is
refused; RDF/XML may not declare a DOCTYPE or entities (no "billion laughs", no external
entities); JSON-LD may not name a remote ``@context`` (kg never fetches one);
``owl:imports`` is never followed.

After these checks a file is parsed by Oxigraph into the store (:func:`load_into_store`,
the graph every command works on), or by rdflib (:func:`read_into`, for the project's
own data files and for shapes), under :func:`kg.checks.safety.guard`: no network, no
other files. rdflib reads leniently (an invalid escape such as ``\\uD800`` becomes ``?``,
an IRI may hold control characters), so :func:`read_into` first has Oxigraph's strict
parser read the same bytes (:func:`strict_quads`): what it refuses is refused, with the
line.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import InputError

FORMATS_BY_SUFFIX = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
}
QUAD_FORMATS = {"trig", "nquads", "json-ld"}
LINE_FORMATS = {"nt", "nquads"}
MAX_FILE_MB = 512
"""Default size limit of an input file; the environment variable ``KG_MAX_FILE_MB`` overrides it."""
MAX_NUMBER_DIGITS = 1000
"""The most digits a number may have (a longer one would cost time and memory to convert)."""
MAX_EXPONENT = 9999
"""The largest exponent a number may have (``1E+1000000000`` as a decimal is a billion digits)."""
_OXIGRAPH_FORMATS = {
    "turtle": "TURTLE", "nt": "N_TRIPLES", "trig": "TRIG", "nquads": "N_QUADS",
    "json-ld": "JSON_LD", "xml": "RDF_XML",
}
_OXIGRAPH_ERROR = re.compile(r"line (\d+)")
_COLLAPSIBLE = ("int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "dateTimeStamp")
"""The XSD datatypes the store keeps as their primitive type (:data:`kg.terms.COLLAPSED_DATATYPES`)."""


_LEAD_IN = re.compile(rb"(?:\^\^<?|datatype=[\"']|\"@type\"\s*:\s*\")\Z")
"""What comes before a datatype's IRI in Turtle, N-Triples, RDF/XML and JSON-LD."""


@functools.lru_cache(maxsize=128)
def _collapsed_pattern(spelling: bytes, names: tuple[str, ...]) -> re.Pattern:
    """``spelling`` (``xsd:`` or the XSD namespace) followed by one of ``names``; a
    pattern that starts with text, which the regular expression engine finds fast."""
    return re.compile(re.escape(spelling) + rb"(" + "|".join(names).encode() + rb")\b")


def collapsed_datatypes(data: bytes) -> list[str]:
    """The collapsible datatypes (:data:`_COLLAPSIBLE`) that type some literal of ``data``,
    sorted: each name looked for until its first use as a datatype (a million uses of
    ``xsd:positiveInteger`` cost one match, not a million)."""
    found = set()
    for spelling in (b"xsd:", b"http://www.w3.org/2001/XMLSchema#"):
        position = 0
        while left := tuple(name for name in _COLLAPSIBLE if name not in found):
            match = _collapsed_pattern(spelling, left).search(data, position)
            if match is None:
                break
            if _LEAD_IN.search(data, max(0, match.start() - 40), match.start()):
                found.add(match.group(1).decode())
            position = match.end()
    return sorted(found)

_LINE_PATTERNS = (
    re.compile(r"at line (\d+)"),
    re.compile(r"line[: ]+(\d+)", re.IGNORECASE),
)
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']""")
_BYTE_ORDER_MARKS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"), (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"), (b"\xff\xfe", "UTF-16 (little-endian)"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_LONG_NUMBER = re.compile(rb"[0-9]{%d}" % (MAX_NUMBER_DIGITS + 1))  # in a literal's value
_BIG_EXPONENT = re.compile(rb"(?<![\w.])[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?0*([1-9][0-9]{%d,})"
                           % len(str(MAX_EXPONENT)))
_NUMBER_SHAPE = bytes(48 if chr(i).isdigit() and i < 128 else 46 if i == 46 else 101 if i in (69, 101)
                      else 43 if i in (43, 45) else 32 for i in range(256))
"""A table for ``bytes.translate``: digits to ``0``, ``e`` and ``E`` to ``e``, ``+`` and ``-``
to ``+``, ``.`` kept, anything else a space; then plain ``find`` spots long numbers and
big exponents in a 100 MB file in about half a second (a regular expression takes seconds)."""
_EXPONENT_SHAPES = tuple(m + b"e" + sign + b"0" * (len(str(MAX_EXPONENT)) + 1)
                         for m in (b"0", b".") for sign in (b"", b"+"))
_BEFORE_NUMBER = frozenset(b" \t\r\n\"'>([{,:")
_AFTER_NUMBER = frozenset(b" \t\r\n\"'<,;.)]}")
_NUMERIC_DATATYPES = frozenset(
    "http://www.w3.org/2001/XMLSchema#" + name for name in (
        "decimal", "integer", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
        "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte"))
_INVALID_IRI = " does not look like a valid URI"


def data_files(paths) -> list[Path]:
    """The RDF files named by ``paths``: files as given, folders searched for files with a
    known suffix (sorted); a path that does not exist is an error."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix.lower() in FORMATS_BY_SUFFIX and p.is_file())
            if not inside:
                raise InputError(f"{path}: folder holds no RDF file ({', '.join(sorted(FORMATS_BY_SUFFIX))})")
            found += inside
        elif path.is_file():
            format_for(path)
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def format_for(path: Path) -> str:
    """The rdflib parser name for a file, from its suffix."""
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})") from None


# -- errors ------------------------------------------------------------------------------


def _error_line(exc: Exception) -> int | None:
    if hasattr(exc, "getLineNumber"):  # xml.sax.SAXParseException
        return exc.getLineNumber()
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):
        return lines + 1 if "at line" not in str(exc) else _first_line_number(str(exc))
    return _first_line_number(str(exc))


def _first_line_number(message: str) -> int | None:
    for pattern in _LINE_PATTERNS:
        match = pattern.search(message)
        if match:
            return int(match.group(1))
    return None


def _reason(exc: Exception) -> str:
    if hasattr(exc, "getMessage"):  # xml.sax.SAXParseException, without "<unknown>:4:2:"
        return str(exc.getMessage())[:200]
    text = str(exc).strip()
    match = re.search(r"Bad syntax \((.*?)\) at \^", text, re.DOTALL)
    if match:
        text = match.group(1)
    first = text.splitlines()[0] if text else type(exc).__name__
    return first[:200]


def parse_error(path: Path, exc: Exception, line: int | None = None) -> InputError:
    """An :class:`InputError` naming the file, the line when known, and the reason."""
    line = line or _error_line(exc)
    where = f"{path}:{line}" if line else str(path)
    return InputError(f"{where}: syntax error: {_reason(exc)}")


# -- checks before parsing ---------------------------------------------------------------


def max_file_bytes() -> int:
    """The size limit of an input file, in bytes (``KG_MAX_FILE_MB``, default :data:`MAX_FILE_MB`)."""
    from kg import settings

    megabytes = settings.megabytes("KG_MAX_FILE_MB", MAX_FILE_MB, accepts=lambda mb: mb > 0,
                                   expected="expected a positive number of megabytes")
    return int(megabytes * 1024 * 1024)


def read_input(path: Path) -> bytes:
    """The bytes of a user's input file: it must exist, be within the size limit, be UTF-8."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    size, limit = path.stat().st_size, max_file_bytes()
    if size > limit:
        raise InputError(f"{path}: file of {size / 2**20:.1f} MB is larger than the limit of "
                         f"{limit / 2**20:g} MB (set KG_MAX_FILE_MB to change it)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return utf8_text(path, data)


def open_checked_input(path: Path, chunk: int = 1 << 20):
    """The user's input file open for reading as binary, after :func:`read_input`'s checks
    (exists, size limit, UTF-8 text as :func:`utf8_text` says, with the same errors)
    made a chunk at a time: for a file then read as a stream (a CSV of a million rows),
    never whole in memory. What it gives is what was checked: the bytes it read, at
    most (a file that grows meanwhile is cut where it was checked)."""
    import codecs

    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        stream = open(path, "rb")  # noqa: SIM115 (returned)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        _check_stream(path, stream, chunk, codecs)
    except BaseException:
        stream.close()
        raise
    checked = stream.tell()
    stream.seek(0)
    return io.BufferedReader(_Upto(stream, checked))


class _Upto(io.RawIOBase):
    """A binary file read up to a given number of bytes."""

    def __init__(self, raw, size: int):
        self._raw, self._left = raw, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left <= 0:
            return 0
        data = self._raw.read(min(len(buffer), self._left))
        buffer[: len(data)] = data
        self._left -= len(data)
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _check_stream(path: Path, stream, chunk: int, codecs) -> None:
    """:func:`utf8_text`'s checks, and the size limit, over ``stream`` a chunk at a time."""
    size, limit = os.fstat(stream.fileno()).st_size, max_file_bytes()
    if size > limit:
        raise InputError(f"{path}: file of {size / 2**20:.1f} MB is larger than the limit of "
                         f"{limit / 2**20:g} MB (set KG_MAX_FILE_MB to change it)")
    decoder, lines, left = codecs.getincrementaldecoder("utf-8")("strict"), 1, limit
    try:
        data = stream.read(min(max(chunk, 4096), left + 1))  # enough to tell the encoding by
        if data.startswith(_UTF8_BOM):
            stream.seek(len(_UTF8_BOM))
            data = data[len(_UTF8_BOM):]
            left -= len(_UTF8_BOM)
        for mark, name in _BYTE_ORDER_MARKS:
            if data.startswith(mark):
                raise InputError(f"{path}:1: {name} text with a byte-order mark; kg reads UTF-8 only")
        if b"\x00" in data and _wide_encoding(data):
            line = data[: data.find(b"\x00")].count(b"\n") + 1
            raise InputError(f"{path}:{line}: {_wide_encoding(data)} text without a byte-order mark; "
                             "kg reads UTF-8 only")
        while data:
            left -= len(data)
            if left < 0:
                raise InputError(f"{path}: larger than the limit of {limit / 2**20:g} MB "
                                 "(set KG_MAX_FILE_MB to change it)")
            if b"\x00" in data:
                line = lines + data[: data.find(b"\x00")].count(b"\n")
                raise InputError(f"{path}:{line}: NUL byte; kg reads UTF-8 text only")
            pending = len(decoder.getstate()[0])  # bytes of a character the last chunk began
            try:
                decoder.decode(data)
            except UnicodeDecodeError as exc:
                at = max(exc.start - pending, 0)
                line = lines + data[:at].count(b"\n")
                raise InputError(f"{path}:{line}: not UTF-8 text (byte 0x{data[at]:02x}); "
                                 "kg reads UTF-8 only") from None
            lines += data.count(b"\n")
            data = stream.read(min(chunk, left + 1))
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise InputError(f"{path}:{lines}: not UTF-8 text (the file ends inside a character); "
                             "kg reads UTF-8 only") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def utf8_text(path: Path, data: bytes) -> bytes:
    """``data`` if it is UTF-8 text (a UTF-8 byte-order mark removed), else an error.

    The encoding is recognised before anything reads the bytes: a UTF-16 or UTF-32
    byte-order mark, or their NUL bytes without one, is refused as such (a parser that
    honoured them would see other text than kg's checks). NUL is no character of any RDF
    text, so one anywhere is refused too.
    """
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    else:
        for mark, name in _BYTE_ORDER_MARKS:
            if data.startswith(mark):
                raise InputError(f"{path}:1: {name} text with a byte-order mark; kg reads UTF-8 only")
    nul = data.find(b"\x00")
    if nul >= 0:
        guess = _wide_encoding(data)
        line = data[:nul].count(b"\n") + 1
        if guess:
            raise InputError(f"{path}:{line}: {guess} text without a byte-order mark; kg reads UTF-8 only")
        raise InputError(f"{path}:{line}: NUL byte; kg reads UTF-8 text only")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); kg reads UTF-8 only") from None
    return data


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (and the byte order) by where the NUL bytes of a text's first
    code units fall, as XML 1.0 appendix F does; None when they fit neither."""
    head = data[: 4 * 256]
    head = head[: len(head) // 4 * 4]
    if not head:
        return None
    units32 = [head[i : i + 4] for i in range(0, len(head), 4)]
    if all(u[:3] == b"\x00\x00\x00" or u[:2] == b"\x00\x00" for u in units32):
        return "UTF-32 (big-endian)"
    if all(u[1:] == b"\x00\x00\x00" or u[2:] == b"\x00\x00" for u in units32):
        return "UTF-32 (little-endian)"
    even, odd = head[0::2], head[1::2]
    if even.count(0) > len(even) // 2:
        return "UTF-16 (big-endian)"
    if odd.count(0) > len(odd) // 2:
        return "UTF-16 (little-endian)"
    return None


def check_numbers(path: Path, data: bytes, fmt: str) -> bool:
    """Refuse a run of more than :data:`MAX_NUMBER_DIGITS` digits anywhere in the file
    (one line, with its line): converting such a number costs time and memory out of
    all proportion to its size. Return True when the text may hold a number
    :func:`check_literals` refuses (something like a big exponent, or an escape that
    could spell one): exponents are judged on the parsed literals, since
    ``-8e953884`` may also be part of an IRI's UUID."""
    shape = data.translate(_NUMBER_SHAPE)
    found = shape.find(b"0" * (MAX_NUMBER_DIGITS + 1))
    if found >= 0:
        raise InputError(f"{path}:{line_of(data, found)}: {_number_refusal('digits', None)}")
    escapes = (b"&#",) if fmt == "xml" else (b"\\u", b"\\U")
    if any(escape in data for escape in escapes):
        return True
    for needle in _EXPONENT_SHAPES:
        found = shape.find(needle)
        while found >= 0:
            if _stands_alone(shape, data, found + 1):
                return True
            found = shape.find(needle, found + 1)
    return False


def _stands_alone(shape: bytes, data: bytes, e: int) -> bool:
    """True when the exponent marker at ``e`` belongs to a number standing on its own
    (between spaces, quotes, brackets, commas...), not to a word such as an IRI's
    ``mobileye-213841442`` or ``8e953884-f8dd``."""
    start = e
    while start > 0 and shape[start - 1] in b"0.+":
        start -= 1
    end = e + 1
    while end < len(shape) and shape[end] in b"0+":
        end += 1
    return (start == 0 or data[start - 1] in _BEFORE_NUMBER) and (end == len(data) or data[end] in _AFTER_NUMBER)


def _number_refusal(what: str, match: re.Match | None) -> str:
    if what == "digits":
        return (f"number of more than {MAX_NUMBER_DIGITS} digits refused "
                f"(kg reads numbers of up to {MAX_NUMBER_DIGITS} digits)")
    return (f"number with the exponent {match.group(1)[:20].decode()} refused "
            f"(kg reads exponents up to {MAX_EXPONENT})")


def check_literals(path: Path, data: bytes, quads) -> None:
    """Refuse a numeric literal (xsd:decimal, xsd:double, xsd:integer ...) of more than
    :data:`MAX_NUMBER_DIGITS` digits or with an exponent beyond :data:`MAX_EXPONENT`
    (``"1E+1000000000"^^xsd:decimal`` is 13 bytes and a billion digits), with the line
    where its text appears as written."""
    for quad in quads:
        term = quad.object
        if getattr(term, "datatype", None) is None or term.datatype.value not in _NUMERIC_DATATYPES:
            continue
        value = term.value.encode("utf-8")
        for pattern, what in ((_LONG_NUMBER, "digits"), (_BIG_EXPONENT, "exponent")):
            match = pattern.search(value)
            if match:
                raise InputError(f"{_where(path, data, value)}: {_number_refusal(what, match)}")


def _where(path: Path, data: bytes, text: bytes) -> str:
    """``path:line`` of the first occurrence of ``text`` in ``data``, else ``path``."""
    found = data.find(text)
    return f"{path}:{line_of(data, found)}" if found >= 0 else str(path)


def line_of(data: bytes, offset: int) -> int:
    """The line number of byte ``offset`` of ``data``."""
    return data.count(b"\n", 0, offset) + 1


def _check_xml(path: Path, data: bytes) -> None:
    """RDF/XML must be UTF-8 (and say so, if it names an encoding), well-formed, and
    declare no DOCTYPE or entity: checked by defusedxml's hardened expat reader, told
    the bytes are UTF-8 whatever they claim, before Oxigraph reads a byte of it."""
    import xml.sax

    from defusedxml import DefusedXmlException
    from defusedxml.expatreader import create_parser

    declared = _XML_ENCODING.match(data.lstrip())
    if declared and declared.group(1).strip().lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        name = declared.group(1).decode("ascii", "backslashreplace")[:40]
        raise InputError(f"{path}:1: declares the encoding {name!r}; kg reads UTF-8 only")
    match = _XML_DECLARATIONS.search(data)
    if match:
        line = line_of(data, match.start())
        raise InputError(f"{path}:{line}: <!{match.group(1).decode().upper()}> refused: RDF/XML may not "
                         "declare a DOCTYPE or entities (entity expansion, external entities)")
    parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(xml.sax.ContentHandler())
    source = xml.sax.xmlreader.InputSource()
    source.setByteStream(io.BytesIO(data))
    source.setEncoding("utf-8")  # expat would otherwise follow a byte-order mark or declaration
    try:
        parser.parse(source)
    except DefusedXmlException:
        raise InputError(f"{path}: <!DOCTYPE> refused: RDF/XML may not declare a DOCTYPE or entities "
                         "(entity expansion, external entities)") from None
    except xml.sax.SAXParseException as exc:
        raise InputError(f"{path}:{exc.getLineNumber()}: syntax error: {exc.getMessage()[:200]}") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to read") from None


def _check_json_ld(path: Path, data: bytes) -> None:
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    except ValueError as exc:  # a number Python will not convert (checked before; kept as a net)
        raise InputError(f"{path}: syntax error: {str(exc)[:200]}") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to read") from None
    if not isinstance(document, (dict, list)):
        raise InputError(f"{path}:1: syntax error: a JSON-LD document is an object or an array")
    reference = remote_context(document)
    if reference is not None:
        raise InputError(f"{path}: JSON-LD context {reference!r} refused: kg never fetches a "
                         "context; put the context in the file")


def remote_context(document) -> str | None:
    """The first ``@context`` or ``@import`` of a JSON-LD document that names a document."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("@context", "@import"):
                for value in node.get(key) if isinstance(node.get(key), list) else [node.get(key)]:
                    if isinstance(value, str):
                        return value
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


# -- parsing -----------------------------------------------------------------------------


class _LineReader(io.StringIO):
    """Text handed to a line-based parser one line per read, counting the lines read
    (rdflib's N-Triples errors do not say which line failed)."""

    lines = 0

    def read(self, size: int | None = -1) -> str:
        line = self.readline()
        self.lines += bool(line)
        return line


class _TermWarnings(logging.Handler):
    """rdflib's term warnings during a parse: invalid IRIs kept, the rest dropped
    (ill-typed literals are for SHACL to report, not for a traceback on stderr)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.invalid_iris: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if _INVALID_IRI in message:
            self.invalid_iris.append(message.split(_INVALID_IRI)[0])


@contextmanager
def _term_warnings() -> Iterator[_TermWarnings]:
    logger = logging.getLogger("rdflib.term")
    handler, propagate = _TermWarnings(), logger.propagate
    disabled = logging.root.manager.disable  # kg's command turns logging off (kg.cli)
    logger.addHandler(handler)
    logger.propagate = False
    logging.disable(logging.NOTSET)
    try:
        yield handler
    finally:
        logging.disable(disabled)
        logger.removeHandler(handler)
        logger.propagate = propagate


def checked_input(path: Path) -> tuple[str, bytes]:
    """The format and bytes of an RDF file that passed every check above."""
    fmt, data, _ = _checked(Path(path))
    return fmt, data


def _checked(path: Path) -> tuple[str, bytes, bool]:
    """:func:`checked_input`, and whether the literals need :func:`check_literals`."""
    fmt = format_for(path)
    data = read_input(path)
    literals = check_numbers(path, data, fmt)
    if fmt == "xml":
        _check_xml(path, data)
    if fmt == "json-ld":
        _check_json_ld(path, data)
    return fmt, data, literals


def load_into_store(store, path: Path, graph=None, default_graph=None) -> list[str]:
    """Parse ``path`` with Oxigraph into ``store`` (a ``pyoxigraph.Store``), after the checks.

    Quad formats keep their own graphs; a triple format goes into ``graph`` (a
    ``NamedNode``). What would go into the default graph (a quad format's default graph,
    a triple format's triples when ``graph`` is None) goes into ``default_graph`` when
    it is given (a ``NamedNode``), else into the default graph. Returns notes for the
    user: the datatypes of the file that the store keeps as their primitive type
    (:data:`kg.terms.COLLAPSED_DATATYPES`).
    """
    import pyoxigraph

    from kg.checks import safety

    path = Path(path)
    fmt, data, literals = _checked(path)
    if literals:  # a number written so that only its parsed value shows it
        strict_quads(path, fmt, data)
    target = graph if graph is not None and fmt not in QUAD_FORMATS else default_graph
    options = {"to_graph": target} if target is not None else {}
    try:
        with safety.guard():
            store.bulk_load(data, format=getattr(pyoxigraph.RdfFormat, _OXIGRAPH_FORMATS[fmt]),
                            base_iri=path.resolve().as_uri(), **options)
    except SyntaxError as exc:
        raise oxigraph_error(path, exc, data) from None
    except OSError as exc:
        refused = safety.refusal(exc)
        raise InputError(f"{path}: {refused or safety.first_line(exc)}") from None
    collapsed = collapsed_datatypes(data)
    if collapsed:
        names = ", ".join(f"xsd:{name} as xsd:{'dateTime' if name == 'dateTimeStamp' else 'integer'}"
                          for name in collapsed)
        return [f"{path}: the store keeps values typed {names} (the same values; see README, the store)"]
    return []


def oxigraph_error(path: Path, exc: Exception, data: bytes | None = None) -> InputError:
    """An :class:`InputError` from an Oxigraph parse error: file, line, reason.

    JSON-LD errors carry no line: the line of the keyword the message names (``@vocab``
    ...) stands in for it, where ``data`` holds one.
    """
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    match = _OXIGRAPH_ERROR.search(message)
    reason = re.sub(r"^Parser error (at|between) .*?: ", "", message)
    reason = re.sub(r" \(line \d+\)$", "", reason)
    if match:
        where = f"{path}:{match.group(1)}"
    else:
        keyword = re.search(r"@[a-zA-Z]+", reason)
        where = _where(path, data, f'"{keyword.group(0)}"'.encode()) if keyword and data else str(path)
    return InputError(f"{where}: syntax error: {reason[:200]}")


def strict_quads(path: Path, fmt: str, data: bytes) -> list:
    """The quads of ``data`` as Oxigraph's strict parser reads them (pyoxigraph quads),
    after :func:`check_literals`; a syntax error is an :class:`InputError` with its line.

    rdflib reads leniently: it turns the escape ``\\uD800`` into ``?``, passes
    ``\\q``, and takes IRIs with control characters; Oxigraph refuses them.
    """
    import pyoxigraph

    try:
        quads = list(pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, _OXIGRAPH_FORMATS[fmt]),
                                      base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise oxigraph_error(path, exc, data) from None
    check_literals(path, data, quads)
    return quads


def read_into(dataset, path: Path, graph_name=None) -> None:
    """Parse ``path`` with rdflib into ``dataset``, after the checks above.

    Quad formats keep their own graphs; a triple format goes into ``graph_name`` (or
    the default graph when it is ``None``).
    """
    from kg.checks import safety

    path = Path(path)
    fmt, data = checked_input(path)
    strict_quads(path, fmt, data)
    if fmt in QUAD_FORMATS:
        target = dataset
    else:
        target = dataset.graph(graph_name) if graph_name is not None else dataset.default_context
    reader = _LineReader(data.decode("utf-8")) if fmt in LINE_FORMATS else None
    source = {"source": reader} if reader else {"data": data}
    try:
        with safety.guard(), _term_warnings() as warnings:
            target.parse(**source, format=fmt, publicID=path.resolve().as_uri())
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to read") from None
    except Exception as exc:  # rdflib raises many types; all mean bad input here
        refused = safety.refusal(exc)
        if refused:
            raise InputError(f"{path}: {refused}") from None
        raise parse_error(path, exc, reader.lines if reader else None) from None
    if warnings.invalid_iris:
        raise InputError(f"{path}: invalid IRI <{warnings.invalid_iris[0][:200]}>")


def read_graph(path: Path):
    """Parse a triple file (Turtle, N-Triples, RDF/XML) with rdflib into a new graph."""
    from rdflib import Dataset, Graph

    dataset = Dataset()
    read_into(dataset, path)
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
