"""The registry of redaction policies: which fields of each kind of record a partner never sees.

A *kind* is a record as Siaga hands it out (an API item, a row of a page, an entry of a plan document, a board
entry), named like ``"operations.incident"`` or ``"plan.post"``. Each app declares the policies of its kinds once,
next to its models (``siaga/<app>/access.py``), and :func:`siaga.accounts.policy.redact` applies them for the
reading user. The categories of hidden data are those of docs/access.md:

* ``personal``: a person's name, NRP, phone, home village, photo, or a list of people;
* ``actors``: who did something (a username, ``created_by``, ``reported_by``);
* ``free_text``: text typed by users (incident text, notes, reasons), which routinely names people;
* ``withheld``: the whole kind is personal (a person, an assignment of a person): partners get no rows of it.

``nested`` maps a field holding sub-records (a dict or a list of dicts) to their kind, so one call on the outer
record redacts everything inside it. Hidden fields keep their key and get an empty value of the same type
("" for text, [] for lists, {} for dicts, None otherwise), so every answer keeps its schema. Objects (model
instances for templates) are wrapped in a read-only view that answers the same empty values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Policy:
    """What a partner does not see of one kind of record."""

    kind: str
    personal: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    free_text: frozenset[str] = frozenset()
    withheld: bool = False
    nested: Mapping[str, str] = field(default_factory=dict)

    @property
    def hidden(self) -> frozenset[str]:
        return self.personal | self.actors | self.free_text

    def apply(self, record: Any) -> Any:
        """The record without its hidden fields (and its nested records redacted); None for a withheld kind."""
        if self.withheld:
            return None
        if not isinstance(record, Mapping):
            return RedactedObject(self, record)
        out = dict(record)
        for key in self.hidden & out.keys():
            out[key] = blank(out[key])
        for key, kind in self.nested.items():
            if key in out and key not in self.hidden:
                out[key] = redact_value(kind, out[key])
        return out


class RedactedObject:
    """A read-only view of an object (a model instance handed to a template) without the policy's hidden fields.

    Attributes pass through, except hidden ones (an empty value of the same shape) and nested ones (redacted)."""

    __slots__ = ("_policy", "_target")

    def __init__(self, rule: Policy, target: Any) -> None:
        object.__setattr__(self, "_policy", rule)
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if name in self._policy.hidden:
            return blank(value)
        if name in self._policy.nested:
            return redact_value(self._policy.nested[name], value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a redacted record is read-only")

    def __str__(self) -> str:
        return str(self._target)


_POLICIES: dict[str, Policy] = {}


def declare(kind: str, *, personal: Iterable[str] = (), actors: Iterable[str] = (), free_text: Iterable[str] = (),
            withheld: bool = False, nested: Mapping[str, str] | None = None) -> Policy:
    """Declare the policy of a kind of record (once; declaring the same policy again is harmless)."""
    policy = Policy(kind, frozenset(personal), frozenset(actors), frozenset(free_text), withheld, dict(nested or {}))
    known = _POLICIES.get(kind)
    if known is not None and known != policy:
        raise ValueError(f"redaction policy for {kind} declared twice, differently")
    _POLICIES[kind] = policy
    return policy


def policy(kind: str) -> Policy:
    """The declared policy of ``kind``; LookupError when nobody declared it (nothing is handed out undeclared)."""
    try:
        return _POLICIES[kind]
    except KeyError:
        raise LookupError(f"no redaction policy for '{kind}'; declare one in its app's access.py "
                          "(siaga.core.redaction.declare)") from None


def declared() -> dict[str, Policy]:
    """Every declared policy by kind (docs and tests list them)."""
    return dict(_POLICIES)


class RedactedRelation:
    """A related manager (``leg.escorts``) as templates use it: ``.all`` and iteration, over redacted rows."""

    def __init__(self, rows: list) -> None:
        self._rows = rows

    def all(self) -> list:
        return list(self._rows)

    def count(self) -> int:
        return len(self._rows)

    def __iter__(self):
        return iter(self._rows)


def _is_relation(value: Any) -> bool:
    return not isinstance(value, Mapping | list | tuple | str) and callable(getattr(value, "all", None))


def blank(value: Any) -> Any:
    """An empty value of the same shape."""
    if _is_relation(value):
        return RedactedRelation([])
    if isinstance(value, str):
        return ""
    if isinstance(value, list | tuple):
        return []
    if isinstance(value, Mapping):
        return {}
    return None


def redact_value(kind: str, value: Any) -> Any:
    """Redact one record or a list of records (a withheld kind: None, or an empty list)."""
    rule = policy(kind)
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [] if rule.withheld else [rule.apply(item) for item in value]
    if _is_relation(value):
        return RedactedRelation([] if rule.withheld else [rule.apply(item) for item in value.all()])
    return rule.apply(value)
