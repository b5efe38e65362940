"""Compare two plan.json documents (schema siaga.plan/1): who moved, which TPS changed post, what the totals did.

A document without people (as a partner reads it: no names, no NRPs) compares its totals and TPS only.

Pure: dicts in, a dict out, no Django. Figures are counted from the documents' lists (posts, assignments, unmet,
reserves), not read from ``summary``, so two documents cut to one user's area compare that area only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from siaga.domain.vocab import FORCES

#: Forces whose requirement, assignment and shortfall are compared; "commander" = posts without a Polri able to lead.
SHORT_KEYS: tuple[str, ...] = (*FORCES, "commander")


def _person_posts(doc: Mapping[str, Any]) -> dict[str, str]:
    return {a["personnel"]: a["post"] for a in doc.get("assignments", []) if a.get("personnel")}


def _tps_posts(doc: Mapping[str, Any]) -> dict[str, str | None]:
    return {t["id"]: t.get("post") for t in doc.get("tps", [])}


def _people(*docs: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Roster entries by id; the newer document wins."""
    out: dict[str, Mapping[str, Any]] = {}
    for doc in docs:
        out.update({p["id"]: p for p in doc.get("personnel", []) if p.get("id") is not None})
    return out


def _person_row(pid: str, people: Mapping[str, Mapping[str, Any]], **posts: str | None) -> dict[str, Any]:
    p = people.get(pid, {})
    return {"personnel": pid, "name": p.get("name", ""), "rank": p.get("rank", ""), "force": p.get("force", ""),
            **posts}


def totals(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Counts of one document: posts, TPS, required / assigned / short per force, unmet posts, reserves."""
    required: Counter[str] = Counter()
    for post in doc.get("posts", []):
        for force, n in (post.get("required") or {}).items():
            required[force] += int(n)
    required["commander"] = len(doc.get("posts", []))
    assigned = Counter(a.get("force", "") for a in doc.get("assignments", []))
    # by the assignments' role, so a document without names (a partner's) counts the same
    assigned["commander"] = sum(1 for a in doc.get("assignments", []) if a.get("role") == "commander")
    short: Counter[str] = Counter()
    for u in doc.get("unmet", []):
        short[u.get("force", "")] += int(u.get("count", 0))
    reserves = doc.get("reserves", [])
    return {
        "posts": len(doc.get("posts", [])),
        "tps": len(doc.get("tps", [])),
        "required": {k: required[k] for k in SHORT_KEYS},
        "assigned": {k: assigned[k] for k in SHORT_KEYS},
        "short": {k: short[k] for k in SHORT_KEYS},
        "unmet_posts": len({u.get("post") for u in doc.get("unmet", []) if int(u.get("count", 0)) > 0}),
        "unmet_total": sum(short.values()),
        "reserve_squads": len(reserves),
        "reserve_strength": sum(int(r["strength"]) if "strength" in r else len(r.get("personnel", []))
                                for r in reserves),
    }


def _delta(old: Any, new: Any) -> Any:
    if isinstance(old, Mapping):
        return {k: _delta(old.get(k, 0), new.get(k, 0)) for k in dict.fromkeys([*old, *new])}
    return {"old": old, "new": new, "delta": new - old}


def _sorted(rows: Iterable[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: tuple(str(r.get(k) or "") for k in keys))


def compare_plans(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """What changed from ``old`` to ``new``.

    - ``people_moved``: at a post in both, at another post now (``from``, ``to``);
    - ``people_added`` / ``people_removed``: at a post only in the new / only in the old document;
    - ``tps_moved``: TPS in both whose post id changed (``from``, ``to``);
    - ``posts_added`` / ``posts_removed``: post ids only in one document;
    - ``totals``: every figure of :func:`totals` as ``{"old", "new", "delta"}``;
    - ``counts``: the length of each list above.
    """
    before, after = _person_posts(old), _person_posts(new)
    people = _people(old, new)
    moved = [_person_row(pid, people, **{"from": before[pid], "to": after[pid]})
             for pid in before.keys() & after.keys() if before[pid] != after[pid]]
    added = [_person_row(pid, people, post=after[pid]) for pid in after.keys() - before.keys()]
    removed = [_person_row(pid, people, post=before[pid]) for pid in before.keys() - after.keys()]
    tps_before, tps_after = _tps_posts(old), _tps_posts(new)
    tps_moved = [{"tps": tid, "from": tps_before[tid], "to": tps_after[tid]}
                 for tid in tps_before.keys() & tps_after.keys() if tps_before[tid] != tps_after[tid]]
    posts_before = {p["id"] for p in old.get("posts", [])}
    posts_after = {p["id"] for p in new.get("posts", [])}
    result: dict[str, Any] = {
        "people_moved": _sorted(moved, "from", "name", "personnel"),
        "people_added": _sorted(added, "post", "name", "personnel"),
        "people_removed": _sorted(removed, "post", "name", "personnel"),
        "tps_moved": _sorted(tps_moved, "tps"),
        "posts_added": sorted(posts_after - posts_before),
        "posts_removed": sorted(posts_before - posts_after),
        "totals": _delta(totals(old), totals(new)),
    }
    result["counts"] = {k: len(v) for k, v in result.items() if isinstance(v, list)}
    return result
