"""Reading tabular files with pandas, turning every failure into a `TaxonomyFormatError`."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ._errors import TaxonomyFormatError

_PANDAS_LINE = re.compile(r"line (\d+)")


def read_table(path: Path, required: Sequence[str], sep: str = ",") -> pd.DataFrame:
    """A CSV, tab-separated or Excel file as a frame of strings, with `required` columns."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
        else:
            frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False,
                                encoding="utf-8-sig", quoting=_quoting(sep))
    except FileNotFoundError:
        raise TaxonomyFormatError(path, "file not found") from None
    except UnicodeDecodeError as error:
        line, column = _position_of_byte(path, error.start)
        raise TaxonomyFormatError(path, "not UTF-8 text", line, column) from None
    except pd.errors.ParserError as error:
        found = _PANDAS_LINE.search(str(error))
        raise TaxonomyFormatError(path, f"malformed table ({error})",
                                  int(found.group(1)) if found else None) from None
    except pd.errors.EmptyDataError:
        raise TaxonomyFormatError(path, "empty file", 1) from None
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise TaxonomyFormatError(path, f"cannot read the table ({error})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    check_columns(path, frame, required)
    return frame


def column(frame: pd.DataFrame, name: str) -> list[str]:
    """The column `name` of `frame`, or blanks if the table has no such column."""
    return frame[name].tolist() if name in frame.columns else [""] * len(frame)


def check_columns(path: Path, frame: pd.DataFrame, required: Sequence[str]) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise TaxonomyFormatError(
            path, f"missing column(s) {', '.join(map(repr, missing))}; "
                  f"found {', '.join(map(repr, frame.columns))}", line=1)


def cell_error(path: Path, frame: pd.DataFrame, row: int, column: str,
               message: str) -> TaxonomyFormatError:
    """An error pointing at one cell; the header is line 1, so row 0 is line 2."""
    column_number = list(frame.columns).index(column) + 1
    return TaxonomyFormatError(path, f"{column}: {message}", line=row + 2,
                               column=column_number)


def _quoting(sep: str) -> int:
    # The O*NET text edition is tab-separated and never quotes; quotes inside titles are data.
    return csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL


def _position_of_byte(path: Path, offset: int) -> tuple[int, int]:
    head = path.read_bytes()[:offset]
    line = head.count(b"\n") + 1
    column = offset - (head.rfind(b"\n") + 1) + 1
    return line, column
