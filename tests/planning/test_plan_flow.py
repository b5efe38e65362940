"""The staged lexicographic min-cost flow against an independent LP solve (scipy HiGHS)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import LinearConstraint, milp

from siaga.planning.flow import Network, potentials, solve_lexicographic


def _random_network(seed: int, levels: int = 3) -> Network:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 10))
    sink = n - 1
    m = int(rng.integers(n, 4 * n))
    tail = rng.integers(0, n - 1, m)
    head = rng.integers(0, n, m)
    keep = tail != head
    tail, head = tail[keep], head[keep]
    supply = np.zeros(n, dtype=np.int64)
    supply[: n - 1] = rng.integers(0, 4, n - 1)
    supply[sink] = -supply.sum()
    # every node may also go straight to the sink, so the problem is always feasible
    tail = np.concatenate([tail, np.arange(n - 1)])
    head = np.concatenate([head, np.full(n - 1, sink)])
    cap = np.concatenate([rng.integers(0, 5, len(tail) - (n - 1)), np.full(n - 1, 20)]).astype(np.int64)
    costs = [rng.integers(-4, 6, len(tail)).astype(np.int64) for _ in range(levels)]
    costs[-1] = costs[-1] * 1000  # a "travel-like" last level with a larger range
    deltas = [int(np.abs(c).sum()) for c in costs]  # a simple cycle uses each arc at most once
    return Network(n, tail.astype(np.int32), head.astype(np.int32), cap, supply, costs, deltas)


def _lp_lexicographic(net: Network) -> list[int]:
    """Optimise level by level with HiGHS, fixing each optimum as a constraint (flow LPs are integral)."""
    n, m = net.n_nodes, len(net.tail)
    a = np.zeros((n, m))
    a[net.tail, np.arange(m)] += 1
    a[net.head, np.arange(m)] -= 1
    cons = [LinearConstraint(a, net.supply, net.supply)]
    bounds = (np.zeros(m), net.capacity.astype(float))
    out = []
    for c in net.levels:
        res = milp(c.astype(float), constraints=cons, bounds=bounds, integrality=np.ones(m))
        assert res.success
        best = round(res.fun)
        out.append(best)
        cons.append(LinearConstraint(c.astype(float)[None, :], best, best))
    return out


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.integers(0, 10**6))
def test_lexicographic_flow_equals_level_by_level_lp(seed):
    """One-stage and forced multi-stage solves reach the same lexicographic optimum as HiGHS."""
    net = _random_network(seed)
    want = _lp_lexicographic(net)
    for budget in (None, 1):
        flow = solve_lexicographic(net, budget).flow
        assert (flow >= 0).all() and (flow <= net.capacity).all()
        balance = np.bincount(net.tail, flow, net.n_nodes) - np.bincount(net.head, flow, net.n_nodes)
        assert (balance == net.supply).all()
        assert [int(c @ flow) for c in net.levels] == want


def test_tiny_budget_solves_one_level_per_stage():
    """A budget of 1 forces one stage per active level."""
    net = _random_network(7)
    result = solve_lexicographic(net, budget=1)
    assert all(len(stage) == 1 for stage in result.stages)
    assert len(result.stages) == sum(1 for c in net.levels if np.abs(c).max() > 0)


@pytest.mark.parametrize("seed", range(5))
def test_potentials_certify_optimality(seed):
    """Potentials from an optimal flow give non-negative reduced costs on every residual arc."""
    net = _random_network(seed, levels=1)
    flow = solve_lexicographic(net).flow
    cost = net.levels[0]
    d = potentials(net.n_nodes, net.tail, net.head, net.capacity, cost, flow)
    reduced = cost + d[net.tail] - d[net.head]
    assert (reduced[flow < net.capacity] >= 0).all()
    assert (reduced[flow > 0] <= 0).all()
