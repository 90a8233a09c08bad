"""`wso audit ...` (run, publish, load) and `wso synth holds`: the compliance audit (issue 13).

Heavy libraries (Ibis, DuckDB, PySpark) are imported inside the commands, so other `wso` commands
and the web app never load them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

audit_app = typer.Typer(
    help="Compliance audit of holds and complaints: findings, what-if, public report.", no_args_is_help=True
)
synth_app = typer.Typer(help="Synthetic records for tests and benchmarks (no real person).", no_args_is_help=True)

_out = Console()
_err = Console(stderr=True, soft_wrap=True)
FORMATS = ("json", "html", "csv", "parquet")
SHOWN_BAD_ROWS = 20

SourceOption = Annotated[
    str,
    typer.Option(
        "--source",
        help="holds.parquet|csv, a directory holding holds.* and "
        "complaints.*, or a database URL (tables audit_holds, audit_complaints).",
    ),
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Audit holds released from this date or instant "
        "(YYYY-MM-DD is UTC midnight; an instant needs its offset).",
    ),
]
ToOption = Annotated[str | None, typer.Option("--to", help="... up to (not including) this date or instant.")]
EngineOption = Annotated[str, typer.Option("--engine", help="duckdb (embedded, default) or spark, for file sources.")]


def _fail(message: str, code: int = 2) -> typer.Exit:
    _err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    return typer.Exit(code)


def parse_instant(text: str | None, *, option: str) -> dt.datetime | None:
    """A date (UTC midnight) or an instant with its UTC offset; a naive instant is refused."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(0), tzinfo=dt.UTC)
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _fail(f"{option}: {text!r} is not a date YYYY-MM-DD or an ISO instant") from None
    if value.tzinfo is None:
        raise _fail(f"{option}: {text!r} has no UTC offset (write e.g. {text}+00:00)")
    return value


def parse_overrides(settings: list[str]) -> dict[str, Any]:
    """`--set name=value` pairs; values are read as YAML scalars (24, 1.5, null, [I-200])."""
    import yaml

    from wso.params import default_params

    params = default_params()
    overrides: dict[str, Any] = {}
    for item in settings:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise _fail(f"--set: {item!r} is not name=value (e.g. hold.max_hours=24)")
        if name not in params:
            raise _fail(f"--set: {name!r} is not a parameter (see `wso rules`)")
        overrides[name] = yaml.safe_load(raw)
    return overrides


@audit_app.command("run")
def run_command(
    source: SourceOption,
    start: FromOption = None,
    end: ToOption = None,
    fmt: Annotated[
        str, typer.Option("--format", help="json (counts), html (report), csv or parquet (findings).")
    ] = "json",
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output.")] = None,
    settings: Annotated[
        list[str] | None, typer.Option("--set", help="What-if: name=value, repeatable (e.g. --set hold.max_hours=24).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Measure open holds up to this instant (default: --to, else now).")
    ] = None,
    engine: EngineOption = "duckdb",
) -> None:
    """Audit hold and complaint records: every finding (must) and departure (should), by rule."""
    if fmt not in FORMATS:
        raise _fail(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "parquet" and out is None:
        raise _fail("--out: a Parquet report needs a file to write")
    window = (parse_instant(start, option="--from"), parse_instant(end, option="--to"))
    measured = parse_instant(as_of, option="--as-of")
    overrides = parse_overrides(settings or [])
    from wso.audit.report import json_report, write_findings, write_html
    from wso.audit.run import run_audit
    from wso.audit.sources import SourceError, open_source
    from wso.params import default_params

    runs = 2 if overrides else 1
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
        disable=not _err.is_terminal,
    ) as progress:
        task = progress.add_task("opening the source", total=runs * 6 + 1)

        def step(text: str) -> None:
            progress.update(task, description=text, advance=1)

        try:
            opened = open_source(source, engine=engine)
            step("opened")
            baseline = run_audit(
                opened, params=default_params(), start=window[0], end=window[1], as_of=measured, step=step
            )
            what_if = None
            if overrides:
                what_if = run_audit(
                    opened,
                    params=default_params().with_overrides(overrides),
                    start=window[0],
                    end=window[1],
                    as_of=measured,
                    step=step,
                )
        except (SourceError, ValueError) as exc:
            raise _fail(str(exc)) from None
    _report_bad_rows(baseline)
    if fmt == "json":
        text = json.dumps(json_report(baseline, what_if=what_if, overrides=overrides), indent=2) + "\n"
        _emit(text, out)
    elif fmt == "html":
        html = write_html(baseline, what_if=what_if, overrides=overrides, source=opened.description)
        _emit(html, out)
    else:
        write_findings(baseline, fmt=fmt, out=out)


