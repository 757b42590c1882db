"""Errors that tell the user what was wrong, where, and what to do next."""
from __future__ import annotations


class MultipolarError(Exception):
    """Base class: every error multipolar raises on purpose."""


class InputError(MultipolarError):
    """A file or value that does not have the expected form.

    The message names the file, the line or field, what was expected, and what to do.
    """

    def __init__(self, problem: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None, expected: str | None = None, hint: str | None = None):
        self.problem, self.file, self.line, self.field = problem, file, line, field
        self.expected, self.hint = expected, hint
        where = []
        if file:
            where.append(str(file))
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
