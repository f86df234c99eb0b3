"""Errors the ``kg`` command reports as one line with exit code 2."""


class KgError(Exception):
    """Bad input or an environment problem: one line naming what and where."""

    exit_code = 2


class InputError(KgError):
    """A file, query, option or parameter given by the user is not acceptable."""


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwound like Ctrl-C (temporary files removed), exit
    128 + the signal's number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """``text`` with every control or line-breaking character escaped as Python's
    ``repr`` would (``\\n``, ``\\x01``, ``\\u2028``): a file name holding a newline cannot
    break a one-line message."""
    return "".join(_escaped(c) for c in str(text))


def _escaped(char: str) -> str:
    code = ord(char)
    if code >= 0x20 and not 0x7F <= code <= 0x9F and code not in (0x2028, 0x2029):
        return char
    return _ESCAPES.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
