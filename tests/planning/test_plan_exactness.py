"""The staffing flow is exact: its lexicographic objective equals an independent CP-SAT solve."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from siaga.planning.batch import travel_m
from siaga.planning.jurisdiction import covers, unit_areas
from siaga.planning.model import UNMET_LEVELS
from siaga.planning.posts import build_posts
from siaga.planning.staffing import staff
from tests.planning.plan_instances import Spec, make_problem

LEVEL_OF = {cat: i for i, cats in enumerate(UNMET_LEVELS) for cat in cats}


def cpsat_objective(problem, posts, required, force, previous_post):
    """Lexicographic optimum of one force by CP-SAT, solving level by level (independent model)."""
    units = {u.id: u for u in problem.units}
    areas = unit_areas(list(problem.units))
    people = sorted(problem.people, key=lambda p: p.id)
    post_idx = {p.id: j for j, p in enumerate(posts)}
    m = cp_model.CpModel()
    x = {}
    for i, p in enumerate(people):
        if p.force != force or p.status != "available":
            continue
        for j, post in enumerate(posts):
            if required[j][force] == 0:
                continue
            if force == "linmas":
                ok = p.home_village in post.villages
            else:
                ok = covers(areas[p.unit], post.district) and p.home_village not in post.villages
            if ok:
                x[i, j] = m.new_bool_var(f"x{i}_{j}")
    for i in {i for i, _ in x}:
        m.add(sum(v for (a, _), v in x.items() if a == i) <= 1)
    at = {j: [v for (_, b), v in x.items() if b == j] for j in range(len(posts))}
    for j in range(len(posts)):
        m.add(sum(at[j]) <= required[j][force])
    unmet = [0, 0, 0]
    for j, post in enumerate(posts):
        unmet[LEVEL_OF[post.category]] += required[j][force] - sum(at[j])
    no_cmd = 0
    if force == "polri":
        for j in range(len(posts)):
            if required[j]["polri"] > 0:
                lead = m.new_bool_var(f"lead{j}")
                m.add(lead <= sum(v for (i, b), v in x.items() if b == j and people[i].can_lead))
                no_cmd += 1 - lead
    reserve = sum(v for (i, _), v in x.items() if units[people[i].unit].level == "reserve")
    moved = 0
    for i, p in enumerate(people):
        q = post_idx.get(previous_post.get(p.id, ""))
        if p.force == force and q is not None:
            moved += 1 - x[i, q] if (i, q) in x else 1
    travel = sum(int(travel_m(people[i].lat, people[i].lon, posts[j].lat, posts[j].lon,
                              problem.params.road_factor)) * v for (i, j), v in x.items())
    values = []
    for expr in [*unmet, no_cmd, reserve, moved, travel]:
        m.minimize(expr)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.solve(m) == cp_model.OPTIMAL
        best = int(round(solver.objective_value))
        values.append(best)
        m.add(expr == best)
    return tuple(values)


def _run(seed, spec, budget=None, previous_post=None):
    problem = make_problem(seed, spec)
    stations = sorted(problem.stations, key=lambda s: s.id)
    units = sorted(problem.units, key=lambda u: u.id)
    people = sorted(problem.people, key=lambda p: p.id)
    posts = build_posts(stations, problem.pattern, problem.params, {})
    areas = unit_areas(units)
    result = staff(posts, units, people, problem.pattern, problem.params, areas, {}, previous_post or {},
                   seed=0, budget=budget, with_objective=True)
    return problem, posts, result


SMALL = Spec(districts=2, villages=(1, 2), tps=(2, 5), polsek_polri=(1, 5), polres_polri=3,
             koramil_tni=(0, 3), linmas_per_tps=1.6, brimob=3, home_in_area_share=0.6)


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_staffing_matches_cpsat(seed):
    """On random small shortage instances every force's lexicographic objective equals CP-SAT's."""
    problem, posts, result = _run(seed, SMALL)
    for force in ("polri", "tni", "linmas"):
        assert result.objective[force] == cpsat_objective(problem, posts, result.required, force, {})


@pytest.mark.parametrize("seed", [3, 17, 2024])
def test_staged_solve_matches_single_stage(seed):
    """Forcing one objective level per stage (tiny cost budget) gives the same optimum as CP-SAT."""
    problem, posts, result = _run(seed, SMALL, budget=1)
    assert any(len(s) == 1 for s in result.stages["polri"])
    assert len(result.stages["polri"]) >= 3
    for force in ("polri", "tni", "linmas"):
        assert result.objective[force] == cpsat_objective(problem, posts, result.required, force, {})


@pytest.mark.parametrize("seed", [5, 11])
def test_moved_level_matches_cpsat(seed):
    """With previous posts the moved level is optimised exactly too (checked against CP-SAT)."""
    problem, posts, first = _run(seed, SMALL)
    people = sorted(problem.people, key=lambda p: p.id)
    previous_post = {people[i].id: posts[j].id for i, j in first.person_post.items()}
    # shuffle the history a bit: pretend a few people stood at another post of their area before
    names = sorted(previous_post)
    for a, b in zip(names[::3], names[1::3], strict=False):
        previous_post[a], previous_post[b] = previous_post[b], previous_post[a]
    _, _, again = _run(seed, SMALL, previous_post=previous_post)
    for force in ("polri", "tni", "linmas"):
        assert again.objective[force] == cpsat_objective(problem, posts, again.required, force, previous_post)


TWO = Spec(regencies=2, districts=2, villages=(1, 2), tps=(2, 4), polsek_polri=(0, 6), polres_polri=2,
           koramil_tni=(0, 2), linmas_per_tps=1.6, brimob=4, home_in_area_share=0.6)


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_reserve_split_stays_exact(seed):
    """Two regencies (one may be short, one not) sharing a Brimob unit: still equal to CP-SAT."""
    problem, posts, result = _run(seed, TWO)
    for force in ("polri", "tni", "linmas"):
        assert result.objective[force] == cpsat_objective(problem, posts, result.required, force, {})
