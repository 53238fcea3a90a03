"""Reading reference CSV files with errors that name the file, the line and the field.

Importers validate every row first and collect every problem, then write all rows in one transaction or
nothing at all.
"""
import csv
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RowError:
    path: str
    line: int  # 1-based line number in the file, the header being line 1
    field: str
    message: str

    def __str__(self):
        return f"{self.path}, line {self.line}, field '{self.field}': {self.message}"


class CsvValidationError(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, errors):
        self.errors = list(errors)
        lines = "\n".join(f"  {e}" for e in self.errors[:50])
        more = f"\n  ... and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        super().__init__(f"{len(self.errors)} problem(s); nothing was imported:\n{lines}{more}")


_LINES = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")
MAX_FILE_BYTES = 100 * 1024 * 1024  # far above any real import (all ratings since 2020 are under 1 MB)
MAX_FIELD_CHARS = 10_000  # the longest value in the shipped reference data has under 300 characters


def _decode(path, name, max_bytes=MAX_FILE_BYTES):
    """The file's text. UTF-8 (a byte-order mark is allowed and dropped); anything else is refused with the line
    where decoding failed, because guessing an encoding silently corrupts names (Кыргызстан in Windows-1251)."""
    if path.stat().st_size > max_bytes:
        raise CsvValidationError([RowError(name, 0, "-", f"the file is larger than {max_bytes // 2**20} MB")])
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvValidationError([RowError(name, 1, "-", "the file is UTF-16; save it as UTF-8 (CSV UTF-8)")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvValidationError([RowError(
            name, line, "-", f"is not UTF-8 text (byte {exc.start + 1}); save the file as UTF-8 (in Excel: "
                             f"CSV UTF-8), not in a local encoding such as Windows-1251")]) from exc


def read_rows(path, required_columns, *, strip=True, max_bytes=MAX_FILE_BYTES):
    """Yield (line_number, row) for each data row, values stripped of surrounding spaces unless strip is False
    (text to keep exactly as written). Raises CsvValidationError for a missing or unreadable file, a
    file that is not UTF-8 text, missing columns or a malformed line."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise CsvValidationError([RowError(name, 0, "-", "file not found")])
    if not path.is_file():
        raise CsvValidationError([RowError(name, 0, "-", "is not a file")])
    text = _decode(path, name, max_bytes)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CsvValidationError([RowError(name, line, "-", "contains a NUL character: this is not a CSV text file")])
    # The lines as io.StringIO(text, newline="") gives them (ended by \r\n, \r or \n, kept), but as slices of the
    # text: a StringIO holds its own copy of it, four bytes a character. Rows come as lists, made into one dict
    # each (csv.DictReader makes two).
    reader = csv.reader(map(re.Match.group, _LINES.finditer(text)))
    last = 0  # the last line read whole: a malformed line is the next one
    try:
        header = next(reader, [])
        last = reader.line_num
        missing = [column for column in required_columns if column not in header]
        if missing:
            raise CsvValidationError(
                [RowError(name, 1, column, "required column is missing from the header") for column in missing]
            )
        width = len(header)
        for values in reader:
            last = reader.line_num
            if not values:  # a blank line, skipped as csv.DictReader does
                continue
            # reader.line_num counts physical lines, so quoted newlines keep numbers right.
            if len(values) > width:
                raise CsvValidationError([RowError(name, reader.line_num, "-", "more values than columns")])
            if len(values) < width:  # a short line's missing values are empty
                values += [""] * (width - len(values))
            if max(map(len, values), default=0) > MAX_FIELD_CHARS:  # the common case checked at C speed
                for key, value in zip(header, values):
                    if len(value) > MAX_FIELD_CHARS:
                        raise CsvValidationError([RowError(name, reader.line_num, key,
                                                           f"is longer than {MAX_FIELD_CHARS} characters")])
            yield reader.line_num, dict(zip(header, [v.strip() for v in values] if strip else values))
    except csv.Error as exc:
        raise CsvValidationError([RowError(name, last + 1, "-", f"malformed CSV: {exc}")]) from exc
