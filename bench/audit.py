"""Benchmark: every audit rule over 1M and 10M synthetic holds, side by side in one run with
(a) hand-written DuckDB SQL of the same rules over the same Parquet (the speed limit) and
(b) idiomatic vectorized pandas (what a good analyst writes), each in its own process so its peak
memory (ru_maxrss) is its own; PySpark timed on the smallest size. Each variant's counts by rule must
equal the manifest's, or the run stops: a fast wrong answer is not a figure.

    .venv/bin/python bench/audit.py --sizes 1000000 10000000 --spark-size 1000000

Prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

AS_OF = datetime(2026, 6, 1, tzinfo=UTC)
VARIANTS = ("ibis-duckdb", "sql-duckdb", "pandas", "ibis-spark")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _calendars(directory: Path):
    """The same calendar tables the audit builds (zones and days of the data)."""
    import pyarrow.parquet as pq

    from wso.audit.calendar import calendar_tables, day_span
    from wso.rules.clock import is_weekend, is_weekend_or_us_holiday

    zones = set(pq.read_table(directory / "holds.parquet", columns=["timezone"])["timezone"].unique().to_pylist())
    first, last = day_span(datetime(2024, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    return (
        calendar_tables(timezones=zones, first=first, last=last, excluded=is_weekend_or_us_holiday),
        calendar_tables(timezones=zones, first=first, last=last, excluded=is_weekend),
    )


def run_ibis(directory: Path, engine: str) -> dict:
    from wso.audit.run import run_audit
    from wso.audit.sources import open_source
    from wso.params import default_params

    source = open_source(str(directory), engine=engine)
    steps: dict[str, float] = {}
    last = [time.perf_counter()]

    def step(name: str) -> None:
        now = time.perf_counter()
        steps[name] = now - last[0]
        last[0] = now

    start = time.perf_counter()
    result = run_audit(source, params=default_params(), as_of=AS_OF, step=step)
    total = time.perf_counter() - start
    return {"seconds": total, "rules_seconds": steps.get("counting", total), "counts": result.counts()}


def _sql_params() -> dict:
    from wso.audit.thresholds import thresholds_from
    from wso.params import default_params

    th = thresholds_from(default_params())
    single = {
        name: getattr(th, name)[0][1] for name in ("ice_notification_minutes", "i247a_hold_hours", "cfr_287_7_hours")
    }
    assert all(len(getattr(th, n)) == 1 for n in single), "bench SQL inlines single-valued dated params"
    return {"th": th, **single}


def sql_text(p: dict) -> str:
    """The same rules, written by hand in DuckDB SQL (one query, UNION ALL)."""
    th = p["th"]

    def tmpl(values: dict) -> str:
        return (
            "CASE " + " ".join(f"WHEN template = '{k}' THEN {v}" for k, v in values.items() if v is not None) + " END"
        )

    laws = " OR ".join(f"(state = '{law.state}')" for law in th.forbidding_laws)
    return f"""
