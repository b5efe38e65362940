"""Checking one data file for a user before it is imported: the CLI's own validation (``read_table``
against what is stored, then a dry-run ``import_dataset``) plus the user's area (siaga.accounts.scoping).

So a page, the API and ``siaga import`` report the same problems for the same file; the upload adds only
rows outside the user's area and an empty file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import DataError, transaction

from siaga.dataio.access import upload_rows_outside
from siaga.dataio.importer import ImportConflict, ImportReport, import_dataset
from siaga.dataio.selectors import known_refs
from siaga.formats import HEADERS, InputError, InputProblem, iter_rows, read_table
from siaga.formats.records import Dataset

SAMPLE_ROWS = 20  # parsed rows shown in a preview
PROBLEMS_SHOWN = 200  # problems kept in a preview; the total is always given
_REFUSED = "basis data menolak sebuah nilai (mis. angka di luar batas)"


def _value_errors() -> tuple[type[Exception], ...]:
    """Errors of a value the database cannot hold: Django's DataError, psycopg's own (PostgreSQL COPY runs on
    the raw cursor, unwrapped) and OverflowError (SQLite and integers past 64 bits)."""
    try:
        from psycopg import DataError as CopyDataError
    except ImportError:  # SQLite-only installs
        return (DataError, OverflowError)
    return (DataError, CopyDataError, OverflowError)


_VALUE_ERRORS = _value_errors()


@dataclass
class FileCheck:
    """What one file would do: its parsed rows, the change counts of a dry run, or every problem."""

    kind: str
    file: str
    rows: int | None = None  # parsed data rows; None when the file does not parse
    sample: list[list[str]] = field(default_factory=list)
    counts: dict[str, dict[str, int]] | None = None  # table -> created / updated / unchanged (dry run)
    warnings: list[str] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    dataset: Dataset | None = None

    @property
    def clean(self) -> bool:
        return self.dataset is not None and not self.problems

    def as_dict(self) -> dict[str, Any]:
        """The preview: JSON-ready, the first PROBLEMS_SHOWN problems and their total."""
        return {"kind": self.kind, "file": self.file, "clean": self.clean, "rows": self.rows,
                "synthetic": bool(self.dataset and self.dataset.synthetic),
                "columns": list(HEADERS[self.kind]), "sample": self.sample, "counts": self.counts,
                "warnings": self.warnings, "problem_total": len(self.problems),
                "problems": [problem_dict(p) for p in self.problems[:PROBLEMS_SHOWN]]}


def problem_dict(problem: InputProblem) -> dict[str, Any]:
    return {"file": problem.file, "row": problem.row, "column": problem.column, "value": problem.value,
            "reason": problem.reason}


def _whole_file(label: str, reasons: list[str]) -> list[InputProblem]:
    return [InputProblem(label, None, None, None, reason) for reason in reasons]


def _nul_line(path: Path) -> int | None:
    """The line of the first NUL character of a CSV file (PostgreSQL cannot store it), else None."""
    if path.suffix.lower() != ".csv":
        return None  # XLSX cells cannot hold NUL (XML)
    data = path.read_bytes()
    at = data.find(b"\x00")
    return None if at < 0 else data.count(b"\n", 0, at) + 1


def check_file(*, user, kind: str, path: Path) -> FileCheck:
    """Read ``path`` as a ``kind`` table the way ``siaga import`` does, refuse rows outside the user's area,
    and count what a dry-run import would create, change and leave alone. Writes nothing."""
    line = _nul_line(path)
    if line is not None:
        return FileCheck(kind, path.name, problems=[InputProblem(
            path.name, line, None, None, "memuat karakter NUL (0x00); simpan ulang sebagai 'CSV UTF-8'")])
    try:
        result = read_table(kind, path, known=known_refs())
    except InputError as exc:
        return FileCheck(kind, path.name, problems=exc.problems)
    records = getattr(result.dataset, kind)
    label = result.files.get(kind, path.name)
    rows = result.rows.get(kind, [])
    check = FileCheck(kind, label, rows=len(records), warnings=result.warnings, dataset=result.dataset,
                      sample=list(islice(iter_rows(kind, Dataset(**{kind: records[:SAMPLE_ROWS]})), 1, None)))
    try:
        with transaction.atomic():  # a value the database refuses must not break the request's transaction
            check.problems = [InputProblem(label, rows[i], column, value, reason)
                              for i, column, value, reason in upload_rows_outside(user, kind, records)]
            if not records:
                check.problems.append(InputProblem(label, None, None, None, "tidak ada baris data"))
            if not check.problems:
                report = import_dataset(dataset=result.dataset, actor=user.get_username(), source=label, dry_run=True)
                check.counts = _counts(report)
    except ImportConflict as exc:
        check.problems = _whole_file(label, exc.problems)
    except _VALUE_ERRORS as exc:
        check.problems = _whole_file(label, [f"{_REFUSED}: {exc}"])
    return check


def import_checked(*, actor: str, user, kind: str, path: Path, details: dict[str, Any]) -> tuple[FileCheck, dict | None]:
    """Check the file again (the stored data may have changed) and, when clean, import it in one transaction
    exactly as ``siaga import`` does, recording the audit event with the user. Returns (check, counts or None)."""
    check = check_file(user=user, kind=kind, path=path)
    if not check.clean:
        return check, None
    try:
        report = import_dataset(dataset=check.dataset, actor=actor, source=check.file, user=user,
                                details={"kind": kind, "file": check.file, **details})
    except (ImportConflict, *_VALUE_ERRORS) as exc:
        reasons = exc.problems if isinstance(exc, ImportConflict) else [f"{_REFUSED}: {exc}"]
        check.problems = _whole_file(check.file, reasons)
        check.counts = None
        return check, None
    return check, _counts(report)


def _counts(report: ImportReport) -> dict[str, dict[str, int]]:
    return {table: counts.as_dict() for table, counts in report.tables.items()}
