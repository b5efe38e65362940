"""The redaction registry: one declaration per kind, applied to dicts, lists, nested records and model objects."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from siaga.core.redaction import Policy, RedactedObject, blank, declare, declared, policy, redact_value


def test_hidden_fields_keep_their_key_with_an_empty_value():
    rule = Policy("t.a", personal=frozenset({"name"}), actors=frozenset({"by"}), free_text=frozenset({"note", "ids"}))
    out = rule.apply({"name": "Budi", "by": "u", "note": "x", "ids": ["1"], "count": 3})
    assert out == {"name": "", "by": "", "note": "", "ids": [], "count": 3}


def test_nested_records_and_withheld_kinds():
    declare("t.child", free_text=("note",))
    declare("t.person", withheld=True)
    declare("t.parent", nested={"children": "t.child", "people": "t.person", "one": "t.child"})
    out = redact_value("t.parent", {"children": [{"note": "x", "k": 1}], "people": [{"name": "B"}], "one": {"note": "y"}})
    assert out == {"children": [{"note": "", "k": 1}], "people": [], "one": {"note": ""}}
    assert redact_value("t.person", {"name": "B"}) is None


def test_objects_are_wrapped_read_only():
    declare("t.obj", free_text=("reason",))
    row = SimpleNamespace(reason="typed", code="T1")
    view = redact_value("t.obj", row)
    assert isinstance(view, RedactedObject) and view.reason == "" and view.code == "T1"
    with pytest.raises(AttributeError):
        view.code = "x"


def test_relations_become_redacted_lists():
    declare("t.rel", personal=("name",))
    manager = SimpleNamespace(all=lambda: [{"name": "B", "rank": "AKP"}])
    assert redact_value("t.rel", manager).all() == [{"name": "", "rank": "AKP"}]
    assert list(blank(manager)) == []


def test_undeclared_kinds_are_refused_and_declarations_do_not_change():
    with pytest.raises(LookupError):
        policy("t.never-declared")
    declare("t.same", free_text=("a",))
    declare("t.same", free_text=("a",))  # the same again: harmless
    with pytest.raises(ValueError):
        declare("t.same", free_text=("b",))
    assert "t.same" in declared()
