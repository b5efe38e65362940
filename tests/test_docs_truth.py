"""The docs name only commands and routes that exist (issue 11: docs named a `siaga data` command that did not
exist and listed the board as 'not yet').

Extraction rules, kept simple: in README.md and docs/*.md,
- a CLI command is `siaga` followed by words in backticks or in a code block line starting with `siaga`
  (or `.venv/bin/siaga`); the first one or two words must be a command or a group and its command of the real
  Typer app (``siaga.cli.main:app``);
- a route is a backticked path starting with `/` that looks like a Siaga page or API path (`/api/v1/...`, or
  one of the page prefixes below), optionally after an HTTP method; placeholders (`{id}`, `ID`, `OP`, `<x>`)
  get a sample value and the path must resolve with Django's URL resolver.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PAGE_PREFIXES = ("/peta/", "/rencana/", "/posko/", "/lapangan/", "/personel/", "/satuan/", "/pengawalan/", "/data/",
                 "/api/v1/", "/login/", "/admin/")
COMMAND = re.compile(r"(?:^|`|\$ |\.venv/bin/)siaga((?: [a-z][a-z-]*){1,2})")
ROUTE = re.compile(r"`(?:(?:GET|POST|PATCH|PUT|DELETE) )?(/[^`\s]*)`")


def _commands():
    from siaga.cli.main import app

    return typer.main.get_command(app)


def _lines():
    for path in DOCS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            yield path.relative_to(ROOT), number, line


def test_every_named_command_exists():
    root = _commands()
    missing = []
    for path, number, line in _lines():
        for match in COMMAND.finditer(line):
            words = match.group(1).split()
            command = root.commands.get(words[0])
            if command is None:
                missing.append(f"{path}:{number}: siaga {words[0]}")
            elif hasattr(command, "commands") and len(words) > 1 and words[1] not in command.commands:
                missing.append(f"{path}:{number}: siaga {words[0]} {words[1]}")
    assert not missing, "docs name commands that do not exist:\n" + "\n".join(missing)


def _sample(route: str) -> str:
    route = route.split("?")[0].split("#")[0]
    route = re.sub(r"\{[^}]*\}|<[^>]*>", "1", route)
    route = re.sub(r"/(ID|OP|V|JOB|VERSION|POST|TPS|KIND|TOKEN|NRP|CODE|N)(?=/|$|\.)", "/1", route)
    return route


@pytest.mark.django_db
def test_every_named_route_resolves():
    missing = []
    for path, number, line in _lines():
        for match in ROUTE.finditer(line):
            route = match.group(1)
            if not route.startswith(PAGE_PREFIXES) or "..." in route or "…" in route:
                continue
            try:
                resolve(_sample(route))
            except Resolver404:
                missing.append(f"{path}:{number}: {route}")
    assert not missing, "docs name routes that do not exist:\n" + "\n".join(missing)


def test_the_check_catches_a_wrong_command_and_route():
    """The rules above find what they are meant to find."""
    assert COMMAND.search("run `siaga data import x`").group(1).split()[0] == "data"
    assert "data" not in _commands().commands
    with pytest.raises(Resolver404):
        resolve(_sample("/rencana/tugas/ID/"))
