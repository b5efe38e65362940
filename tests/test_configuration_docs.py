"""Every setting declared in siaga.conf is documented, and production has no secret default."""

from __future__ import annotations

from pathlib import Path

import pytest

from siaga import conf

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_every_setting_is_documented():
    """A setting missing from docs/configuration.md fails the suite."""
    text = DOCS.read_text(encoding="utf-8")
    missing = [s.name for s in conf.SETTINGS if f"`{s.name}`" not in text]
    assert not missing, f"undocumented settings: {missing}"


def test_production_requires_secret_key(monkeypatch, tmp_path):
    """In production the secret key must come from the environment."""
    monkeypatch.setenv("SIAGA_ENV", "production")
    monkeypatch.delenv("SIAGA_SECRET_KEY", raising=False)
    monkeypatch.setenv("SIAGA_DATA_DIR", str(tmp_path))
    with pytest.raises(RuntimeError, match="SIAGA_SECRET_KEY"):
        conf.secret_key()


def test_development_key_is_random_and_kept(monkeypatch, tmp_path):
    """In development a random key is made once per data folder and reused."""
    monkeypatch.delenv("SIAGA_ENV", raising=False)
    monkeypatch.delenv("SIAGA_SECRET_KEY", raising=False)
    monkeypatch.setenv("SIAGA_DATA_DIR", str(tmp_path))
    first = conf.secret_key()
    assert len(first) > 40 and conf.secret_key() == first
    monkeypatch.setenv("SIAGA_DATA_DIR", str(tmp_path / "other"))
    assert conf.secret_key() != first
