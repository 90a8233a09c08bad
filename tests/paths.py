"""Where tests find the shared data: ICE's real sheets live in ../shared beside the checkout.

CI clones the repo into another folder with a copy of shared/ beside it, so the path is found
relative to the checkout (WSO_SHARED_DIR overrides it). When the sheets are missing, tests that
need them skip on a developer's machine and fail under WSO_REQUIRE_ALL=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_CANDIDATES = (
    [Path(os.environ["WSO_SHARED_DIR"])]
    if os.environ.get("WSO_SHARED_DIR")
    else [REPO.parent / "shared", Path("/work/shared")]
)
SHARED = next((c for c in _CANDIDATES if (c / "data" / "ice" / "sheets").is_dir()), _CANDIDATES[0])
# ICE's sheets ship inside the project (src/wso/publicdata/data/sheets, PROVENANCE.md); shared/ is the fallback.
SHIPPED_SHEETS = REPO / "src" / "wso" / "publicdata" / "data" / "sheets"
ICE_SHEETS = SHIPPED_SHEETS if any(SHIPPED_SHEETS.glob("*.xlsx")) else SHARED / "data" / "ice" / "sheets"

requires_ice_sheets = pytest.mark.skipif(
    not ICE_SHEETS.is_dir() and os.environ.get("WSO_REQUIRE_ALL") != "1",
    reason=f"skipped: ICE sheets not available at {ICE_SHEETS}",
)
