"""Planning file formats (design.md, "File formats for planning"): read and validate CSV/XLSX files
into the records of siaga.formats.records, and write datasets back out. No Django here.
"""

from siaga.formats.problems import InputError, InputProblem
from siaga.formats.reader import ReadResult, read_dataset, read_table
from siaga.formats.refs import KnownRefs
from siaga.formats.schema import COLUMNS, HEADERS, TABLES
from siaga.formats.writer import iter_rows, write_dataset, write_workbook

__all__ = [
    "COLUMNS",
    "HEADERS",
    "TABLES",
    "InputError",
    "InputProblem",
    "KnownRefs",
    "ReadResult",
    "iter_rows",
    "read_dataset",
    "read_table",
    "write_dataset",
    "write_workbook",
]