WITH h AS (
  SELECT booking_number, agency, facility, state, timezone, template, served_by AS officer,
    (epoch_us(scheduled_release_at) // 1000000) AS rel,
    coalesce(epoch_us(cleared_for_release_at), epoch_us(scheduled_release_at)) // 1000000 AS clr,
    coalesce(release_standard_minutes, 0) * 60 AS std, (epoch_us(served_at) // 1000000) AS srv,
    (epoch_us(officer_authorized_from) // 1000000) AS af, (epoch_us(officer_authorization_end) // 1000000) AS ae,
    officer_authorization_end_cause AS cause,
    coalesce(interpreter_used, false) AS iu, coalesce(interpreter_named, false) AS inm,
    (epoch_us(ice_notified_at) // 1000000) AS nt, (epoch_us(citizenship_claimed_at) // 1000000) AS cl,
    (epoch_us(citizenship_reported_at) // 1000000) AS rp,
    coalesce(exigency_recorded, false) AS ex, coalesce(detainer_i247a, false) AS det,
    coalesce(cfr_287_7_applies, false) AS cfr,
    coalesce(igsa_in_force_at_deadline, false) AS igsa, (epoch_us(igsa_booked_at) // 1000000) AS ib,
    coalesce(least(epoch_us(transferred_at), epoch_us(released_at)) // 1000000, {int(AS_OF.timestamp())}) AS stop,
    ({tmpl(th.max_hours)}) AS maxh, ({tmpl(th.citizenship_report_hours)}) AS cith
  FROM read_parquet('{{holds}}')
),
d AS (
  SELECT h.*, srv + CAST(maxh * 3600 AS BIGINT) AS wso,
    CASE WHEN det THEN rel + {int(p["i247a_hold_hours"] * 3600)} END AS i247
  FROM h WHERE srv IS NOT NULL
),
ct AS (
  SELECT d.*, bh.cum_s + bh.counted * (d.rel - bh.hour_start) + {int(p["cfr_287_7_hours"] * 3600)} AS tgt
  FROM d JOIN wk_by_hour bh ON bh.timezone = d.timezone AND bh.hour_index = d.rel // 3600 WHERE d.cfr
),
c AS (
  SELECT ct.* EXCLUDE (tgt), bc.hour_start + ct.tgt - ((ct.tgt + 3599) // 3600 - 1) * 3600 AS cfrd
  FROM ct JOIN wk_by_counted bc ON bc.timezone = ct.timezone AND bc.counted_index = (ct.tgt + 3599) // 3600 - 1
),
b AS (
  SELECT *, least(wso, i247) AS bind FROM d WHERE NOT cfr
  UNION ALL SELECT * EXCLUDE (cfrd), least(wso, i247, cfrd) FROM c
),
k AS (
  SELECT complaint_id, template, timezone, about_designated_officer AS des, (epoch_us(received_at) // 1000000) AS rec,
    coalesce((epoch_us(ice_notified_at) // 1000000), {int(AS_OF.timestamp())}) AS nt
  FROM read_parquet('{{complaints}}')
),
kt AS (
  SELECT k.*, bh.cum_s + bh.counted * (k.rec - bh.hour_start)
         + CAST(({tmpl(th.complaint_notice_hours)}) * 3600 AS BIGINT) AS tgt
  FROM k JOIN wd_by_hour bh ON bh.timezone = k.timezone AND bh.hour_index = k.rec // 3600 WHERE k.des
),
k1 AS (
  SELECT kt.*, bc.hour_start + kt.tgt - ((kt.tgt + 3599) // 3600 - 1) * 3600 AS due
  FROM kt JOIN wd_by_counted bc ON bc.timezone = kt.timezone AND bc.counted_index = (kt.tgt + 3599) // 3600 - 1
)
SELECT 'H3' AS rule, 'must' AS modality, count(*) AS n FROM h WHERE coalesce(srv, stop) - clr - std > 0
UNION ALL SELECT CASE WHEN bind = wso THEN 'H5' ELSE 'H8' END, 'must', count(*) FROM b
  WHERE stop > bind AND NOT (igsa AND ib IS NOT NULL AND ib <= bind) GROUP BY 1
UNION ALL SELECT CASE WHEN ae IS NOT NULL AND srv >= ae AND cause IN ('withdrawn', 'suspended') THEN 'O5'
                      WHEN ae IS NOT NULL AND srv >= ae
                           AND cause IN ('agreement_terminated', 'agreement_suspended') THEN 'A4'
                      ELSE 'O4' END, 'must', count(*)
  FROM h WHERE srv IS NOT NULL AND (af IS NULL OR srv < af OR (ae IS NOT NULL AND srv >= ae)) GROUP BY 1
UNION ALL SELECT 'H4', 'must', count(*) FROM h
  WHERE srv IS NOT NULL AND coalesce(nt, stop) > srv + {int(p["ice_notification_minutes"] * 60)}
UNION ALL SELECT 'H6', 'must', count(*) FROM h WHERE srv IS NOT NULL AND iu AND NOT inm
UNION ALL SELECT 'H7', CASE WHEN ex THEN 'should' WHEN template = 'MOA-2019' THEN 'must' ELSE 'should' END, count(*)
  FROM h WHERE cl IS NOT NULL AND coalesce(rp, stop) > cl + CAST(cith * 3600 AS BIGINT) GROUP BY 2
UNION ALL SELECT 'H9', 'must', count(*) FROM h
  WHERE srv IS NOT NULL AND ({laws}) AND srv < {{law_until}} AND stop > {{law_from}}
UNION ALL SELECT 'C1', 'must', count(*) FROM k1 WHERE nt > due
UNION ALL SELECT 'C2', 'must', count(*) FROM k WHERE NOT des AND ({tmpl(th.non_designated_forward_hours)}) IS NOT NULL
  AND nt > rec + CAST(({tmpl(th.non_designated_forward_hours)}) * 3600 AS BIGINT)
"""


def run_sql(directory: Path) -> dict:
    import duckdb

    (wk, wd) = _calendars(directory)
    p = _sql_params()
    con = duckdb.connect()
    for name, table in (
        ("wk_by_hour", wk[0]),
        ("wk_by_counted", wk[1]),
        ("wd_by_hour", wd[0]),
        ("wd_by_counted", wd[1]),
    ):
        con.register(name, table)
    # H9 in the synthetic states: the laws are open-ended and in force before 2024 (checked by the counts).
    text = (
        sql_text(p)
        .replace("{holds}", str(directory / "holds.parquet"))
        .replace("{complaints}", str(directory / "complaints.parquet"))
        .replace("{law_from}", "0")
        .replace("{law_until}", str(2**62))
    )
    start = time.perf_counter()
    rows = con.execute(text).fetchall()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rules_seconds": seconds, "counts": _shape(rows)}


def _shape(rows: list[tuple[str, str, int]]) -> dict:
    from wso.audit.modality import AUDITED_RULES

    findings = dict.fromkeys(AUDITED_RULES, 0)
    departures: dict[str, int] = {}
    for rule, modality, n in rows:
        if modality == "must":
            findings[rule] += int(n)
        elif n:
            departures[rule] = departures.get(rule, 0) + int(n)
    return {"findings": findings, "departures": departures}


def run_pandas(directory: Path) -> dict:
    """Vectorized pandas: read both Parquet files, integer epoch seconds, boolean masks, two merges
    for the day-skipping clocks (the same calendar tables)."""
    import numpy as np
    import pandas as pd

    (wk, wd) = _calendars(directory)
    p = _sql_params()
    th = p["th"]
    start = time.perf_counter()
    h = pd.read_parquet(directory / "holds.parquet")
    k = pd.read_parquet(directory / "complaints.parquet")
    asof = int(AS_OF.timestamp())

    def ep(s: pd.Series) -> pd.Series:
        return s.astype("int64[pyarrow]") // 1_000_000 if s.dtype != "int64" else s

    def sec(col: str, frame: pd.DataFrame = h) -> pd.Series:
        return (
            pd.Series(frame[col].array.astype("datetime64[us, UTC]")).astype("int64").where(frame[col].notna())
            // 1_000_000
        )

    rel, clr_raw, srv = sec("scheduled_release_at"), sec("cleared_for_release_at"), sec("served_at")
    clr = clr_raw.fillna(rel)
    stop = pd.concat([sec("transferred_at"), sec("released_at")], axis=1).min(axis=1).fillna(asof)
    std = h["release_standard_minutes"].fillna(0).astype("int64") * 60
    rows: list[tuple[str, str, int]] = []
    rows.append(("H3", "must", int(((srv.fillna(stop) - clr - std) > 0).sum())))
    served = srv.notna()
    maxh = h["template"].map(th.max_hours).astype("float64")
    wso = srv + maxh * 3600
    det = h["detainer_i247a"].fillna(False).astype(bool)
    i247 = (rel + p["i247a_hold_hours"] * 3600).where(det)
    cfr = h["cfr_287_7_applies"].fillna(False).astype(bool) & served
    cal = wk[0].to_pandas().set_index(["timezone", "hour_index"])
    cnt = wk[1].to_pandas().set_index(["timezone", "counted_index"])["hour_start"]
    sub = pd.DataFrame({"tz": h.loc[cfr, "timezone"], "rel": rel[cfr]})
    hit = cal.reindex(pd.MultiIndex.from_arrays([sub["tz"], sub["rel"] // 3600])).to_numpy()
    target = hit[:, 0] + hit[:, 1] * (sub["rel"].to_numpy() - hit[:, 2]) + int(p["cfr_287_7_hours"] * 3600)
    kk = (target + 3599) // 3600 - 1
    cfrd = pd.Series(
        cnt.reindex(pd.MultiIndex.from_arrays([sub["tz"], kk])).to_numpy() + (target - kk * 3600), index=sub.index
    ).reindex(h.index)
    bind = pd.concat([wso, i247, cfrd], axis=1).min(axis=1)
    igsa = h["igsa_in_force_at_deadline"].fillna(False).astype(bool) & (sec("igsa_booked_at") <= bind)
    over = served & (stop > bind) & ~igsa
    rows.append(("H5", "must", int((over & (bind == wso)).sum())))
    rows.append(("H8", "must", int((over & (bind != wso)).sum())))
    af, ae = sec("officer_authorized_from"), sec("officer_authorization_end")
    ended = ae.notna() & (srv >= ae)
    bad = served & (af.isna() | (srv < af) | ended)
    cause = h["officer_authorization_end_cause"]
    o5 = bad & ended & cause.isin(["withdrawn", "suspended"])
    a4 = bad & ended & cause.isin(["agreement_terminated", "agreement_suspended"])
    rows += [("O5", "must", int(o5.sum())), ("A4", "must", int(a4.sum())), ("O4", "must", int((bad & ~o5 & ~a4).sum()))]
    rows.append(
        (
            "H4",
            "must",
            int((served & (sec("ice_notified_at").fillna(stop) > srv + p["ice_notification_minutes"] * 60)).sum()),
        )
    )
    rows.append(
        (
            "H6",
            "must",
            int(
                (
                    served
                    & h["interpreter_used"].fillna(False).astype(bool)
                    & ~h["interpreter_named"].fillna(False).astype(bool)
                ).sum()
            ),
        )
    )
    cl = sec("citizenship_claimed_at")
    late7 = cl.notna() & (
        sec("citizenship_reported_at").fillna(stop) > cl + h["template"].map(th.citizenship_report_hours) * 3600
    )
    must7 = (h["template"] == "MOA-2019") & ~h["exigency_recorded"].fillna(False).astype(bool)
    rows += [("H7", "must", int((late7 & must7).sum())), ("H7", "should", int((late7 & ~must7).sum()))]
    states = {law.state for law in th.forbidding_laws}
    rows.append(("H9", "must", int((served & h["state"].isin(states)).sum())))
    rec = sec("received_at", k)
    knt = sec("ice_notified_at", k).fillna(asof)
    des = k["about_designated_officer"].astype(bool)
    calw = wd[0].to_pandas().set_index(["timezone", "hour_index"])
    cntw = wd[1].to_pandas().set_index(["timezone", "counted_index"])["hour_start"]
    hit = calw.reindex(pd.MultiIndex.from_arrays([k.loc[des, "timezone"], rec[des] // 3600])).to_numpy()
    hrs = k.loc[des, "template"].map(th.complaint_notice_hours).to_numpy() * 3600
    target = hit[:, 0] + hit[:, 1] * (rec[des].to_numpy() - hit[:, 2]) + hrs
    kk = (target + 3599) // 3600 - 1
    due = cntw.reindex(pd.MultiIndex.from_arrays([k.loc[des, "timezone"], kk])).to_numpy() + (target - kk * 3600)
    rows.append(("C1", "must", int((knt[des].to_numpy() > due).sum())))
    c2h = k["template"].map(th.non_designated_forward_hours).astype("float64")
    rows.append(("C2", "must", int((~des & c2h.notna() & (knt > rec + c2h * 3600)).sum())))
    seconds = time.perf_counter() - start
    assert np is not None
    return {"seconds": seconds, "rules_seconds": seconds, "counts": _shape(rows)}


def one(variant: str, directory: Path) -> None:
    if variant == "sql-duckdb":
        out = run_sql(directory)
    elif variant == "pandas":
        out = run_pandas(directory)
    else:
        out = run_ibis(directory, "spark" if variant == "ibis-spark" else "duckdb")
    out["peak_mib"] = _peak_mib()
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--spark-size", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("var/bench"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--one", choices=VARIANTS)
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    if args.one:
        one(args.one, args.data)
        return
    from wso.audit.synth import write_synthetic

    print(f"machine: {platform.machine()} {platform.processor() or ''}, Python {platform.python_version()}")
    print("| holds | variant | best of runs, s (rules only) | whole run, s | peak RSS MiB | counts = manifest |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes:
        directory = args.dir / f"holds_{size}"
        if not (directory / "manifest.json").exists():
            start = time.perf_counter()
            write_synthetic(count=size, seed=1, out=directory)
            print(f"<!-- synth {size}: {time.perf_counter() - start:.1f} s -->", flush=True)
        manifest = json.loads((directory / "manifest.json").read_text())
        expected = {"findings": manifest["findings"], "departures": manifest["departures"]}
        for variant in VARIANTS:
            if variant == "ibis-spark" and size != args.spark_size:
                continue
            runs = []
            for _ in range(1 if variant == "ibis-spark" else args.repeat):
                done = subprocess.run(
                    [sys.executable, __file__, "--one", variant, "--data", str(directory)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            best = min(runs, key=lambda r: r["rules_seconds"])
            ok = all(r["counts"] == expected for r in runs)
            print(
                f"| {size:,} | {variant} | {best['rules_seconds']:.2f} | {best['seconds']:.2f} | "
                f"{max(r['peak_mib'] for r in runs):.0f} | {'yes' if ok else 'NO: ' + json.dumps(best['counts'])} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
