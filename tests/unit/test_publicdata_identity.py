"""One agreement's identity across ICE's sheets (issue 16), checked against expectations built from the raw cells.

The expected classes are computed here from the spreadsheets' cells with openpyxl and the rule texts
of docs/publicdata.md (the thresholds read from params, the decisions from the fixes file with the
csv module), not with the code under test; the edited copies (a rename and a date correction in one
step, an ambiguous pair, a re-signing) are made with openpyxl from ICE's July sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rapidfuzz import fuzz

from tests.paths import ICE_SHEETS, requires_ice_sheets
from wso.params import default_params
from wso.publicdata.fixes import FIXES_FILE, FixesError, read_fixes
from wso.publicdata.identity import Linking, Step
from wso.publicdata.importer import link_sheets
from wso.publicdata.sheets import read_sheet
from wso.publicdata.states import state_code

PARTICIPATING = [ICE_SHEETS / f"participatingAgencies{d}.xlsx" for d in ("05162025am", "06202025am", "07182025pm")]
PENDING = ICE_SHEETS / "pendingAgencies07182025pm.xlsx"
JULY = PARTICIPATING[2]
MODELS = {"Jail Enforcement Model": "JEM", "Task Force Model": "TFM", "Warrant Service Officer": "WSO"}


def _param(name: str) -> Any:
    return default_params().at(f"publicdata.{name}", dt.date(2025, 7, 18)).value


def _norm(name: str) -> str:
    """Case, apostrophes and punctuation do not make a new name (docs/publicdata.md, Ids)."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.casefold().replace("'", "").replace("\u2019", "")).split())


