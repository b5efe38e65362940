"""Problems found in planning input files, and the error that carries all of them.

Validation never stops at the first problem: every problem of every file is collected, then one
``InputError`` is raised so the user can fix the whole file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

_VALUE_SHOWN = 60  # longer values are cut in messages


@dataclass(frozen=True)
class InputProblem:
    """One problem in one input file.

    ``row`` is the row number a spreadsheet shows (header = 1, first data row = 2); ``row`` and
    ``column`` are None for problems of the whole file (a missing file or column).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"baris {self.row}")
        if self.column is not None:
            parts.append(f"kolom '{self.column}'")
        if self.value:
            shown = self.value if len(self.value) <= _VALUE_SHOWN else self.value[: _VALUE_SHOWN - 3] + "..."
            parts.append(f"nilai '{shown}'")
        return f"{', '.join(parts)}: {self.reason}"


class InputError(Exception):
    """Raised when input files have problems; nothing was returned, imported or written."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self, limit: int = 50) -> str:
        """The first ``limit`` problems, one a line, then how many more there are."""
        shown = self.problems[: max(limit, 0)]
        lines = [str(p) for p in shown]
        rest = len(self.problems) - len(shown)
        if rest > 0:
            lines.append(f"... dan {rest} masalah lain (total {len(self.problems)})")
        return "\n".join(lines)


class ProblemLog:
    """Collects problems from several files and hands them out in file then row order."""

    def __init__(self) -> None:
        self._problems: list[InputProblem] = []
        self._file_order: dict[str, int] = {}
        self._column_order: dict[str, dict[str, int]] = {}

    def __len__(self) -> int:
        return len(self._problems)

    def register(self, file: str, columns: tuple[str, ...] = ()) -> None:
        """Fix a file's place in the report, and the order of its columns within a row."""
        self._file_order.setdefault(file, len(self._file_order))
        self._column_order.setdefault(file, {name: i for i, name in enumerate(columns)})

    def add(self, file: str, row: int | None, column: str | None, value: str | None, reason: str) -> None:
        self._file_order.setdefault(file, len(self._file_order))
        self._problems.append(InputProblem(file, row, column, value if value else None, reason))

    def sorted(self) -> list[InputProblem]:
        """Problems by file (in registration order), file-level first, then by row and column."""
        files = self._file_order
        columns = self._column_order

        def key(p: InputProblem) -> tuple[int, int, int]:
            column = -1 if p.column is None else columns.get(p.file, {}).get(p.column, -1)
            return files[p.file], -1 if p.row is None else p.row, column

        return sorted(self._problems, key=key)

    def raise_if_any(self) -> None:
        if self._problems:
            raise InputError(self.sorted())
