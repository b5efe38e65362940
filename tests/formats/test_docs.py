"""docs/data-formats.md documents every column and allowed value, and its examples are valid files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from siaga.formats import COLUMNS, KnownRefs, read_table
from siaga.planning.catalogue import file_codes

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-formats.md"


def _section(kind: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## {kind}\.csv.*?(?=^## )", text, re.M | re.S)
    assert match, f"no section for {kind}.csv"
    return match.group(0)


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_every_column_documented(kind: str):
    """Each column has a row in its file's table, with each allowed value mentioned."""
    section = _section(kind)
    for column in COLUMNS[kind]:
        assert f"| `{column.name}` |" in section, column.name
        for value in column.allowed:
            assert f"`{value}`" in section, (column.name, value)


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_examples_are_valid(kind: str, tmp_path: Path):
    """The example rows of each section read without problems (given the references they name)."""
    example = re.search(r"```csv\n(.*?)```", _section(kind), re.S).group(1)
    path = tmp_path / f"{kind}.csv"
    path.write_text(example, encoding="utf-8")
    known = KnownRefs(village_codes=frozenset({"99.01.01.2001", "99.01.02.2001"}),
                      village_district_names=frozenset({"Kecamatan Utara"}),
                      unit_ids=frozenset({"POLRES", "PS-UTARA", "LM-SUKAMAJU"}), tps_ids=frozenset({"T-001"}),
                      indicator_codes=frozenset(file_codes()))
    result = read_table(kind, path, known=known)
    assert result.warnings == []
    assert len(getattr(result.dataset, kind)) == example.count("\n") - 1
