"""Reading ICE's sheets as published: counts (the spec), flags kept with rows, ids, history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.paths import ICE_SHEETS, requires_ice_sheets
from wso.publicdata.history import Listing, SnapshotKey, changes, histories
from wso.publicdata.ids import agreement_id, slug
from wso.publicdata.importer import summarize
from wso.publicdata.sheets import SheetError, read_sheet, snapshot_from_name

SHEETS = ICE_SHEETS
JULY = SHEETS / "participatingAgencies07182025pm.xlsx"
MAY = SHEETS / "participatingAgencies05162025am.xlsx"
PENDING = SHEETS / "pendingAgencies07182025pm.xlsx"

pytestmark = requires_ice_sheets


def test_the_july_sheet_holds_832_agreements_in_40_states() -> None:
    summary = summarize(read_sheet(JULY), status="read")
    assert summary.agreements == 832
    assert summary.by_model == {"Task Force Model": 415, "Warrant Service Officer": 300, "Jail Enforcement Model": 117}
    assert summary.states == 40
    assert summary.rejected == ()


def test_the_may_sheet_holds_571_agreements() -> None:
    summary = summarize(read_sheet(MAY), status="read")
    assert summary.agreements == 571
    assert summary.by_model == {"Task Force Model": 275, "Warrant Service Officer": 205, "Jail Enforcement Model": 91}


def test_the_year_5025_is_kept_as_read_and_flagged() -> None:
    sheet = read_sheet(JULY)
    row = next(r for r in sheet.rows if r.signed_on and r.signed_on.year == 5025)
    assert row.signed_on == dt.date(5025, 7, 7)
    assert any(f.field == "SIGNED" and "after the sheet's own date" in f.reason for f in row.flags)


def test_a_signed_text_that_is_no_date_is_kept_as_typed_without_a_date() -> None:
    sheet = read_sheet(JULY)
    row = next(r for r in sheet.rows if r.signed_raw == "05/082025")
    assert row.signed_on is None
    assert [f.row for f in row.flags] == [row.row]
    assert "kept as typed" in row.flags[0].reason


def test_trailing_spaces_are_trimmed_and_counted_not_flagged() -> None:
    sheet = read_sheet(JULY)
    assert {r.support_type for r in sheet.rows} == {
        "Task Force Model",
        "Warrant Service Officer",
        "Jail Enforcement Model",
    }
    assert sheet.cells_trimmed > 0
    assert all(r.agency == r.agency.strip() for r in sheet.rows)


def test_the_pending_sheet_has_no_signing_dates() -> None:
    sheet = read_sheet(PENDING)
    assert sheet.kind == "pending" and len(sheet.rows) == 26
    assert all(r.signed_on is None and r.signed_raw is None for r in sheet.rows)


def test_moa_links_behind_outlook_redirects_are_unwrapped() -> None:
    urls = [r.moa_url for r in read_sheet(JULY).rows if r.moa_url]
    assert urls and not any("safelinks" in u for u in urls)
    assert any(u.startswith("https://www.ice.gov/doclib/287gMOA/") for u in urls)


def test_ice_file_names_give_kind_date_and_half_day() -> None:
    assert snapshot_from_name("participatingAgencies07182025pm.xlsx") == ("participating", dt.date(2025, 7, 18), "pm")
    assert snapshot_from_name("pendingAgencies07182025pm.xlsx") == ("pending", dt.date(2025, 7, 18), "pm")
    assert snapshot_from_name("agencies.xlsx") is None


def test_a_file_named_otherwise_needs_kind_and_date(tmp_path: Path) -> None:
    copy = tmp_path / "agencies.xlsx"
    copy.write_bytes(JULY.read_bytes())
    with pytest.raises(SheetError, match="give --kind and --as-of"):
        read_sheet(copy)
    assert len(read_sheet(copy, kind="participating", as_of=dt.date(2025, 7, 18)).rows) == 832


def test_ids_ignore_case_apostrophes_and_spacing_but_not_the_date() -> None:
    a = agreement_id(
        state="AL",
        agency="Colbert County Sheriff's Office ",
        model="WSO",
        signed_on=dt.date(2025, 5, 8),
        signed_raw=None,
        pending=False,
    )
    b = agreement_id(
        state="AL",
        agency="colbert county  sheriffs office",
        model="WSO",
        signed_on=dt.date(2025, 5, 8),
        signed_raw=None,
        pending=False,
    )
    c = agreement_id(
        state="AL",
        agency="Colbert County Sheriff's Office",
        model="WSO",
        signed_on=dt.date(2025, 5, 9),
        signed_raw=None,
        pending=False,
    )
    assert a == b == "AL-colbert-county-sheriffs-office#WSO#2025-05-08"
    assert c != a
    assert slug("Dunnellon Police Department") == "dunnellon-police-department"


def _snap(i: int, kind: str, day: int) -> SnapshotKey:
    return SnapshotKey(id=i, kind=kind, as_of=dt.date(2025, 1, day))


def test_history_names_renewals_removals_and_pending_that_joined() -> None:
    snaps = [_snap(1, "participating", 1), _snap(2, "pending", 1), _snap(3, "participating", 10)]
    listings = [
        Listing(1, "A#WSO#2020-01-01", "A#WSO"),  # renewed by 2025 agreement
        Listing(1, "B#JEM#2021-01-01", "B#JEM"),  # removed
        Listing(2, "C#TFM#pending", "C#TFM"),  # pending, then signed
        Listing(3, "A#WSO#2025-01-05", "A#WSO"),
        Listing(3, "C#TFM#2025-01-08", "C#TFM"),
    ]
    # Import order must not matter: give the listings reversed.
    h = histories(reversed(snaps), reversed(listings))
    assert (h["A#WSO#2020-01-01"].status, h["A#WSO#2020-01-01"].related_id) == ("superseded", "A#WSO#2025-01-05")
    assert h["B#JEM#2021-01-01"].status == "removed" and h["B#JEM#2021-01-01"].status_since == dt.date(2025, 1, 10)
    assert (h["C#TFM#pending"].status, h["C#TFM#pending"].related_id) == ("joined", "C#TFM#2025-01-08")
    assert h["A#WSO#2025-01-05"].status == "active" and h["A#WSO#2025-01-05"].first_seen == dt.date(2025, 1, 10)
    [change] = changes(snaps, listings)
    assert set(change.added) == {"A#WSO#2025-01-05", "C#TFM#2025-01-08"}
    assert change.renewed == ("A#WSO#2025-01-05",)
    assert change.from_pending == ("C#TFM#2025-01-08",)
    assert set(change.removed) == {"A#WSO#2020-01-01", "B#JEM#2021-01-01"}


def test_A1_with_identity_successors_only_a_re_signing_supersedes_and_a_renamed_line_is_the_latest() -> None:
    snaps = [_snap(1, "participating", 1), _snap(2, "participating", 10), _snap(3, "participating", 20)]
    listings = [
        Listing(1, "A#WSO#2019-01-01", "A#WSO"),  # re-signed on sheet 2
        Listing(2, "A#WSO#2025-01-05", "A#WSO"),
        Listing(1, "B#JEM#2025-01-01", "B#JEM"),  # left on sheet 2 as another B#JEM appeared: not a re-signing
        Listing(2, "B#JEM#2025-01-09", "B#JEM"),
        Listing(1, "C#TFM#2025-01-01", "C#TFM"),  # one agreement renamed C -> D on sheet 2, gone on sheet 3
        Listing(2, "C#TFM#2025-01-01", "D#TFM"),
        Listing(3, "D#TFM#2025-01-15", "D#TFM"),  # a new agreement under the new name
    ]
    h = histories(reversed(snaps), reversed(listings), successors={"A#WSO#2019-01-01": "A#WSO#2025-01-05"})
    assert (h["A#WSO#2019-01-01"].status, h["A#WSO#2019-01-01"].related_id) == ("superseded", "A#WSO#2025-01-05")
    assert (h["B#JEM#2025-01-01"].status, h["B#JEM#2025-01-01"].related_id) == ("removed", None)
    assert h["C#TFM#2025-01-01"].status == "removed" and h["C#TFM#2025-01-01"].status_since == dt.date(2025, 1, 20)
    without = histories(snaps, listings)  # the line-based reading, for comparison: the renamed line D counts
    c = without["C#TFM#2025-01-01"]
    assert (c.status, c.related_id) == ("superseded", "D#TFM#2025-01-15")
