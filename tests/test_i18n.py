"""Every user-facing string marked for translation has its English (siaga/locale/en), and the .mo is current."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "siaga" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file as dicts: msgid, msgstr (list, plural forms included), fuzzy flag."""
    entries, current, key, context = [], None, None, ""
    for line in text.splitlines():
        if line.startswith("msgctxt "):
            context = _unquote(line[8:])
            continue
        if line.startswith("#,") and "fuzzy" in line:
            current = {"msgid": "", "msgstr": [], "fuzzy": True}
            entries.append(current)
        elif line.startswith("msgid "):
            if current is None or current.get("msgid") or current["msgstr"]:
                current = {"msgid": "", "msgstr": [], "fuzzy": False}
                entries.append(current)
            key = "msgid"
            current["msgid"] = _unquote(line[6:])
            current["context"], context = context, ""
        elif line.startswith("msgid_plural "):
            key = "plural"
        elif line.startswith("msgstr"):
            key = "msgstr"
            current["msgstr"].append(_unquote(line.split(" ", 1)[1]))
        elif line.startswith('"') and current is not None:
            if key == "msgid":
                current["msgid"] += _unquote(line)
            elif key == "msgstr":
                current["msgstr"][-1] += _unquote(line)
        elif not line.strip():
            current, key = None, None
    return [e for e in entries if e["msgid"]]


def _unquote(text: str) -> str:
    return re.sub(r'\\(.)', r"\1", text.strip()[1:-1])


def test_every_marked_string_has_english(tmp_path):
    """makemessages over a copy of the package finds no string without an English translation, none fuzzy."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("xgettext (Debian package gettext) is needed to check translations")
        pytest.skip("xgettext not installed (Debian package gettext)")
    copy = tmp_path / "siaga"
    shutil.copytree(ROOT / "siaga", copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "siaga.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete",
                    "--ignore", "migrations/*"], cwd=copy, env=env, check=True, capture_output=True)
    entries = parse_po((copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text())
    missing = [e["msgid"] for e in entries if e["fuzzy"] or not all(e["msgstr"])]
    assert not missing, f"{len(missing)} strings without English in {PO}: {missing[:30]}"


def test_compiled_catalogue_is_current():
    """django.mo is compiled from the committed django.po (run `django-admin compilemessages`)."""
    mo = PO.with_suffix(".mo")
    assert mo.exists() and _mo_matches(PO, mo)


def _mo_matches(po: Path, mo: Path) -> bool:
    import gettext

    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    def translated(e: dict) -> str:
        return catalogue.pgettext(e["context"], e["msgid"]) if e.get("context") else catalogue.gettext(e["msgid"])

    return all(translated(e) == e["msgstr"][0] for e in parse_po(po.read_text())
               if len(e["msgstr"]) == 1 and e["msgstr"][0] and not e["fuzzy"])
