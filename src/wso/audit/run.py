"""One audit run: check the records, build the rule set's expression, execute it on the source's
engine and return the findings with their counts.

Why a function of (source, params, range, as-of): a what-if run is the same call with an overridden
ParamSet (OpenFisca's reforms), and the report compares the two results rule by rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import ibis
import pyarrow as pa
import pyarrow.compute as pc

from wso.audit.calendar import calendar_tables, day_span
from wso.audit.modality import AUDITED_RULES, MUST
from wso.audit.rules import NATIVE_EPOCH_US, Calendars, epoch, finding_parts
from wso.audit.schema import COMPLAINT_COLUMNS, COMPLAINT_ORDER, HOLD_COLUMNS, HOLD_ORDER, INSTANT
from wso.audit.sources import Source
from wso.audit.thresholds import Thresholds, forbidden_windows, thresholds_from
from wso.audit.validate import RowError, check
from wso.params import ParamSet
from wso.rules.clock import is_weekend, is_weekend_or_us_holiday, require_aware

Step = Callable[[str], None]


@dataclass
class AuditResult:
    """Findings (must) and departures (should) of one run, the bad rows, and what was audited."""

    findings: pa.Table
    errors: list[RowError]
    rejected: int
    holds: int
    complaints: int
    sources: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        """Counts by rule id, findings and departures apart (the shape of synth's manifest.json)."""
        pairs = zip(self.findings["rule"].to_pylist(), self.findings["modality"].to_pylist(), strict=True)
        tally = Counter(pairs)
        return {
            "findings": {r: tally.get((r, MUST), 0) for r in AUDITED_RULES},
            "departures": {r: n for (r, m), n in sorted(tally.items()) if m != MUST},
        }


def run_audit(
    source: Source,
    *,
    params: ParamSet,
    start: datetime | None = None,
    end: datetime | None = None,
    as_of: datetime | None = None,
    step: Step | None = None,
) -> AuditResult:
    """Audit the holds whose scheduled release (and complaints whose receipt) fall in [start, end).

    Holds still open are measured up to `as_of` (default: `end`, else now)."""
    token = NATIVE_EPOCH_US.set(source.con.name == "duckdb")
    try:
        return _run(source, params=params, start=start, end=end, as_of=as_of, step=step)
    finally:
        NATIVE_EPOCH_US.reset(token)


def _run(
    source: Source,
    *,
    params: ParamSet,
    start: datetime | None,
    end: datetime | None,
    as_of: datetime | None,
    step: Step | None,
) -> AuditResult:
    say = step or (lambda _: None)
    as_of = as_of or end or datetime.now(UTC)
    for name, value in (("--from", start), ("--to", end), ("--as-of", as_of)):
        if value is not None:
            require_aware(value, name=name)
    if start is not None and end is not None and end <= start:
        raise ValueError(f"--to {end.isoformat()} is not after --from {start.isoformat()}")
    th = thresholds_from(params)
    say("checking hold records")
    holds = check(
        source.holds,
        HOLD_COLUMNS,
        HOLD_ORDER,
        key="booking_number",
        kind="hold",
        naive_means_utc=source.naive_means_utc,
    )
    complaints = None
    if source.complaints is not None:
        say("checking complaint records")
        complaints = check(
            source.complaints,
            COMPLAINT_COLUMNS,
            COMPLAINT_ORDER,
            key="complaint_id",
            kind="complaint",
            naive_means_utc=source.naive_means_utc,
        )
    h = _in_range(holds.valid, "scheduled_release_at", start, end)
    c = _in_range(complaints.valid, "received_at", start, end) if complaints is not None else None
    say("building calendars")
    cal, windows = _calendars(source, h, c, th)
    say("auditing")
    as_of_s = int(as_of.timestamp())
    parts = finding_parts(h, c, th=th, cal=cal, windows=windows, as_of_s=as_of_s)
    if source.con.name == "sqlite":  # its parser overflows on one union of every rule
        raw = pa.concat_tables([source.con.to_pyarrow(p) for p in parts])
    else:
        raw = source.con.to_pyarrow(ibis.union(*parts, distinct=False))
    say("counting")
    n_holds = int(source.con.execute(h.count()))
    n_complaints = int(source.con.execute(c.count())) if c is not None else 0
    errors = list(source.read_errors) + holds.errors + (complaints.errors if complaints else [])
    rejected = len(source.read_errors) + holds.rejected + (complaints.rejected if complaints else 0)
    return AuditResult(_finish(raw, th), errors, rejected, n_holds, n_complaints, th.sources)


def _in_range(t: ibis.Table, column: str, start: datetime | None, end: datetime | None) -> ibis.Table:
    if start is not None:
        t = t.filter(epoch(t[column]) >= int(start.timestamp()))
    if end is not None:
        t = t.filter(epoch(t[column]) < int(end.timestamp()))
    return t


def _calendars(
    source: Source, h: ibis.Table, c: ibis.Table | None, th: Thresholds
) -> tuple[Calendars, ibis.Table | None]:
    """The counted-hour calendars for the zones and days present, and H9's forbidden windows."""
    con = source.con
    cfr = h.filter(h.cfr_287_7_applies.fill_null(False))
    spans = [cfr.aggregate(lo=cfr.scheduled_release_at.min(), hi=cfr.scheduled_release_at.max())]
    zones_w = set(con.execute(cfr.select("timezone").distinct())["timezone"].dropna())
    zones_c: set[str] = set()
    if c is not None:
        spans.append(c.aggregate(lo=c.received_at.min(), hi=c.received_at.max()))
        zones_c = set(con.execute(c.select("timezone").distinct())["timezone"].dropna())
    lows, highs = [], []
    for span in spans:
        row = con.execute(span).iloc[0]
        if row["lo"] is not None and str(row["lo"]) != "NaT":
            lows.append(_aware(row["lo"]))
            highs.append(_aware(row["hi"]))
    if lows:
        first, last = day_span(min(lows), max(highs))
    else:
        first = last = datetime(2000, 1, 1, tzinfo=UTC).date()
    wd = calendar_tables(timezones=zones_c, first=first, last=last, excluded=is_weekend)
    wk = calendar_tables(timezones=zones_w, first=first, last=last, excluded=is_weekend_or_us_holiday)
    cal = Calendars(ibis.memtable(wd[0]), ibis.memtable(wd[1]), ibis.memtable(wk[0]), ibis.memtable(wk[1]))
    states = sorted({law.state for law in th.forbidding_laws})
    pairs_frame = con.execute(h.filter(h.state.isin(states)).select("state", "timezone").distinct()) if states else None
    pairs = [] if pairs_frame is None else list(zip(pairs_frame["state"], pairs_frame["timezone"], strict=True))
    rows = forbidden_windows(th, pairs=pairs)
    windows = None
    if rows:
        windows = ibis.memtable(
            pa.table(
                {
                    "w_state": [r[0] for r in rows],
                    "w_timezone": [r[1] for r in rows],
                    "w_from": pa.array([r[2] for r in rows], pa.int64()),
                    "w_until": pa.array([r[3] for r in rows], pa.int64()),
                }
            )
        )
    return cal, windows


def _aware(value: object) -> datetime:
    stamp = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    assert isinstance(stamp, datetime)
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def _finish(raw: pa.Table, th: Thresholds) -> pa.Table:
    """Findings with their instant as a UTC timestamp and their source text; worst first per rule."""
    at = pc.cast(pc.multiply(raw["at_s"].cast(pa.int64()), 1_000_000), pa.int64()).cast(INSTANT)
    source = (
        pa.array([th.sources.get(r, r) for r in raw["rule"].to_pylist()], pa.string())
        if raw.num_rows < 50_000
        else _sources_vectorized(raw["rule"], th)
    )
    table = raw.drop_columns(["at_s"]).append_column("at", at).append_column("source", source)
    return table.sort_by([("rule", "ascending"), ("excess_minutes", "descending"), ("booking_number", "ascending")])


def _sources_vectorized(rules: pa.ChunkedArray, th: Thresholds) -> pa.Array:
    keys = sorted(th.sources)
    index = pc.index_in(rules, pa.array(keys))
    return pc.take(pa.array([th.sources[k] for k in keys]), index)
