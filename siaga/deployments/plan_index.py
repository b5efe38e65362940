"""Index rows of a stored plan version (PlanTPS, PlanPost) so maps and lists read one table, not the document.

Written when a version is stored (plan_create) and rebuilt for older versions by ``plan_index_rebuild``.
"""

from __future__ import annotations

import json

from django.db import transaction

from siaga.core.bulk import insert_rows
from siaga.deployments.models import Plan, PlanPost, PlanTPS
from siaga.regions.models import TPS, District


def plan_index_store(plan: Plan) -> tuple[int, int]:
    """(Re)write the index rows of one version from its document; returns (TPS rows, post rows).

    TPS or districts of the document that are no longer stored are skipped (the document stays the record).
    """
    document = plan.document or {}
    tps_codes = [row["id"] for row in document.get("tps", [])]
    tps_ids = dict(TPS.objects.filter(code__in=tps_codes).values_list("code", "pk")) if tps_codes else {}
    district_ids = dict(District.objects.values_list("code", "pk"))
    tps_rows = [(plan.pk, tps_ids[row["id"]], row.get("category") or "", float(row.get("score") or 0.0),
                 row.get("post") or "", json.dumps(row.get("reasons") or [], ensure_ascii=False),
                 json.dumps(row.get("reasons_en") or [], ensure_ascii=False))
                for row in document.get("tps", []) if row["id"] in tps_ids]
    post_rows = [(plan.pk, post["id"], district_ids.get(post.get("district") or ""), float(post["lat"]),
                  float(post["lon"]), post.get("category") or "", len(post.get("tps", [])))
                 for post in document.get("posts", [])]
    with transaction.atomic():
        PlanTPS.objects.filter(plan=plan).delete()
        PlanPost.objects.filter(plan=plan).delete()
        insert_rows(PlanTPS, ["plan", "tps", "category", "score", "post_id", "reasons", "reasons_en"], tps_rows)
        insert_rows(PlanPost, ["plan", "post_id", "district", "lat", "lon", "category", "tps_count"], post_rows)
    return len(tps_rows), len(post_rows)


def plan_index_rebuild() -> int:
    """Index every stored version that has no index rows yet (after an upgrade); returns how many."""
    done = 0
    for plan in Plan.objects.exclude(pk__in=PlanTPS.objects.values("plan_id")).iterator(chunk_size=10):
        plan_index_store(plan)
        done += 1
    return done
