"""The plan index tables (PlanTPS, PlanPost) mirror the stored document, and the map reads them."""

from __future__ import annotations

import json

import pytest

from siaga.deployments.models import PlanPost, PlanTPS
from siaga.deployments.plan_index import plan_index_rebuild, plan_index_store

pytestmark = pytest.mark.django_db


def test_index_rows_equal_the_document(kediri):
    """Every TPS and post of the stored document has one index row with the document's category and score."""
    document = kediri.plan.document
    rows = {r.tps.code: r for r in PlanTPS.objects.filter(plan=kediri.plan).select_related("tps")}
    assert len(rows) == len(document["tps"]) == 839
    for tps in document["tps"]:
        row = rows[tps["id"]]
        assert (row.category, row.score, row.post_id, row.reasons) == (
            tps["category"], pytest.approx(tps["score"]), tps["post"], tps["reasons"])
    posts = dict(PlanPost.objects.filter(plan=kediri.plan).values_list("post_id", "tps_count"))
    assert posts == {p["id"]: len(p["tps"]) for p in document["posts"]}


def test_map_points_carry_the_plan_category(as_role, kediri):
    """Map data colours each TPS (without a manual override) by its category in the latest plan."""
    body = json.loads(as_role("admin").get("/peta/data.json", {"zoom": 15}).content)
    wanted = {t["id"]: t["category"] for t in kediri.plan.document["tps"]}
    assert body["mode"] == "points" and len(body["points"]) == 839
    categories = body["categories"]
    assert {p[0]: categories[p[3]] for p in body["points"]} == wanted
    assert len(body["posts"]) == len(kediri.plan.document["posts"])


def test_rebuild_indexes_versions_without_rows(kediri):
    """A version whose index rows are missing (stored before the index) is indexed again by the rebuild."""
    PlanTPS.objects.filter(plan=kediri.plan).delete()
    PlanPost.objects.filter(plan=kediri.plan).delete()
    assert plan_index_rebuild() == 1
    assert PlanTPS.objects.filter(plan=kediri.plan).count() == 839
    assert plan_index_store(kediri.plan) == (839, len(kediri.plan.document["posts"]))
