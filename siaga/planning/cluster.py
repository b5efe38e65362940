"""Capacitated grouping of the TPS of one area and category into posts.

A group of ``n`` TPS with capacity ``cap`` gets ``k`` posts, each holding 1..cap TPS, as compact as
possible: the sum of squared distances to the post centres is minimised by a capacitated Lloyd
iteration, whose assignment step is solved exactly as a rectangular assignment problem (each
post offers ``cap`` slots; ``scipy.optimize.linear_sum_assignment``). It starts from
deterministic seeds (chunks along the principal axis; from three posts up also farthest-first)
and keeps the better.
Pinned TPS stay in their post and only use up its slots.

Groups are small in practice (a village has 5-40 TPS). A large group (district scope) is first
cut in two along its principal axis, recursively, with the post count split in proportion and
the cut placed so both halves stay feasible, until pieces have at most ``LEAF_SIZE`` TPS; each
piece is then solved as above. Total work is near-linear in the number of TPS.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linear_sum_assignment

LEAF_SIZE = 48
MAX_ITERATIONS = 25
_MANDATORY_BONUS = 1.0e9  # makes every post take at least one TPS


def principal_order(xy: np.ndarray) -> np.ndarray:
    """Indices of the points sorted along their principal axis (ties by index)."""
    if len(xy) < 2:
        return np.arange(len(xy))
    centred = xy - xy.mean(axis=0)
    sxx = float(centred[:, 0] @ centred[:, 0])
    syy = float(centred[:, 1] @ centred[:, 1])
    sxy = float(centred[:, 0] @ centred[:, 1])
    theta = 0.5 * math.atan2(2.0 * sxy, sxx - syy)  # direction of the largest spread
    axis = np.array([math.cos(theta), math.sin(theta)])
    proj = np.round(centred @ axis, 9)
    return np.lexsort((np.arange(len(xy)), proj))


def _centres(xy: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    counts = np.maximum(np.bincount(labels, minlength=k), 1)
    return np.column_stack([np.bincount(labels, xy[:, 0], k) / counts, np.bincount(labels, xy[:, 1], k) / counts])


def _sse(xy: np.ndarray, labels: np.ndarray, k: int) -> float:
    return float(((xy - _centres(xy, labels, k)[labels]) ** 2).sum())


def _lloyd(xy: np.ndarray, k: int, cap: int, fixed: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Capacitated Lloyd iteration from ``centres``; returns labels for all points."""
    n = len(xy)
    free = np.flatnonzero(fixed < 0)
    labels = fixed.copy()
    fixed_counts = np.bincount(fixed[fixed >= 0], minlength=k)
    slots_per = np.minimum(cap - fixed_counts, len(free))
    slot_cluster = np.repeat(np.arange(k), slots_per)
    first_slot = np.zeros(len(slot_cluster), dtype=bool)
    starts = np.concatenate([[0], np.cumsum(slots_per)[:-1]])
    needs_one = (fixed_counts == 0) & (slots_per > 0)
    first_slot[starts[needs_one]] = True
    previous = None
    xf = xy[free]
    bonus = np.where(first_slot, _MANDATORY_BONUS, 0.0)
    for _ in range(MAX_ITERATIONS):
        sc = centres[slot_cluster]
        cost = (xf[:, 0:1] - sc[:, 0]) ** 2 + (xf[:, 1:2] - sc[:, 1]) ** 2 - bonus
        rows, cols = linear_sum_assignment(cost)
        labels[free[rows]] = slot_cluster[cols]
        if previous is not None and np.array_equal(previous, labels):
            break
        previous = labels.copy()
        centres = _centres(xy, labels, k)
    assert (labels >= 0).all() and n == len(labels)
    return labels


def _seeds(xy: np.ndarray, k: int, fixed: np.ndarray, pinned: int) -> list[np.ndarray]:
    """Deterministic starting centres: pinned posts at their members' mean, the rest seeded."""
    base = np.zeros((k, 2))
    for c in range(pinned):
        base[c] = xy[fixed == c].mean(axis=0)
    free = np.flatnonzero(fixed < 0)
    todo = k - pinned
    if todo == 0:
        return [base]
    # Seed 1: equal chunks of the free points along the principal axis.
    order = free[principal_order(xy[free])]
    chunk = (np.arange(len(order)) * todo) // len(order)
    s1 = base.copy()
    s1[pinned:] = _centres(xy[order], chunk, todo)
    if todo < 3:
        return [s1]
    # Seed 2 (three posts or more): farthest-first, from the free point farthest from the centre.
    s2 = base.copy()
    chosen = base[:pinned].tolist()
    centre = xy.mean(axis=0)
    dist = ((xy[free] - centre) ** 2).sum(axis=1) if not chosen else np.min(
        ((xy[free][:, None, :] - np.array(chosen)[None]) ** 2).sum(axis=2), axis=1
    )
    for j in range(todo):
        pick = int(np.argmax(dist))
        s2[pinned + j] = xy[free[pick]]
        dist = np.minimum(dist, ((xy[free] - xy[free[pick]]) ** 2).sum(axis=1))
    return [s1, s2]


def split_group(xy: np.ndarray, k: int, cap: int, fixed: np.ndarray | None = None) -> np.ndarray:
    """Labels 0..k-1 for the points: every label used, at most ``cap`` points each.

    ``fixed[i] = c`` keeps point i in post c (pinned posts are 0..m-1); -1 means free.
    """
    n = len(xy)
    if fixed is None:
        fixed = np.full(n, -1, dtype=np.int64)
    pinned = int(fixed.max()) + 1 if n and fixed.max() >= 0 else 0
    n_free = int((fixed < 0).sum())
    if not (pinned <= k <= pinned + n_free) or n > k * cap:
        raise ValueError(f"cannot split {n} points into {k} posts of at most {cap}")
    if k == 1:
        return np.zeros(n, dtype=np.int64)
    if pinned == 0 and k == n:
        return np.arange(n, dtype=np.int64)
    best, best_sse = None, math.inf
    for seed in _seeds(xy, k, fixed, pinned):
        labels = _lloyd(xy, k, cap, fixed, seed)
        sse = _sse(xy, labels, k)
        if sse < best_sse - 1e-12:
            best, best_sse = labels, sse
    assert best is not None
    return best


def leaves(xy: np.ndarray, k: int, cap: int) -> list[tuple[np.ndarray, int]]:
    """Cut a group along its principal axis, recursively, into feasible pieces of <= LEAF_SIZE points.

    Returns (point indices, post count) per piece; each piece is then solved by :func:`split_group`.
    """
    n = len(xy)
    if n <= LEAF_SIZE or k == 1 or k == n:
        return [(np.arange(n), k)]
    order = principal_order(xy)
    k1 = k // 2
    k2 = k - k1
    lo = max(k1, n - k2 * cap)
    hi = min(k1 * cap, n - k2)
    n1 = min(max(round(n * k1 / k), lo), hi)
    left, right = order[:n1], order[n1:]
    out = [(left[idx], kk) for idx, kk in leaves(xy[left], k1, cap)]
    out += [(right[idx], kk) for idx, kk in leaves(xy[right], k2, cap)]
    return out
