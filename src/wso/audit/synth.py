"""Synthetic hold and complaint records with a known, seeded number of each finding and departure.

Why: the audit must be shown to find exactly what is there, on every engine, at any scale. Each row
is drawn as one kind (clean, or exactly one planted violation or departure), its instants placed so
that no other rule fires; `manifest.json` says how many of each were planted, keyed by rule id, in
the shape `wso audit run --format json` prints. Legal numbers come from the ParamSet; the two
day-skipping clocks (8 C.F.R. 287.7, C1) are computed for planted rows with `rules/clock.py` itself.
All people and agencies are synthetic (D3: no race, ethnicity, national origin or status).
Vectorized with NumPy: 10M holds take seconds, not minutes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from wso.audit.schema import COMPLAINT_COLUMNS, HOLD_COLUMNS, INSTANT, arrow_schema
from wso.params import ParamSet, default_params
from wso.rules.clock import add_hours_excluding_weekends, add_hours_excluding_weekends_and_holidays

MIN, HOUR, DAY = 60, 3600, 86400
START = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
END = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Agency:
    name: str
    state: str
    tz: str
    template: str
    standard: int | None  # release-processing standard, minutes (H3)


AGENCIES = (
    Agency("Synthetic County Sheriff 1", "TX", "America/Chicago", "MOA-2019", 60),
    Agency("Synthetic County Sheriff 2", "FL", "America/New_York", "MOA-2019", 30),
    Agency("Synthetic County Sheriff 3", "AL", "America/Chicago", "MOA-2025", 120),
    Agency("Synthetic County Sheriff 4", "GA", "America/New_York", "MOA-2025", None),
    Agency("Synthetic County Sheriff 5", "AZ", "America/Phoenix", "MOA-2025", 45),
    Agency("Synthetic County Sheriff 6", "TN", "America/Chicago", "MOA-2019", 90),
)
FORBIDDING = (  # H9 rows only: agencies in states whose law forbids WSO holds throughout 2024-2025
    Agency("Synthetic County Sheriff 7", "IL", "America/Chicago", "MOA-2025", 60),
    Agency("Synthetic County Sheriff 8", "CA", "America/Los_Angeles", "MOA-2019", 60),
)

# Planted kinds and their rates; every other row is clean.
RATES = {
    "long_lawful": 0.03,
    "H3_unserved": 0.01,
    "H3_late_service": 0.01,
    "H5": 0.01,
    "H8_i247a": 0.005,
    "H8_cfr": 0.003,
    "cfr_clean": 0.005,
    "igsa_clean": 0.005,
    "O4": 0.003,
    "O5": 0.002,
    "A4": 0.001,
    "H4": 0.01,
    "H6": 0.005,
    "H7_must": 0.003,
    "H7_departure": 0.003,
    "H7_clean": 0.01,
    "H9": 0.003,
}
COMPLAINT_RATES = {"C1": 0.05, "C2": 0.05, "C2_2019": 0.05, "C1_clean_weekend": 0.1}


def _instants(seconds: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~valid
    return pa.array(seconds.astype(np.int64) * 1_000_000, type=pa.int64(), mask=mask).cast(INSTANT)


def _ids(prefix: str, n: int) -> pa.Array:
    digits = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), 9, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")


def synth_holds(*, count: int, seed: int, params: ParamSet | None = None) -> tuple[pa.Table, pa.Table, dict]:
    """`count` hold records, complaints (one per hundred holds, at least 40) and the manifest."""
    params = params or default_params()
    rng = np.random.default_rng(seed)
    n = count
    names = list(RATES)
    probs = np.array([RATES[k] for k in names] + [1 - sum(RATES.values())])
    kind = rng.choice(len(probs), size=n, p=probs)
    is_ = {k: kind == i for i, k in enumerate(names)}
    agencies = AGENCIES + FORBIDDING
    agency = rng.integers(0, len(AGENCIES), size=n)
    agency[is_["H9"]] = len(AGENCIES) + rng.integers(0, len(FORBIDDING), size=int(is_["H9"].sum()))
    tmpl = np.array([a.template for a in agencies])
    t2019 = np.flatnonzero(tmpl[: len(AGENCIES)] == "MOA-2019")
    agency[is_["H7_must"]] = rng.choice(t2019, size=int(is_["H7_must"].sum()))
    std = np.array([a.standard if a.standard is not None else 0 for a in agencies])[agency]
    std_null = np.array([a.standard is None for a in agencies])[agency]

    def minutes(lo: int, hi: int) -> np.ndarray:
        return rng.integers(lo, hi + 1, size=n) * MIN

    release = (START // MIN + rng.integers(0, (END - START - 5 * DAY) // MIN, size=n)) * MIN
    cleared = release + minutes(0, 20)
    lag = (rng.random(n) * std).astype(np.int64) * MIN  # within the agency's standard
    served = cleared + lag
    served_ok = np.ones(n, bool)
    end = served + minutes(120, 23 * 60)
    transferred = rng.random(n) < 0.9

    # H3: never served, released past the standard; or served past it.
    served_ok[is_["H3_unserved"]] = False
    end = np.where(is_["H3_unserved"], cleared + std * MIN + minutes(1, 600), end)
    transferred[is_["H3_unserved"]] = False
    served = np.where(is_["H3_late_service"], cleared + std * MIN + minutes(1, 300), served)
    end = np.where(is_["H3_late_service"], served + minutes(120, 23 * 60), end)

    max_h = np.array([params.for_template("hold.max_hours", a.template).value for a in agencies])[agency]
    end = np.where(is_["long_lawful"], served + (24 * HOUR) + minutes(1, 24 * 60 - 1), end)
    end = np.where(is_["H5"], served + max_h * HOUR + minutes(1, 600), end)

    # Detainers on short holds only: a long one would also break the I-247A clock (H8) and count twice.
    short = ~(is_["H5"] | is_["H3_late_service"] | is_["long_lawful"] | is_["H8_cfr"] | is_["igsa_clean"])
    detainer = is_["H8_i247a"] | (rng.random(n) < 0.05) & short
    i247 = np.array(
        [
            params.at("detainers.i247a_hold_hours", datetime.fromtimestamp(int(r), UTC)).value
            for r in (release[is_["H8_i247a"]][:1] if is_["H8_i247a"].any() else [START])
        ]
    )[0]
    h8 = is_["H8_i247a"]
    served = np.where(h8, cleared + minutes(30, 60), served)
    std = np.where(h8, 60 + 20, std)
    std_null = std_null & ~h8
    gap = served - release  # 30..80 minutes
    end = np.where(h8, release + i247 * HOUR + (rng.random(n) * (gap // MIN - 1)).astype(np.int64) * MIN + MIN, end)

    cfr = is_["H8_cfr"] | is_["cfr_clean"]
    baseline_rule = np.full(n, "", dtype=object)
    baseline_rule[is_["H5"]] = "H5"
    baseline_rule[h8] = "H8"
    for i in np.flatnonzero(is_["H8_cfr"]):
        a = agencies[agency[i]]
        served[i] = cleared[i] + int(rng.integers(30, 61)) * MIN
        std[i], std_null[i] = 80, False
        rel = datetime.fromtimestamp(int(release[i]), UTC)
        hours = params.at("detainers.cfr_287_7_hours", rel).value
        due_cfr = int(add_hours_excluding_weekends_and_holidays(rel, hours, tz=a.tz).timestamp())
        due_wso = int(served[i] + max_h[i] * HOUR)
        if due_cfr < due_wso:
            baseline_rule[i] = "H8"
            end[i] = (
                due_cfr + int(rng.integers(1, (due_wso - due_cfr) // MIN)) * MIN
                if due_wso - due_cfr > MIN
                else due_cfr + MIN
            )
        else:
            baseline_rule[i] = "H5"
            end[i] = due_wso + int(rng.integers(1, 600)) * MIN
    igsa = is_["igsa_clean"]
    igsa_booked = served + minutes(60, 12 * 60)
    end = np.where(igsa, served + minutes(49 * 60, 120 * 60), end)

    auth_from = np.full(n, int(datetime(2019, 6, 1, tzinfo=UTC).timestamp()))
    auth_from_ok = np.ones(n, bool)
    auth_end = np.zeros(n, np.int64)
    auth_end_ok = np.zeros(n, bool)
    cause = np.full(n, None, dtype=object)
    never = is_["O4"] & (rng.random(n) < 0.5)
    auth_from_ok[never] = False
    auth_from = np.where(is_["O4"] & ~never, served + minutes(1, 30 * 24 * 60), auth_from)
    for k, why in (("O5", "withdrawn"), ("A4", "agreement_terminated")):
        auth_end = np.where(is_[k], served - minutes(0, 1000), auth_end)
        auth_end_ok |= is_[k]
        cause[is_[k]] = why
    later_end = (rng.random(n) < 0.02) & (kind == len(names))  # clean rows whose authorization ends later
    auth_end = np.where(later_end, end + minutes(1, 1000), auth_end)
    auth_end_ok |= later_end
    cause[later_end] = "withdrawn"

    window = np.array([params.at("hold.ice_notification_minutes", datetime.fromtimestamp(START, UTC)).value])
    notified = served + (rng.random(n) * (window[0] + 1)).astype(np.int64) * MIN
    notified = np.where(is_["H4"], served + window[0] * MIN + minutes(1, 300), notified)

    interp_used = is_["H6"] | (rng.random(n) < 0.05)
    interp_named = interp_used & ~is_["H6"]

    claims = is_["H7_must"] | is_["H7_departure"] | is_["H7_clean"]
    claimed = served + minutes(0, 60)
    report_h = np.array([params.for_template("hold.citizenship_report_hours", a.template).value for a in agencies])[
        agency
    ]
    reported = np.where(is_["H7_clean"], claimed + minutes(1, 60), claimed + report_h * HOUR + minutes(1, 120))
    exigency = is_["H7_departure"] & (tmpl[agency] == "MOA-2019")

    stream = pc.binary_join_element_wise(pa.scalar("hold/"), _ids("SYN-", n), "")
    seq = lambda k, ok=None: pa.array(np.full(n, k, np.int64), mask=None if ok is None else ~ok)  # noqa: E731
    agency_name = np.array([a.name for a in agencies])[agency]
    holds = pa.table(
        {
            "booking_number": _ids("SYN-", n),
            "agency": pa.array(agency_name, pa.string()),
            "facility": pa.array(np.char.add(agency_name.astype(str), " Jail"), pa.string()),
            "state": pa.array(np.array([a.state for a in agencies])[agency], pa.string()),
            "timezone": pa.array(np.array([a.tz for a in agencies])[agency], pa.string()),
            "template": pa.array(tmpl[agency], pa.string()),
            "scheduled_release_at": _instants(release),
            "cleared_for_release_at": _instants(cleared),
            "release_standard_minutes": pa.array(std.astype(np.int64), mask=std_null),
            "warrant_form": pa.array(np.where(rng.random(n) < 0.8, "I-200", "I-205"), pa.string()),
            "served_at": _instants(served, served_ok),
            "served_by": pa.array(
                np.char.add("officer-", (agency * 100 + rng.integers(0, 20, n)).astype(str)),
                pa.string(),
                mask=~served_ok,
            ),
            "officer_authorized_from": _instants(auth_from, auth_from_ok),
            "officer_authorization_end": _instants(auth_end, auth_end_ok),
            "officer_authorization_end_cause": pa.array(cause, pa.string()),
            "interpreter_used": pa.array(interp_used & served_ok),
            "interpreter_named": pa.array(interp_named & served_ok),
            "ice_notified_at": _instants(notified, served_ok),
            "citizenship_claimed_at": _instants(claimed, claims),
            "citizenship_reported_at": _instants(reported, claims),
            "exigency_recorded": pa.array(exigency),
            "detainer_i247a": pa.array(detainer),
            "cfr_287_7_applies": pa.array(cfr),
            "igsa_in_force_at_deadline": pa.array(igsa),
            "igsa_booked_at": _instants(igsa_booked, igsa),
            "transferred_at": _instants(end, transferred),
            "released_at": _instants(end, ~transferred),
            "evidence_stream": stream,
            "seq_cleared": seq(1),
            "seq_served": seq(2, served_ok),
            "seq_ice_notified": seq(3, served_ok),
            "seq_claimed": seq(4, claims),
            "seq_reported": seq(5, claims),
            "seq_ended": seq(6),
        }
    ).cast(arrow_schema(HOLD_COLUMNS))

    findings = dict.fromkeys(("H3", "H4", "H5", "H6", "H7", "H8", "H9", "O4", "O5", "A4", "C1", "C2"), 0)
    findings["H3"] = int(is_["H3_unserved"].sum() + is_["H3_late_service"].sum())
    findings["H5"] = int((baseline_rule == "H5").sum())
    findings["H8"] = int((baseline_rule == "H8").sum())
    for k in ("O4", "O5", "A4", "H4", "H6", "H9"):
        findings[k] = int(is_[k].sum())
    findings["H7"] = int(is_["H7_must"].sum())
    complaints, c_counts = _complaints(rng, max(40, n // 100), params)
    findings.update(c_counts)
    exempt24 = igsa & (igsa_booked <= served + 24 * HOUR)
    ended_24_48 = served_ok & (end - served > 24 * HOUR) & (end - served <= 48 * HOUR) & ~exempt24
    manifest = {
        "count": n,
        "seed": seed,
        "complaints": complaints.num_rows,
        "findings": findings,
        "departures": {"H7": int(is_["H7_departure"].sum())} if is_["H7_departure"].any() else {},
        "what_if": {"hold.max_hours=24": {"H5_added": int(ended_24_48.sum()), "H8_removed": findings["H8"]}},
    }
    return holds, complaints, manifest


def _complaints(rng: np.random.Generator, m: int, params: ParamSet) -> tuple[pa.Table, dict[str, int]]:
    names = list(COMPLAINT_RATES)
    probs = np.array([COMPLAINT_RATES[k] for k in names] + [1 - sum(COMPLAINT_RATES.values())])
    kind = rng.choice(len(probs), size=m, p=probs)
    is_ = {k: kind == i for i, k in enumerate(names)}
    agency = rng.integers(0, len(AGENCIES), size=m)
    tmpl = np.array([a.template for a in AGENCIES])
    t2025 = np.flatnonzero(tmpl == "MOA-2025")
    t2019 = np.flatnonzero(tmpl == "MOA-2019")
    agency[is_["C2"]] = rng.choice(t2025, size=int(is_["C2"].sum()))
    agency[is_["C2_2019"]] = rng.choice(t2019, size=int(is_["C2_2019"].sum()))
    designated = ~(is_["C2"] | is_["C2_2019"]) & (rng.random(m) < 0.85) | is_["C1"] | is_["C1_clean_weekend"]
    received = (START // MIN + rng.integers(0, (END - START - 10 * DAY) // MIN, size=m)) * MIN
    notified = received + rng.integers(0, 24 * 60, size=m) * MIN  # at most 24 elapsed hours: always in time
    for i in np.flatnonzero(is_["C1"] | is_["C2"] | is_["C2_2019"] | is_["C1_clean_weekend"]):
        a = AGENCIES[agency[i]]
        rec = datetime.fromtimestamp(int(received[i]), UTC)
        if is_["C2_2019"][i]:  # MOA-2019 states no time for C2: forwarded late, yet no finding
            notified[i] = received[i] + int(rng.integers(3, 30)) * DAY
            continue
        if is_["C2"][i]:
            hours = params.for_template("complaints.non_designated_forward_hours", a.template).value
            due = received[i] + hours * HOUR
        else:
            hours = params.for_template("complaints.ice_notification_hours", a.template).value
            due = int(add_hours_excluding_weekends(rec, hours, tz=a.tz).timestamp())
        if is_["C1_clean_weekend"][i]:
            notified[i] = due - int(rng.integers(0, 120)) * MIN  # on or before the weekend-skipping deadline
        else:
            notified[i] = due + int(rng.integers(1, 600)) * MIN
    names_arr = np.array([a.name for a in AGENCIES])[agency]
    table = pa.table(
        {
            "complaint_id": _ids("CMP-", m),
            "agency": pa.array(names_arr, pa.string()),
            "facility": pa.array(np.char.add(names_arr.astype(str), " Jail"), pa.string()),
            "timezone": pa.array(np.array([a.tz for a in AGENCIES])[agency], pa.string()),
            "template": pa.array(tmpl[agency], pa.string()),
            "about_designated_officer": pa.array(designated),
            "officer_id": pa.array(
                np.char.add("officer-", (agency * 100 + rng.integers(0, 20, m)).astype(str)), pa.string()
            ),
            "received_at": _instants(received),
            "ice_notified_at": _instants(notified),
            "evidence_stream": pc.binary_join_element_wise(pa.scalar("complaint/"), _ids("CMP-", m), ""),
            "seq_received": pa.array(np.ones(m, np.int64)),
            "seq_notified": pa.array(np.full(m, 2, np.int64)),
        }
    ).cast(arrow_schema(COMPLAINT_COLUMNS))
    return table, {"C1": int(is_["C1"].sum()), "C2": int(is_["C2"].sum())}


def write_synthetic(*, count: int, seed: int, out: Path, params: ParamSet | None = None) -> dict:
    """Write holds.parquet, complaints.parquet and manifest.json into `out`; return the manifest."""
    holds, complaints, manifest = synth_holds(count=count, seed=seed, params=params)
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(holds, out / "holds.parquet", row_group_size=1_000_000)
    pq.write_table(complaints, out / "complaints.parquet")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest
