"""Content-Security-Policy pieces for single views (the site-wide policy is CONTENT_SECURITY_POLICY in settings).

brief.html is a self-contained, offline file (siaga.reports.brief): its styles sit in one <style> block so it
still looks right when opened from a disk. Viewed in the browser from Siaga, only that block is allowed, by its
hash; nothing else inline is (docs/web.md).
"""

from __future__ import annotations

import base64
import hashlib
from importlib.resources import files


def _style_hash(template: str) -> str:
    text = files("siaga.reports").joinpath(template).read_text(encoding="utf-8")
    style = text.split("<style>", 1)[1].split("</style>", 1)[0]  # the block is fixed text: no $placeholders
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


BRIEF_STYLE = _style_hash("templates/brief.html")
