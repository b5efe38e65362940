"""Small valid planning files for the format tests (synthetic: province 99, invented people)."""

from __future__ import annotations

from pathlib import Path

import pytest

from siaga.formats import InputError, InputProblem

HEADERS = {
    "tps": "tps_id,village_code,village_name,district_name,regency_name,number,voters,lat,lon,kind,category",
    "units": "unit_id,name,force,level,parent_id,lat,lon,districts",
    "personnel": "personnel_id,name,force,rank,unit_id,home_village_code,lat,lon,status,can_lead",
    "indicators": "tps_id,indicator,value,note",
}

ROWS = {
    "tps": [
        "T1,99.01.01.2001,Desa Satu,Kecamatan Utara,Kabupaten Sintetis,1,250,-7.81,112.01,regular,",
        "T2,99.01.01.2001,Desa Satu,Kecamatan Utara,Kabupaten Sintetis,2,240,-7.82,112.02,,rawan",
        "T3,99.01.02.2001,Desa Dua,Kecamatan Selatan,Kabupaten Sintetis,1,300,-7.85,112.05,khusus,",
    ],
    "units": [
        "RES,Polres Sintetis,polri,polres,,-7.80,112.00,",
        "PS1,Polsek Utara,polri,polsek,RES,-7.81,112.01,Kecamatan Utara",
        "LM1,Linmas Desa Satu,linmas,village,PS1,-7.81,112.01,",
    ],
    "personnel": [
        "P1,Budi Sintetis,polri,Bripka,PS1,,,,,",
        "P2,Ani Sintetis,linmas,,LM1,99.01.01.2001,,,,",
        "P3,Tono Sintetis,polri,Bripda,PS1,99.01.02.2001,-7.8,112.0,leave,true",
    ],
    "indicators": [
        "T1,konflik,1,",
        "T2,konflik,0,catatan",
    ],
}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def table_text(kind: str, rows: list[str] | None = None, header: str | None = None) -> str:
    """A CSV text: the given header (default: the full header) and rows (default: the valid rows)."""
    lines = [HEADERS[kind] if header is None else header, *(ROWS[kind] if rows is None else rows)]
    return "\n".join(lines) + "\n"


def write_set(directory: Path, **tables: list[str] | str | None) -> Path:
    """Write the four valid CSVs into ``directory``; a keyword replaces one table's rows (a list) or
    its whole text (a str); None leaves the file out."""
    directory.mkdir(parents=True, exist_ok=True)
    for kind in HEADERS:
        value = tables.get(kind, ROWS[kind])
        if value is None:
            continue
        text = value if isinstance(value, str) else table_text(kind, value)
        write(directory / f"{kind}.csv", text)
    return directory


def replace_row(kind: str, index: int, row: str) -> list[str]:
    """The valid rows of ``kind`` with row ``index`` (0 = first data row, spreadsheet row 2) replaced."""
    rows = list(ROWS[kind])
    rows[index] = row
    return rows


def problems(call, *args, **kwargs) -> list[InputProblem]:
    """The problems of the InputError that ``call`` must raise."""
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    return info.value.problems


def only(found: list[InputProblem]) -> InputProblem:
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]
