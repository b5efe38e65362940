"""Exact lexicographic min-cost flow on top of OR-Tools' ``SimpleMinCostFlow``.

A network carries one integer cost vector per objective level, most important first. A flow is
optimal when no level can improve without worsening a more important one.

Weights. Levels are merged into one weighted cost where int64 allows it. A weight only has to
beat what the lower levels can change along one simple cycle of the residual graph (every
improvement of a flow is a sum of such cycles), so the builder gives for every level ``delta``,
a bound on that change (e.g. 1 for an unmet-headcount level, because a simple cycle passes the
shortfall source at most once). With w_last = 1 and w_i = 1 + sum_{j>i} w_j * delta_j, a cycle
whose first non-zero level is negative has negative weighted cost, and the weighted optimum is
the lexicographic optimum.

Stages. OR-Tools rejects unit costs above int64_max / (2 (n+1)) (it scales costs by n+1), so
levels are packed greedily into stages whose largest arc cost stays below a quarter of that.
After a stage, dual potentials are computed from the optimal flow (Bellman-Ford on the residual
graph, vectorised); then, by complementary slackness, every arc with positive reduced cost is
closed, every arc with negative reduced cost is fixed at capacity, and only zero-reduced-cost
arcs stay free. The next stage optimises its levels over exactly the set of flows optimal for
the earlier stages. The result is exact for all levels with int64 only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

INT64_MAX = np.iinfo(np.int64).max


@dataclass(slots=True)
class Network:
    """Arcs as arrays; ``levels[i][e]`` is arc e's cost on level i (most important first)."""

    n_nodes: int
    tail: np.ndarray
    head: np.ndarray
    capacity: np.ndarray
    supply: np.ndarray
    levels: list[np.ndarray]
    deltas: list[int]
    names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FlowResult:
    flow: np.ndarray
    stages: list[list[str]]  # level names solved together, in order


def cost_budget(n_nodes: int) -> int:
    """Largest unit cost a stage may use on a network of ``n_nodes`` nodes (a quarter of the OR-Tools limit)."""
    return INT64_MAX // (2 * (n_nodes + 1)) // 4


def _weights(maxima: list[int], deltas: list[int]) -> list[int]:
    """Weights of consecutive levels of one stage (Python ints, exact)."""
    w = [0] * len(maxima)
    acc = 0
    for i in range(len(maxima) - 1, -1, -1):
        w[i] = 1 + acc
        acc += w[i] * deltas[i]
    return w


def _plan_stages(maxima: list[int], deltas: list[int], budget: int) -> list[tuple[int, int]]:
    """Greedy packing of active levels (maxima > 0) into stages [i, j) that fit the budget."""
    active = [i for i, m in enumerate(maxima) if m > 0]
    stages = []
    k = 0
    while k < len(active):
        j = k + 1
        while j < len(active):
            sel = active[k:j + 1]
            w = _weights([maxima[i] for i in sel], [deltas[i] for i in sel])
            if sum(wi * maxima[i] for wi, i in zip(w, sel, strict=True)) > budget:
                break
            j += 1
        stages.append((k, j))
        k = j
    return [(active[a], active[b - 1] + 1) for a, b in stages]


def _solve_once(net: Network, cap: np.ndarray, supply: np.ndarray, cost: np.ndarray) -> np.ndarray | None:
    """One OR-Tools solve; None when the cost range is too large."""
    solver = min_cost_flow.SimpleMinCostFlow()
    if net.tail.size:
        solver.add_arcs_with_capacity_and_unit_cost(net.tail, net.head, cap, cost)
    if net.n_nodes:
        solver.set_nodes_supplies(np.arange(net.n_nodes), supply)
    status = solver.solve()
    if status == solver.BAD_COST_RANGE:
        return None
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    return np.asarray(solver.flows(np.arange(net.tail.size)), dtype=np.int64) if net.tail.size else np.zeros(0, np.int64)


def potentials(n: int, tail, head, cap, cost, flow) -> np.ndarray:
    """Node potentials d with reduced cost c + d[t] - d[h] >= 0 on every residual arc."""
    fwd = flow < cap
    bwd = flow > 0
    rt = np.concatenate([tail[fwd], head[bwd]])
    rh = np.concatenate([head[fwd], tail[bwd]])
    rc = np.concatenate([cost[fwd], -cost[bwd]])
    order = np.argsort(rt, kind="stable")
    rt, rh, rc = rt[order], rh[order], rc[order]
    starts = np.searchsorted(rt, np.arange(n + 1))
    d = np.zeros(n, dtype=np.int64)
    active = np.unique(rt[rc < 0])
    for _ in range(n + 2):
        if active.size == 0:
            return d
        lens = starts[active + 1] - starts[active]
        total = int(lens.sum())
        if total == 0:
            return d
        offs = np.repeat(starts[active] - (np.cumsum(lens) - lens), lens) + np.arange(total)
        cand = d[rt[offs]] + rc[offs]
        heads = rh[offs]
        better = cand < d[heads]
        if not better.any():
            return d
        np.minimum.at(d, heads[better], cand[better])
        active = np.unique(heads[better])
    raise RuntimeError("negative cycle in an optimal residual graph")


def solve_lexicographic(net: Network, budget: int | None = None) -> FlowResult:
    """Exact lexicographic minimum-cost flow of ``net`` (see module docstring)."""
    n = net.n_nodes
    budget = cost_budget(n) if budget is None else budget
    maxima = [int(np.abs(c).max()) if c.size else 0 for c in net.levels]
    names = net.names or [f"level{i}" for i in range(len(net.levels))]
    plan = _plan_stages(maxima, net.deltas, budget)
    cap = net.capacity.astype(np.int64).copy()
    supply = net.supply.astype(np.int64).copy()
    fixed = np.zeros_like(cap)
    done: list[list[str]] = []
    if not plan:
        plan = [(0, 0)]
    queue = list(plan)
    while queue:
        a, b = queue.pop(0)
        sel = [i for i in range(a, b) if maxima[i] > 0]
        w = _weights([maxima[i] for i in sel], [net.deltas[i] for i in sel])
        cost = np.zeros(net.tail.size, dtype=np.int64)
        for wi, i in zip(w, sel, strict=True):
            cost += np.int64(wi) * net.levels[i]
        flow = _solve_once(net, cap, supply, cost)
        if flow is None:
            if len(sel) > 1:  # split the stage and try again
                queue[:0] = [(sel[0], sel[0] + 1), (sel[0] + 1, b)]
                continue
            raise RuntimeError(f"cost range too large for level {names[sel[0]]}")
        done.append([names[i] for i in sel])
        if not queue:
            return FlowResult(fixed + flow, done)
        d = potentials(n, net.tail, net.head, cap, cost, flow)
        reduced = cost + d[net.tail] - d[net.head]
        pos = reduced > 0
        neg = reduced < 0
        cap[pos] = 0
        if neg.any():
            f = cap[neg]
            fixed[neg] += f
            np.subtract.at(supply, net.tail[neg], f)
            np.add.at(supply, net.head[neg], f)
            cap[neg] = 0
    raise AssertionError("unreachable")
