"""Reading reference CSV files with errors that name the file, the line and the field.

Importers validate every row first and collect every problem, then write all rows in one transaction or
nothing at all.
"""
import csv
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


def read_rows(path, required_columns):
    """Yield (line_number, row) for each data row. Raises CsvValidationError for a missing file or columns."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise CsvValidationError([RowError(name, 0, "-", "file not found")])
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [column for column in required_columns if column not in header]
        if missing:
            raise CsvValidationError(
                [RowError(name, 1, column, "required column is missing from the header") for column in missing]
            )
        for row in reader:
            # reader.line_num counts physical lines, so quoted newlines keep numbers right.
            if None in row:
                raise CsvValidationError([RowError(name, reader.line_num, "-", "more values than columns")])
            yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}
