"""Errors that tell the user what was wrong, where, and what to do next."""
from __future__ import annotations

import unicodedata

#: at most this many characters of one value from a file go into a message (the rest is counted, not shown)
VALUE_LIMIT = 300
#: at most this many characters of one part of a message (the problem, what was expected, what to do)
TEXT_LIMIT = 2_000


def printable(text, limit: int = TEXT_LIMIT) -> str:
    """``text`` made safe for a terminal: control characters, binary bytes decoded as U+FFFD and other
    unprintable characters escaped (``\\n``, ``\\x1b``, ``\\ufffd``), and cut after ``limit`` characters
    with the number left out said (``… (49,999,700 more characters)``)."""
    s = str(text)
    n = len(s)
    s = s[:limit]
    out = []
    for ch in s:
        o = ord(ch)
        if ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif o < 32 or o == 127:
            out.append(f"\\x{o:02x}")
        elif o == 0xFFFD or (o > 127 and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn")):
            out.append(f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}")
        else:
            out.append(ch)
    s = "".join(out)
    if n > limit:
        s += f"… ({n - limit:,} more characters)"
    return s


def show(value, limit: int = VALUE_LIMIT) -> str:
    """A value from a file, quoted for a message: printable and at most ``limit`` characters."""
    if isinstance(value, (bytes, bytearray)):
        return "b'" + printable(bytes(value[:limit]).decode("ascii", "backslashreplace"), limit) + "'" + (
            f"… ({len(value) - limit:,} more bytes)" if len(value) > limit else "")
    if isinstance(value, str):
        return "'" + printable(value, limit) + "'"
    return printable(repr(value), limit)


class MultipolarError(Exception):
    """Base class: every error multipolar raises on purpose."""


class InputError(MultipolarError):
    """A file or value that does not have the expected form.

    The message names the file, the line or field, what was expected, and what to do.
    """

    def __init__(self, problem: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None, expected: str | None = None, hint: str | None = None):
        problem = printable(problem)
        expected = printable(expected) if expected is not None else None
        hint = printable(hint) if hint is not None else None
        field = printable(field, VALUE_LIMIT) if field is not None else None
        self.problem, self.file, self.line, self.field = problem, file, line, field
        self.expected, self.hint = expected, hint
        where = []
        if file:
            where.append(printable(file))
        if line is not None:
            where.append(f"line {line}")
        if field:
            where.append(f"field '{field}'")
        msg = (": ".join([", ".join(where), problem]) if where else problem)
        if expected:
            msg += f". Expected: {expected}"
        if hint:
            msg += f". What to do: {hint}"
        super().__init__(msg)


class UsageError(InputError):
    """The command or the call is written wrong: an option's value has the wrong form, or options contradict each
    other. The command line exits with status 2 for these (as for its own usage errors) and 1 for errors in the
    input files or the data."""


class UnknownCountryError(MultipolarError, LookupError):
    """A name or code that the actor registry cannot resolve; never guessed."""

    def __init__(self, value, *, suggestions=(), reason: str = "not a known state", context: str = ""):
        self.value, self.suggestions, self.reason = value, list(suggestions), reason
        msg = f"{value!r}: {reason}"
        if context:
            msg += f" ({context})"
        if self.suggestions:
            msg += ". Did you mean: " + ", ".join(self.suggestions) + "?"
        else:
            msg += ". Use a state name, ISO3, COW or GW code; `multipolar actors --list` shows them all."
        super().__init__(msg)


class WarehouseError(MultipolarError):
    """The warehouse cannot be opened or written."""


class MissingDataError(MultipolarError):
    """The data a result needs are absent or too few: not bad input and not a bug.

    The message says what is missing and what to import or run to get it (``hint``). The report
    shows it in the place of the section that needs the data; any other exception stops the report.
    """

    def __init__(self, problem: str, *, hint: str | None = None):
        self.problem, self.hint = problem, hint
        super().__init__(problem + (f". What to do: {hint}" if hint else ""))