def _report_bad_rows(result: Any) -> None:
    if not result.rejected:
        return
    _err.print(f"{result.rejected} bad input row(s) left out of the audit:", highlight=False)
    for error in result.errors[:SHOWN_BAD_ROWS]:
        _err.print(f"  {error}", highlight=False, markup=False)
    if result.rejected > SHOWN_BAD_ROWS:
        _err.print(f"  ... and {result.rejected - SHOWN_BAD_ROWS} more (all are listed in --format json)")


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        _err.print(f"wrote {out}")


@audit_app.command("publish")
def publish_command(
    source: SourceOption,
    out: Annotated[Path, typer.Option("--out", help="Directory for the public tables (CSV and JSON).")],
    start: FromOption = None,
    end: ToOption = None,
    by: Annotated[str, typer.Option("--by", help="Rows of the public table: agency or facility.")] = "facility",
    engine: EngineOption = "duckdb",
) -> None:
    """Aggregates the public may see: counts by rule, small cells (1-10) shown as "<11", complementary
    cells suppressed so no hidden count can be worked out from the totals; no booking number, name or
    officer identity."""
    if by not in ("agency", "facility"):
        raise _fail(f"--by: {by!r} is not agency or facility")
    window = (parse_instant(start, option="--from"), parse_instant(end, option="--to"))
    from wso.audit.publish import publish
    from wso.audit.run import run_audit
    from wso.audit.sources import SourceError, open_source
    from wso.params import default_params

    try:
        result = run_audit(open_source(source, engine=engine), params=default_params(), start=window[0], end=window[1])
    except (SourceError, ValueError) as exc:
        raise _fail(str(exc)) from None
    written = publish(result, by=by, out=out)
    for path in written:
        _err.print(f"wrote {path}")


@audit_app.command("load")
def load_command(
    source: Annotated[Path, typer.Option("--source", help="Directory holding holds.parquet (and complaints.parquet).")],
    database: Annotated[str, typer.Option("--database", help="PostgreSQL or SQLite URL to load into.")],
) -> None:
    """Load exported records into a database as audit_holds / audit_complaints (replacing them)."""
    from wso.audit.load import load_records

    if not (source / "holds.parquet").exists():
        raise _fail(f"--source: {source} holds no holds.parquet")
    counts = load_records(database, source)
    sys.stdout.write(json.dumps(counts) + "\n")


@audit_app.command("export")
def export_command(
    database: Annotated[str, typer.Option("--database", help="The live wso database URL.")],
    out: Annotated[Path, typer.Option("--out", help="Directory for holds.parquet and complaints.parquet.")],
) -> None:
    """Flatten every hold and complaint of a live database from its ledger into holds.parquet and
    complaints.parquet (docs/audit.md schemas)."""
    import pyarrow.parquet as pq

    from wso.audit.flatten import flatten, flatten_complaints
    from wso.store.uow import Store

    store = Store(database)
    try:
        table = flatten(store)
        complaints = flatten_complaints(store)
    finally:
        store.dispose()
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out / "holds.parquet")
    pq.write_table(complaints, out / "complaints.parquet")
    sys.stdout.write(json.dumps({"holds": table.num_rows, "complaints": complaints.num_rows}) + "\n")


@synth_app.command("holds")
def synth_command(
    count: Annotated[int, typer.Option("--count", min=1, help="Number of hold records.")],
    out: Annotated[Path, typer.Option("--out", help="Directory for holds.parquet, complaints.parquet, manifest.json.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same records.")] = 0,
) -> None:
    """Synthetic hold records with a known, seeded number of each finding (manifest.json)."""
    from wso.audit.synth import write_synthetic

    manifest = write_synthetic(count=count, seed=seed, out=out)
    sys.stdout.write(json.dumps({"findings": manifest["findings"], "departures": manifest["departures"]}) + "\n")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
    app.add_typer(synth_app, name="synth")
