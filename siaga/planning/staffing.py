"""Staffing: with posts fixed, who stands where, solved exactly per force by min-cost flow.

Objective, lexicographic (most important first): unmet headcount of sangat rawan and khusus posts,
of rawan posts, of kurang rawan posts; posts without a Polri able to lead; people called from
reserve-level units (Brimob, BKO); on a re-plan, people moved from their previous post; total
travel in metres (great-circle x road_factor). See :mod:`siaga.planning.network` for the graph
and :mod:`siaga.planning.flow` for the exact staged solve.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from siaga.domain.ranks import find_rank
from siaga.planning.batch import solve_batch, travel_m
from siaga.planning.jurisdiction import Area, covers, district_components
from siaga.planning.model import FORCE_NAMES, UNMET_LEVELS, Person, PlanInputError, Unit
from siaga.planning.params import PlanParams
from siaga.planning.patterns import Pattern
from siaga.planning.posts import Post
from siaga.planning.reasons import unmet_entries

FORCES = ("polri", "tni", "linmas")
BATCH_POSTS = 300  # small components are solved together until a batch holds this many posts
_LEVEL_OF = {cat: i for i, cats in enumerate(UNMET_LEVELS) for cat in cats}


@dataclass(slots=True)
class StaffingResult:
    person_post: dict[int, int]  # person index -> post index
    pinned: set[int]  # person indices placed by a pin
    commander: list[int | None]  # per post
    required: list[dict[str, int]]  # per post: polri, tni, linmas
    needs_commander: list[bool]
    unmet: list[dict]
    objective: dict[str, tuple[int, ...]]  # per force, the levels of network.LEVEL_NAMES
    stages: dict[str, list[list[str]]] = field(default_factory=dict)


def requirements(posts: Sequence[Post], pattern: Pattern) -> list[dict[str, int]]:
    """Headcount per post and force from the pattern (Linmas rounded up per post)."""
    out = []
    for p in posts:
        rule = pattern.rules[p.category]
        linmas = math.ceil(round(rule.linmas_per_tps * len(p.tps), 9))
        out.append({"polri": rule.polri_per_post, "tni": rule.tni_per_post, "linmas": linmas})
    return out


def eligible(person: Person, post: Post, area: Area) -> str | None:
    """Why ``person`` may not stand at ``post`` (jurisdiction, neutrality), or None."""
    if person.force == "linmas":
        if person.home_village not in post.villages:
            return f"Linmas hanya bertugas di desa/kelurahannya ({person.home_village or '-'})"
        return None
    if not covers(area, post.district):
        return f"pos di luar wilayah satuan {person.unit}"
    if person.home_village is not None and person.home_village in post.villages:
        return f"melanggar netralitas: desa/kelurahan asal {person.home_village} ada di pos ini"
    return None


def check_pins(people: Sequence[Person], posts: Sequence[Post], required: list[dict[str, int]],
               areas: Mapping[str, Area], pins: Mapping[str, str]) -> dict[int, int]:
    """Validate person pins; returns person index -> post index."""
    pidx = {p.id: i for i, p in enumerate(people)}
    post_idx = {p.id: j for j, p in enumerate(posts)}
    used: dict[tuple[int, str], int] = defaultdict(int)
    out = {}
    for person_id, post_id in sorted(pins.items()):
        head = f"Pin personel {person_id} -> {post_id}"
        if person_id not in pidx:
            raise PlanInputError(f"{head}: personel tidak ada dalam data")
        if post_id not in post_idx:
            raise PlanInputError(f"{head}: pos tidak ada dalam rencana")
        person, j = people[pidx[person_id]], post_idx[post_id]
        if person.status != "available":
            raise PlanInputError(f"{head}: status personel {person.status}, bukan available")
        if required[j][person.force] == 0:
            raise PlanInputError(f"{head}: pos ini tidak memerlukan personel {FORCE_NAMES[person.force]}")
        why = eligible(person, posts[j], areas.get(person.unit))
        if why:
            raise PlanInputError(f"{head}: {why}")
        used[(j, person.force)] += 1
        if used[(j, person.force)] > required[j][person.force]:
            raise PlanInputError(f"{head}: melebihi kebutuhan {FORCE_NAMES[person.force]} di pos ini "
                                 f"({required[j][person.force]})")
        out[pidx[person_id]] = j
    return out


def staff(posts: Sequence[Post], units: Sequence[Unit], people: Sequence[Person], pattern: Pattern,
          params: PlanParams, areas: Mapping[str, Area], person_pins: Mapping[str, str],
          previous_post: Mapping[str, str], seed: int, budget: int | None = None,
          progress: Callable[[float], None] | None = None,
          district_names: Mapping[str, str] | None = None, with_objective: bool = False) -> StaffingResult:
    """Assign people to posts for every force; exact for the lexicographic objective.

    ``with_objective`` also recomputes every force's objective levels from the result (for tests).
    """
    unit_by_id = {u.id: u for u in units}
    for person in people:
        if person.unit not in unit_by_id:
            raise PlanInputError(f"Personel {person.id}: satuan {person.unit} tidak ada dalam data satuan")
    required = requirements(posts, pattern)
    pinned = check_pins(people, posts, required, areas, person_pins)
    post_idx = {p.id: j for j, p in enumerate(posts)}
    person_post = dict(pinned)
    objective: dict[str, tuple[int, ...]] = {}
    stages: dict[str, list[list[str]]] = {}
    for fi, force in enumerate(FORCES):
        ctx = _ForceContext(force, posts, required, people, unit_by_id, areas, pinned, params, seed)
        prev = {}
        for i, person in enumerate(people if previous_post else ()):
            q = post_idx.get(previous_post.get(person.id, ""))
            if (q is not None and person.force == force and i not in pinned and person.status == "available"
                    and ctx.remaining[q] > 0 and eligible(person, posts[q], areas.get(person.unit)) is None):
                prev[i] = q
        ctx.prev = prev
        assigned, force_stages = ctx.solve(budget)
        person_post.update(assigned)
        stages[force] = force_stages
        if progress is not None:
            progress((fi + 1) / len(FORCES))
    at_post: dict[int, list[int]] = defaultdict(list)
    for i, j in person_post.items():
        at_post[j].append(i)
    commander: list[int | None] = []
    needs_commander = []
    for j in range(len(posts)):
        needs_commander.append(required[j]["polri"] > 0)
        leaders = [i for i in at_post.get(j, []) if people[i].force == "polri" and people[i].can_lead]
        commander.append(min(leaders, key=lambda i: (-_rank_order(people[i]), people[i].id)) if leaders else None)
    for force in FORCES if with_objective else ():
        objective[force] = _objective(force, posts, required, people, unit_by_id, person_post, pinned,
                                      commander, previous_post, post_idx, params)
    unmet = unmet_entries(posts, required, people, unit_by_id, areas, at_post, commander, district_names)
    return StaffingResult(person_post, set(pinned), commander, required, needs_commander, unmet, objective, stages)


@functools.lru_cache(maxsize=4096)
def _rank_order_of(force: str, rank_text: str) -> int:
    rank = find_rank(force, rank_text)
    return rank.order if rank else 0


def _rank_order(person: Person) -> int:
    return _rank_order_of(person.force, person.rank)


def _objective(force, posts, required, people, unit_by_id, person_post, pinned, commander,
               previous_post, post_idx, params) -> tuple[int, ...]:
    """The objective levels of one force, recomputed from the assignment (for checks and tests)."""
    count: dict[int, int] = defaultdict(int)
    for i, j in person_post.items():
        if people[i].force == force:
            count[j] += 1
    unmet = [0, 0, 0]
    for j, post in enumerate(posts):
        unmet[_LEVEL_OF[post.category]] += required[j][force] - count[j]
    no_cmd = sum(1 for j in range(len(posts)) if force == "polri" and required[j]["polri"] > 0
                 and commander[j] is None)
    res = moved = 0
    mine = [(i, j) for i, j in person_post.items() if people[i].force == force and i not in pinned]
    for i, _ in mine:
        res += unit_by_id[people[i].unit].level == "reserve"
    travel = 0
    if mine:
        ii = [i for i, _ in mine]
        jj = [j for _, j in mine]
        travel = int(travel_m(np.array([people[i].lat for i in ii]), np.array([people[i].lon for i in ii]),
                              np.array([posts[j].lat for j in jj]), np.array([posts[j].lon for j in jj]),
                              params.road_factor).sum())
    if previous_post:
        for i, person in enumerate(people):
            q = post_idx.get(previous_post.get(person.id, ""))
            if person.force == force and q is not None and person_post.get(i) != q:
                moved += 1
    return (*unmet, no_cmd, res, moved, travel)


class _ForceContext:
    """Builds and solves the networks of one force, batch by batch."""

    def __init__(self, force, posts, required, people, unit_by_id, areas, pinned, params, seed):
        self.force = force
        self.posts = posts
        self.people = people
        self.unit_by_id = unit_by_id
        self.areas = areas
        self.params = params
        self.seed = seed
        self.prev: dict[int, int] = {}
        full = np.array([r[force] for r in required], dtype=np.int64)
        pinned_count = np.zeros(len(posts), dtype=np.int64)
        pinned_leader = np.zeros(len(posts), dtype=bool)
        for i, j in pinned.items():
            if people[i].force == force:
                pinned_count[j] += 1
                pinned_leader[j] |= people[i].can_lead
        self.remaining = full - pinned_count
        self.need_leader = (force == "polri") & (full > 0) & ~pinned_leader & (self.remaining > 0)
        self.candidates = [i for i, p in enumerate(people)
                           if p.force == force and p.status == "available" and i not in pinned]
        self.plat = np.array([p.lat for p in posts], dtype=float)
        self.plon = np.array([p.lon for p in posts], dtype=float)

    def _components(self, candidates: list[int], open_posts: list[int]) -> tuple[dict[int, str], dict[int, str]]:
        """Post index -> component label and person index -> component label."""
        person_comp: dict[int, str] = {}
        if self.force == "linmas":
            post_comp = {j: self.posts[j].district for j in open_posts}
            village_district = {v: self.posts[j].district for j in open_posts for v in self.posts[j].villages}
            for i in candidates:
                d = village_district.get(self.people[i].home_village)
                if d is not None:
                    person_comp[i] = d
            return post_comp, person_comp
        districts = sorted({self.posts[j].district for j in open_posts})
        unit_ids = sorted({self.people[i].unit for i in candidates})
        comp = district_components(districts, [self.areas[u] for u in unit_ids])
        post_comp = {j: comp[self.posts[j].district] for j in open_posts}
        unit_comp = {}
        for u in unit_ids:
            a = self.areas[u]
            inside = (districts[0] if districts else None) if a is None else \
                min((d for d in a if d in comp), default=None)
            if inside is not None:
                unit_comp[u] = comp[inside]
        for i in candidates:
            c = unit_comp.get(self.people[i].unit)
            if c is not None:
                person_comp[i] = c
        return post_comp, person_comp

    def _run(self, candidates: list[int], open_posts: list[int], budget):
        """Solve components (batched); returns assignment, component of each post, stages."""
        post_comp, person_comp = self._components(candidates, open_posts)
        comp_posts: dict[str, list[int]] = defaultdict(list)
        for j, c in post_comp.items():
            comp_posts[c].append(j)
        comp_people: dict[str, list[int]] = defaultdict(list)
        for i, c in person_comp.items():
            comp_people[c].append(i)
        batches: list[tuple[list[int], list[int]]] = []
        cur_posts: list[int] = []
        cur_people: list[int] = []
        for c in sorted(comp_posts):
            cur_posts += comp_posts[c]
            cur_people += comp_people.get(c, [])
            if len(cur_posts) >= BATCH_POSTS:
                batches.append((cur_posts, cur_people))
                cur_posts, cur_people = [], []
        if cur_posts:
            batches.append((cur_posts, cur_people))
        assigned: dict[int, int] = {}
        stage_log: list[list[str]] = []
        for batch_posts, batch_people in batches:
            got, log = solve_batch(self, sorted(batch_posts), sorted(batch_people), budget)
            assigned.update(got)
            if len(log) > len(stage_log):
                stage_log = log
        return assigned, post_comp, stage_log

    def solve(self, budget: int | None) -> tuple[dict[int, int], list[list[str]]]:
        """Own units first; reserve units only join the components that are still short.

        Exact: a component with no unmet headcount and no post without commander cannot gain
        from reserve-level people (they only add to the reserve level), so its own-only optimum is
        its optimum; the short components are re-solved together with the reserve units.
        """
        open_posts = [j for j in range(len(self.posts)) if self.remaining[j] > 0]
        reserve = [i for i in self.candidates if self.unit_by_id[self.people[i].unit].level == "reserve"]
        own = [i for i in self.candidates if self.unit_by_id[self.people[i].unit].level != "reserve"]
        if not reserve:
            assigned, _, log = self._run(self.candidates, open_posts, budget)
            return assigned, log
        assigned, post_comp, log = self._run(own, open_posts, budget)
        filled: dict[int, int] = defaultdict(int)
        led = set()
        for i, j in assigned.items():
            filled[j] += 1
            if self.force == "polri" and self.people[i].can_lead:
                led.add(j)
        short = {post_comp[j] for j in open_posts
                 if filled[j] < self.remaining[j] or (self.need_leader[j] and j not in led)}
        if not short:
            return assigned, log
        short_posts = [j for j in open_posts if post_comp[j] in short]
        keep = {i: j for i, j in assigned.items() if post_comp[j] not in short}
        again, _, log2 = self._run(own + reserve, short_posts, budget)
        keep.update(again)
        return keep, log2 if len(log2) > len(log) else log

