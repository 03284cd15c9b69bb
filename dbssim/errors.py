"""The one error type of bad input: where it is (a field path) and what is wrong.

Every layer raises :class:`InputError` (or a subclass) for input it refuses, so the CLI
and the UI can show ``error.field`` and ``error.message`` without reading them back out
of a sentence. ``str(error)`` is ``"field: message"``, the one-line form the CLI prints.
It derives from :class:`ValueError`, so code that catches ``ValueError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence


class InputError(ValueError):
    """Refused input.

    Parameters
    ----------
    field : str
        Where the problem is: a key, an option (``--amplitude-ma``) or a dotted path
        (``leads.left.tip_mm``).
    message : str
        What is wrong and, where it helps, what is allowed.
    allowed : sequence of str, optional
        The allowed values, when they are a short list.
    """

    def __init__(self, field: str, message: str, allowed: Sequence[str] | None = None):
        super().__init__(field, message)
        self.field = field
        self.message = message
        self.allowed = tuple(allowed) if allowed is not None else None

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

    def within(self, prefix: str) -> InputError:
        """The same problem one level down: ``left`` + ``amplitude_ma`` → ``left.amplitude_ma``."""
        field = f"{prefix}.{self.field}" if prefix else self.field
        return InputError(field, self.message, self.allowed)


def first_line(text: str, limit: int = 300) -> str:
    """The first line of a (library's) message, cut to ``limit`` characters."""
    lines = str(text).strip().splitlines()
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
