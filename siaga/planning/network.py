"""The staffing flow network of one force over one batch of independent components.

Nodes and arcs (everything integral; one unit of flow is one person):

- a *class* node per group of interchangeable people (same unit, base, can_lead, home village
  when it matters for neutrality, and previous post on a re-plan), with supply = its size;
- a sink ``T`` that takes everybody: ``class -> T`` is "not used" (free, or a move on a re-plan);
- per post an entry node ``B``; ``B -> T`` has capacity = the headcount still needed and a
  *reward* (negative cost) on the unmet level of the post's category, so every unit of unmet
  headcount costs exactly one reward not collected;
- for Polri posts that still need a leader, an extra entry ``A`` that only can-lead classes
  reach: ``A -> T`` (capacity 1) carries the slot reward plus the commander reward, ``A -> B``
  (free) passes further leaders on, and ``B -> A`` (commander level, +1) lets a non-leader take
  that slot, paying the commander reward back: the post then counts as without commander.

A reward formulation (instead of a shortfall source feeding every post) keeps the only
supplies at the people, which the cost-scaling solver handles several times faster.

Sparsity. People of one area and base share one *segment tree* over the posts of that area
(ordered so each village's posts are contiguous); tree arcs carry the travel from that base.
A class enters the tree at the O(log P) nodes covering the posts it may serve, i.e. all posts
of its area except those holding its home village (neutrality). Arc count is
O(sum of tree sizes + classes x log P) instead of classes x posts, and the model stays exact:
a class reaches exactly its allowed posts, at exactly its travel cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from siaga.planning.flow import Network

L_UNMET = (0, 1, 2)  # sangat rawan + khusus, rawan, kurang rawan
L_CMD, L_RES, L_MOVED, L_TRAVEL = 3, 4, 5, 6
LEVEL_NAMES = ["unmet_sr_k", "unmet_r", "unmet_kr", "no_commander", "reserve_used", "moved", "travel_m"]


@dataclass(slots=True)
class Builder:
    """Accumulates nodes and arcs; arcs are added in numpy chunks."""

    n_nodes: int = 0
    chunks: list[tuple] = field(default_factory=list)
    n_arcs: int = 0
    supply: list[tuple[int, int]] = field(default_factory=list)

    def node(self, count: int = 1) -> int:
        first = self.n_nodes
        self.n_nodes += count
        return first

    def arcs(self, tails, heads, caps, level: int = -1, value=0, travel=0, res=0, moved=0, cmd=0) -> np.ndarray:
        """Add arcs (array-like or scalars broadcast); returns their indices.

        ``level``/``value``: cost on one unmet level; ``cmd``, ``res``, ``moved``, ``travel``: the
        costs on the commander, reserve, moved and travel levels.
        """
        n = max(np.size(x) for x in (tails, heads, caps, value, travel, res, moved, cmd))
        tails = np.broadcast_to(np.asarray(tails, dtype=np.int64), (n,))
        heads = np.broadcast_to(np.asarray(heads, dtype=np.int64), (n,))
        caps = np.broadcast_to(np.asarray(caps, dtype=np.int64), (n,))
        lvl = np.full(n, level, dtype=np.int8)
        val = np.broadcast_to(np.asarray(value, dtype=np.int64), (n,))
        trv = np.broadcast_to(np.asarray(travel, dtype=np.int64), (n,))
        rs = np.broadcast_to(np.asarray(res, dtype=np.int64), (n,))
        mv = np.broadcast_to(np.asarray(moved, dtype=np.int64), (n,))
        cm = np.broadcast_to(np.asarray(cmd, dtype=np.int64), (n,))
        self.chunks.append((tails, heads, caps, lvl, val, trv, rs, mv, cm))
        idx = np.arange(self.n_arcs, self.n_arcs + n)
        self.n_arcs += n
        return idx

    def set_supply(self, node: int, amount: int) -> None:
        self.supply.append((node, amount))

    def network(self, deltas: list[int]) -> Network:
        if self.chunks:
            cols = [np.concatenate([c[i] for c in self.chunks]) for i in range(9)]
        else:
            cols = [np.zeros(0, dtype=np.int64) for _ in range(9)]
        tails, heads, caps, lvl, val, trv, rs, mv, cm = cols
        levels = [np.where(lvl == i, val, 0).astype(np.int64) for i in L_UNMET]
        levels += [cm.astype(np.int64), rs.astype(np.int64), mv.astype(np.int64), trv.astype(np.int64)]
        supply = np.zeros(self.n_nodes, dtype=np.int64)
        for node, amount in self.supply:
            supply[node] += amount
        return Network(self.n_nodes, tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64),
                       supply, levels, deltas, list(LEVEL_NAMES))


@dataclass(slots=True)
class Tree:
    """A segment tree over ``entries`` (one entry node per position) with travel per position."""

    entries: np.ndarray
    travel: np.ndarray
    nodes: dict[tuple[int, int], int] = field(default_factory=dict)
    # (node, [(arc, child target)]) in pre-order, so parents come before children
    internal: list[tuple[int, list[tuple[int, int]]]] = field(default_factory=list)

    def build(self, b: Builder) -> None:
        m = len(self.entries)
        if m < 2:
            return
        order = []
        stack = [(0, m)]
        while stack:  # pre-order: parents before children
            lo, hi = stack.pop()
            order.append((lo, hi))
            mid = (lo + hi) // 2
            if hi - mid >= 2:
                stack.append((mid, hi))
            if mid - lo >= 2:
                stack.append((lo, mid))
        first = b.node(len(order))
        for i, key in enumerate(order):
            self.nodes[key] = first + i
        tails, heads, travel = [], [], []
        for lo, hi in order:
            mid = (lo + hi) // 2
            for a, c in ((lo, mid), (mid, hi)):
                tails.append(self.nodes[(lo, hi)])
                if c - a == 1:
                    heads.append(int(self.entries[a]))
                    travel.append(int(self.travel[a]))
                else:
                    heads.append(self.nodes[(a, c)])
                    travel.append(0)
        idx = b.arcs(tails, heads, _INF, travel=travel)
        for i, key in enumerate(order):
            self.internal.append((self.nodes[key], [(int(idx[2 * i]), heads[2 * i]),
                                                    (int(idx[2 * i + 1]), heads[2 * i + 1])]))

    def cover(self, a: int, c: int) -> list[tuple[int, int]]:
        """(target node, travel) covering positions [a, c): tree nodes, or entries for single posts."""
        out: list[tuple[int, int]] = []
        m = len(self.entries)
        if a >= c:
            return out
        stack = [(0, m)]
        while stack:
            lo, hi = stack.pop()
            if c <= lo or hi <= a:
                continue
            if a <= lo and hi <= c:
                if hi - lo == 1:
                    out.append((int(self.entries[lo]), int(self.travel[lo])))
                else:
                    out.append((self.nodes[(lo, hi)], 0))
                continue
            mid = (lo + hi) // 2
            stack.append((mid, hi))
            stack.append((lo, mid))
        return out


_INF = 1 << 20  # capacity of tree arcs: more than any headcount of one batch


def allowed_intervals(m: int, excluded: list[int]) -> list[tuple[int, int]]:
    """Positions [0, m) minus the excluded ones, as half-open intervals."""
    out = []
    start = 0
    for x in sorted(set(excluded)):
        if x > start:
            out.append((start, x))
        start = x + 1
    if start < m:
        out.append((start, m))
    return out


def disaggregate(flow: np.ndarray, trees: list[Tree], class_arcs: list[tuple[int, int, int]],
                 entry_post: dict[int, int]) -> dict[int, list[tuple[int, int]]]:
    """Split the flow back into sorted (post, count) per class.

    ``class_arcs`` are (class, arc, target node). Flow only goes down the trees, so any split of
    a node's incoming class amounts over its child arcs is valid; classes are taken in order.
    """
    result: dict[int, dict[int, int]] = {}
    pools: dict[int, list[list[int]]] = {}

    def deliver(cls: int, target: int, amount: int) -> None:
        if target in entry_post:
            post = entry_post[target]
            per = result.setdefault(cls, {})
            per[post] = per.get(post, 0) + amount
        else:
            pools.setdefault(target, []).append([cls, amount])

    for cls, arc, target in class_arcs:
        f = int(flow[arc])
        if f > 0:
            deliver(cls, target, f)
    for tree in trees:
        for node, children in tree.internal:
            pool = sorted(pools.pop(node, []))
            for arc, target in children:
                need = int(flow[arc])
                while need > 0:
                    item = pool[0]
                    take = min(item[1], need)
                    deliver(item[0], target, take)
                    item[1] -= take
                    need -= take
                    if item[1] == 0:
                        pool.pop(0)
    return {c: sorted(v.items()) for c, v in result.items()}