def _raw(path: Path) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """Each agreement of a sheet straight from its cells: key (state, name, model, signed) -> the cells."""
    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c else "" for c in next(rows)]
    col = {
        name: header.index(name)
        for name in ("STATE", "LAW ENFORCEMENT AGENCY", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA")
    }
    found: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for row in rows:
        if row[col["STATE"]] is None:
            continue
        signed = row[col["SIGNED"]]
        date = signed.date() if isinstance(signed, dt.datetime) else None
        cells = {
            "state": state_code(str(row[col["STATE"]]).strip()),
            "agency": " ".join(str(row[col["LAW ENFORCEMENT AGENCY"]]).split()),
            "county": " ".join(str(row[col["COUNTY"]] or "").split()),
            "model": MODELS[str(row[col["SUPPORT TYPE"]]).strip()],
            "date": date,
            "signed": date.isoformat() if date else str(signed).strip(),
        }
        found.setdefault((str(cells["state"]), _norm(cells["agency"]), cells["model"], cells["signed"]), cells)
    return found


def _county_ok(a: str, b: str) -> bool:
    blank = {"", "#n/a"}
    return a.casefold() == b.casefold() or a.casefold() in blank or b.casefold() in blank


def _expected(before: Path, after: Path, *, fixes: bool = True) -> dict[str, Any]:
    """Every class between two sheets, from the cells and the rules as documented; fails if a pair is doubtful."""
    old, new = _raw(before), _raw(after)
    gone = {k: v for k, v in old.items() if k not in new}
    fresh = {k: v for k, v in new.items() if k not in old}
    days, similar = _param("signing_date_correction_days"), _param("name_similarity")
    pairs: list[tuple[Any, Any, tuple[str, ...]]] = []
    if fixes:
        with FIXES_FILE.open(encoding="utf-8", newline="") as handle:
            for fix in csv.DictReader(handle):
                if fix["decision"] != "same":
                    continue
                a = (fix["state"], _norm(fix["agency_before"]), fix["model"], fix["signed_before"])
                b = (fix["state"], _norm(fix["agency_after"]), fix["model"], fix["signed_after"])
                for g, n in ((a, b), (b, a)):
                    if g in gone and n in fresh:
                        pairs.append((g, n, ("renamed",) if g[3] == n[3] else ("renamed", "signing_date_corrected")))
    taken = {p[0] for p in pairs} | {p[1] for p in pairs}
    candidates: list[tuple[int, Any, Any, tuple[str, ...]]] = []  # (strength, gone, new, classes); 1 is strongest
    for g, o in gone.items():
        for n, f in fresh.items():
            if g in taken or n in taken or (o["state"], o["model"]) != (f["state"], f["model"]):
                continue
            score = fuzz.token_set_ratio(_norm(o["agency"]), _norm(f["agency"]))
            moved = (f["date"] - o["date"]).days if o["date"] and f["date"] else None
            same_name = g[1] == n[1]
            name_ok = score >= similar and _county_ok(o["county"], f["county"]) and not same_name
            date_ok = moved is not None and 0 < abs(moved) <= days
            if name_ok and g[3] == n[3]:
                candidates.append((1, g, n, ("renamed",)))
            elif same_name and date_ok:
                candidates.append((2, g, n, ("signing_date_corrected",)))
            elif name_ok and date_ok:
                candidates.append((3, g, n, ("renamed", "signing_date_corrected")))
    # Only the strongest candidates of a row compete; a pair is joined when each is the other's only one.
    best_g = {g: min(c[0] for c in candidates if c[1] == g) for g in {c[1] for c in candidates}}
    best_n = {n: min(c[0] for c in candidates if c[2] == n) for n in {c[2] for c in candidates}}
    top = [c for c in candidates if c[0] == best_g[c[1]]]
    for strength, g, n, classes in top:
        rivals = [c for c in top if c[1] == g] + [
            c for c in candidates if c[2] == n and c[0] == best_n[n] and c[1] != g
        ]
        if len(rivals) == 1 and strength == best_n[n]:
            pairs.append((g, n, classes))
    lefts, rights = [p[0] for p in pairs], [p[1] for p in pairs]
    assert len(set(lefts)) == len(lefts) and len(set(rights)) == len(rights), "a doubtful pair: build it by hand"
    return {
        "renamed": sorted((old[g]["agency"], new[n]["agency"]) for g, n, c in pairs if "renamed" in c),
        "signing_date_corrected": sorted(
            (old[g]["signed"], new[n]["signed"], new[n]["agency"]) for g, n, c in pairs if "signing_date_corrected" in c
        ),  # fmt: skip
        "ended": sorted(v["agency"] for k, v in gone.items() if k not in lefts),
        "added": sorted(v["agency"] for k, v in fresh.items() if k not in rights),
        "joined": len(pairs),
    }


def _found(step: Step) -> dict[str, Any]:
    rows = step.rows
    return {
        "renamed": sorted(
            (r.before["agency"], r.after["agency"])
            for r in rows
            if "renamed" in r.classes  # type: ignore[index]
        ),
        "signing_date_corrected": sorted(
            (r.before["signed"], r.after["signed"], r.after["agency"])
            for r in rows
            if "signing_date_corrected" in r.classes  # type: ignore[index]
        ),
        "ended": sorted(r.before["agency"] for r in rows if r.classes == ("ended",)),  # type: ignore[index]
        "added": sorted(r.after["agency"] for r in rows if r.classes == ("added",)),  # type: ignore[index]
        "joined": sum(1 for r in rows if {"renamed", "signing_date_corrected"} & set(r.classes)),
    }


def _link(paths: list[Path], **kwargs: Any) -> Linking:
    return link_sheets([read_sheet(p) for p in paths], **kwargs)


def _edited(tmp_path: Path, edit: Callable[[Any], None]) -> Path:
    """A copy of ICE's July sheet under its own file name, changed by `edit(worksheet)`."""
    workbook = openpyxl.load_workbook(JULY)
    edit(workbook.worksheets[0])
    target = tmp_path / JULY.name
    workbook.save(target)
    return target


def _find_row(ws: Any, agency: str, model: str) -> int:
    for number in range(2, ws.max_row + 1):
        if str(ws.cell(number, 2).value or "").strip() == agency and str(ws.cell(number, 5).value).strip() == model:
            return number
    raise AssertionError(f"{agency} ({model}) not on the July sheet")


# ---- the real sheets ----------------------------------------------------------------------


@requires_ice_sheets
def test_A1_every_class_on_each_consecutive_pair_matches_the_raw_cells() -> None:
    linking = _link(PARTICIPATING)
    steps = [s for s in linking.steps if s.kind == "participating"]
    assert [(s.before.as_of, s.after.as_of) for s in steps] == [
        (dt.date(2025, 5, 16), dt.date(2025, 6, 20)),
        (dt.date(2025, 6, 20), dt.date(2025, 7, 18)),
    ]
    for step, (before, after) in zip(steps, pairwise(PARTICIPATING), strict=True):
        expected = _expected(before, after)
        assert _found(step) == expected
        assert step.count("re_signed") == 0  # no agency re-signed the same model between these sheets
    june_july = steps[1].to_dict(rows=False)
    # The orders of magnitude of issue 16, exactly, with the three decisions of the fixes file applied.
    assert {k: june_july[k] for k in ("added", "ended", "renamed", "signing_date_corrected", "re_signed")} == {
        "added": 118, "ended": 5, "renamed": 11, "signing_date_corrected": 17, "re_signed": 0,
    }  # fmt: skip
    assert ("Limestone County Sheriff's Office", "2025-06-12") in {
        (r.before["agency"], r.before["signed"])
        for r in steps[1].rows
        if r.classes == ("signing_date_corrected",)  # type: ignore[index]
    }


@requires_ice_sheets
def test_A1_without_the_fixes_file_the_rules_alone_give_the_issue_counts_and_list_the_rest_for_review() -> None:
    step = _link(PARTICIPATING[1:], fixes=()).steps[0]
    assert _found(step) == _expected(PARTICIPATING[1], PARTICIPATING[2], fixes=False)
    assert [step.count(c) for c in ("added", "ended", "renamed", "signing_date_corrected")] == [121, 8, 8, 17]
    reasons = {(item.rows[0]["agency"], item.rows[1]["agency"]): item.reason for item in step.review}
    assert "name similarity 81" in reasons[("Louisiana State Patrol", "Louisiana State Police Department")]
    assert (
        "same MOA link"
        in reasons[("Escambia County Sheriff's Office", "Escambia County Board of County Commissioners")]
    )
    assert "duplicate listing" in reasons[("City of St. Cloud Police Department", "St. Cloud Police Department")]


@requires_ice_sheets
def test_A1_a_name_that_flips_back_keeps_one_identity() -> None:
    linking = _link(PARTICIPATING)
    sheets = [read_sheet(p) for p in PARTICIPATING]
    names = []
    for number, sheet in enumerate(sheets, start=1):
        [row] = [
            r
            for r in sheet.rows
            if r.state == "FL" and r.agency.startswith(("Indialantic", "Indiatlantic")) and r.model == "TFM"
        ]
        names.append((row.agency, linking.identity[(number, row.row)]))
    assert [n for n, _ in names] == [
        "Indialantic Police Department",
        "Indiatlantic Police Department",
        "Indialantic Police Department",
    ]
    assert {i for _, i in names} == {"FL-indialantic-police-department#TFM#2025-05-13"}
    renamed = [
        r for s in linking.steps for r in s.rows if r.agreement_id == "FL-indialantic-police-department#TFM#2025-05-13"
    ]
    assert [r.classes for r in renamed] == [("renamed",), ("renamed",)]


@requires_ice_sheets
def test_A1_identities_do_not_depend_on_the_order_the_sheets_are_given() -> None:
    paths = [*PARTICIPATING, PENDING]
    forward, backward = _link(paths), _link(list(reversed(paths)))
    position = {p: i + 1 for i, p in enumerate(paths)}
    back = {p: len(paths) - i for i, p in enumerate(paths)}  # where each file sits in the reversed list
    mapped = {
        (position[p], row): ident for p in paths for (sid, row), ident in backward.identity.items() if sid == back[p]
    }
    assert mapped == dict(forward.identity)
    assert [s.to_dict() for s in forward.steps] == [s.to_dict() for s in backward.steps]


# ---- edited copies of the July sheet --------------------------------------------------------


@requires_ice_sheets
def test_A1_a_rename_and_a_date_correction_in_the_same_step(tmp_path: Path) -> None:
    def edit(ws: Any) -> None:  # Kenton's JEM row is re-dated 05-06 -> 05-02 in July; respell it as well
        ws.cell(
            _find_row(ws, "Kenton County Sheriff's Office", "Jail Enforcement Model"), 2
        ).value = "Kenton Co. Sheriff's Office"

    july = _edited(tmp_path, edit)
    step = _link([PARTICIPATING[1], july]).steps[0]
    assert _found(step) == _expected(PARTICIPATING[1], july)
    [both] = [r for r in step.rows if r.classes == ("renamed", "signing_date_corrected")]
    assert both.agreement_id == "KY-kenton-county-sheriffs-office#JEM#2025-05-06"
    assert (both.before["signed"], both.after["signed"], both.after["agency"]) == (
        "2025-05-06",
        "2025-05-02",
        "Kenton Co. Sheriff's Office",
    )  # type: ignore[index]
    assert "name similarity" in both.evidence and "SIGNED moved -4 days" in both.evidence
    assert step.count("renamed") == 12 and step.count("signing_date_corrected") == 17  # one row counted in both


@requires_ice_sheets
def test_A1_an_ambiguous_pair_is_listed_for_review_and_not_joined(tmp_path: Path) -> None:
    def edit(ws: Any) -> None:  # a second Juniata TFM row two days from the corrected one: two equal candidates
        number = _find_row(ws, "Juniata County Sheriff's Office", "Task Force Model")
        copy = [ws.cell(number, c).value for c in range(1, ws.max_column + 1)]
        copy[5] = dt.datetime(2025, 6, 13)
        ws.append(copy)

    july = _edited(tmp_path, edit)
    step = _link([PARTICIPATING[1], july]).steps[0]
    juniata = [r for r in step.rows if "juniata" in r.agreement_id]
    assert sorted(r.classes for r in juniata) == [("added",), ("added",), ("ended",)]
    [item] = [i for i in step.review if i.rows[0]["agency"] == "Juniata County Sheriff's Office"]
    assert [c["signed"] for c in item.rows] == ["2025-06-12", "2025-06-11", "2025-06-13"]
    assert "not joined" in item.reason
    assert step.count("signing_date_corrected") == 16


@requires_ice_sheets
def test_A1_A7_a_re_signing_years_later_is_a_new_agreement_that_supersedes_the_old(tmp_path: Path) -> None:
    june = {(r.state, r.agency, r.model): r for r in read_sheet(PARTICIPATING[1]).rows}
    [(state, agency, model)] = [
        k for k in sorted(june) if k[2] == "WSO" and june[k].signed_on and june[k].signed_on.year == 2019
        and sum(1 for j in june if j[:2] == k[:2] and j[2] == "WSO") == 1
    ][:1]  # fmt: skip
    old = june[(state, agency, model)]

    def edit(ws: Any) -> None:  # the 2019 WSO agreement re-signed on the 2025 template
        number = _find_row(ws, agency, "Warrant Service Officer")
        ws.cell(number, 6).value = dt.datetime(2025, 7, 10)
        ws.cell(number, 7).value = "link pending"

    step = _link([PARTICIPATING[1], _edited(tmp_path, edit)]).steps[0]
    [row] = [r for r in step.rows if r.classes == ("re_signed",)]
    assert (
        row.related_id == f"{state}-{re.sub(r'[^a-z0-9]+', '-', agency.casefold().replace(chr(39), '')).strip('-')}"
        f"#WSO#{old.signed_on}"
    )
    assert row.agreement_id.endswith("#WSO#2025-07-10") and row.agreement_id != row.related_id
    assert row.before["signed"] == str(old.signed_on) and row.after["signed"] == "2025-07-10"  # type: ignore[index]
    assert step.count("ended") == 5 and step.count("added") == 118  # neither counted as ended nor added


# ---- the fixes file ------------------------------------------------------------------------


def test_the_shipped_fixes_file_is_cited_and_read() -> None:
    fixes = read_fixes()
    assert len(fixes) >= 3
    assert all(f.reason and f.source and f.decision in ("same", "distinct") for f in fixes)
    assert fixes[0].before_key == "LA-louisiana-state-patrol#TFM#2025-05-20"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("ZZ,TFM,A,2025-01-01,B,2025-01-01,same,why,src", "line 2, state: 'ZZ' is not a two-letter"),
        ("FL,XYZ,A,2025-01-01,B,2025-01-01,same,why,src", "line 2, model: 'XYZ' is not one of"),
        ("FL,TFM,A,2025-13-01,B,2025-01-01,same,why,src", "line 2, signed_before: '2025-13-01' is not a date"),
        ("FL,TFM,A,2025-01-01,B,2025-01-01,same,why,", "line 2, source: blank"),
        ("FL,TFM,A,2025-01-01,B,2025-01-01,maybe,why,src", "line 2, decision: 'maybe' is not 'same' or 'distinct'"),
        ("FL,TFM,A,2025-01-01,a,2025-01-01,same,why,src", "before and after are the same printing"),
    ],
)
def test_a_bad_fixes_file_names_the_line_and_the_field(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "fixes.csv"
    path.write_text(FIXES_FILE.read_text(encoding="utf-8").splitlines()[0] + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(FixesError, match=re.escape(message)):
        read_fixes(path)


@requires_ice_sheets
def test_A1_a_distinct_decision_keeps_two_rows_apart(tmp_path: Path) -> None:
    header = FIXES_FILE.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "fixes.csv"
    path.write_text(
        header + "\nFL,TFM,Town of Palm Beach Police Department,2025-03-07,Palm Beach Police Department,2025-03-07,"
        "distinct,test: two agencies,test\n",
        encoding="utf-8",
    )
    step = _link(PARTICIPATING[1:], fixes=read_fixes(path)).steps[0]
    assert ("Town of Palm Beach Police Department", "Palm Beach Police Department") not in _found(step)["renamed"]
    assert "Town of Palm Beach Police Department" in _found(step)["ended"]
