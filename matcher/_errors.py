"""The errors the matcher raises."""

from __future__ import annotations

from pathlib import Path


class MatcherError(Exception):
    """Base class of every error the matcher raises on purpose."""


class TaxonomyFormatError(MatcherError, ValueError):
    """A taxonomy, roles or synonyms file that cannot be read as one.

    The message names the file and, where known, the line and column.
    """

    def __init__(self, path: str | Path, message: str, line: int | None = None,
                 column: int | str | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.reason = message
        where = self.path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")
