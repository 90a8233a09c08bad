"""`wso publicdata ...`: import ICE's 287(g) sheets, check state law, report, export, estimate costs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from wso.cli.options import DatabaseOption, JsonOption
from wso.settings import database_url
from wso.store.db import make_engine

publicdata_app = typer.Typer(
    help="ICE's public 287(g) sheets: import, history, state law, reports, costs.", no_args_is_help=True
)

_out = Console()
_err = Console(stderr=True, soft_wrap=True)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _fail(message: str, code: int = 1) -> typer.Exit:
    _err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    return typer.Exit(code)


@publicdata_app.command("import")
def import_command(
    files: Annotated[
        list[Path] | None, typer.Argument(help="ICE sheets (.xlsx), as published; several build a history.")
    ] = None,
    database: DatabaseOption = None,
    json_output: JsonOption = False,
    skip_bad_rows: Annotated[
        bool,
        typer.Option("--skip-bad-rows", help="Import the other rows of a file with rejected rows (they are recorded)."),
    ] = False,
    kind: Annotated[
        str | None, typer.Option(help="participating or pending, for a file not named as ICE names them.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Sheet date YYYY-MM-DD, for a file not named as ICE names them.")
    ] = None,
    shipped: Annotated[
        bool, typer.Option("--shipped", help="Also import the ICE sheets shipped with wso (idempotent; `make run`).")
    ] = False,
) -> None:
    """Import ICE "participating agencies" / "pending agencies" sheets, all in one transaction.

    If any file is unreadable or has a rejected row, nothing is written and every problem is listed.
    """
    from wso.publicdata.importer import ImportRefused, MissingSchema, import_sheets, shipped_sheets

    files = [*(shipped_sheets() if shipped else []), *(files or [])]
    if not files:
        raise _fail("FILES: give at least one ICE sheet (.xlsx), or --shipped for the sheets shipped with wso", 2)
    if kind not in (None, "participating", "pending"):
        raise _fail(f"--kind: {kind!r} is not 'participating' or 'pending'", 2)
    try:
        sheet_date = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise _fail(f"--as-of: {as_of!r} is not a date YYYY-MM-DD", 2) from None
    engine = make_engine(database_url(database))
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=_err, transient=True, disable=len(files) < 2,
    )  # fmt: skip
    try:
        with progress:
            task = progress.add_task("reading sheets", total=len(files))
            summaries = import_sheets(
                engine=engine,
                paths=files,
                now=dt.datetime.now(dt.UTC),
                skip_bad_rows=skip_bad_rows,
                kind=kind,  # type: ignore[arg-type]
                as_of=sheet_date,
                on_file=lambda name: progress.update(task, advance=1, description=f"read {name}"),
            )
    except MissingSchema as exc:
        raise _fail(str(exc)) from None
    except ImportRefused as exc:
        if json_output:
            for summary in exc.summaries:
                print(json.dumps(summary.to_dict(), ensure_ascii=False))
        _err.print(f"[red]import refused, nothing written[/red] ({len(exc.problems)} problem(s)):", highlight=False)
        for problem in exc.problems:
            _err.print(f"  {problem}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    if json_output:
        for summary in summaries:
            print(json.dumps(summary.to_dict(), ensure_ascii=False))
        return
    table = Table("file", "status", "as of", "rows", "agreements", "by model", "states", "rejected", "flagged")
    for s in summaries:
        table.add_row(
            s.file, s.status, s.as_of.isoformat() if s.as_of else "", str(s.rows_read), str(s.agreements),
            ", ".join(f"{k}: {v}" for k, v in s.by_model.items()),
            str(s.states),
            str(len(s.rejected)),
            str(len(s.flagged)),
        )  # fmt: skip
    _out.print(table)
    for s in summaries:
        for issue in (*s.rejected, *s.flagged):
            _err.print(f"{s.file}: {issue}", markup=False, highlight=False)


@publicdata_app.command("report")
def report_command(
    database: DatabaseOption = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write a standalone HTML report (charts as SVG, works offline).")
    ] = None,
    csv: Annotated[
        Path | None,
        typer.Option(
            "--csv", help="Write CSV files into this folder (agreements, by state, by month, growth, changes)."
        ),
    ] = None,
    parquet: Annotated[Path | None, typer.Option("--parquet", help="Write the agreements as one Parquet file.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Counts by model, state and month, growth and changes between sheets, contradictions with state law."""
    import pandas as pd

    from wso.publicdata import charts, reports
    from wso.publicdata.exports import CHANGE_COLUMNS, rows_of, to_csv, to_parquet
    from wso.publicdata.importer import MissingSchema, require_schema
    from wso.store.db import session_factory

    engine = make_engine(database_url(database))
    try:
        require_schema(engine)
        with session_factory(engine)() as session:
            data = reports.overview(session)
            growth = reports.growth(session)
            monthly = reports.signed_by_month(session)
            rows = rows_of(reports.agreements(session))
            change_rows = reports.change_rows(reports.snapshot_changes(session))
    except MissingSchema as exc:
        raise _fail(str(exc)) from None
    finally:
        engine.dispose()
    if csv is not None:
        csv.mkdir(parents=True, exist_ok=True)
        (csv / "agreements.csv").write_bytes(to_csv(rows))
        pd.DataFrame(data["by_state"]).to_csv(csv / "by_state.csv", index=False)
        pd.DataFrame(monthly).to_csv(csv / "signed_by_month.csv", index=False)
        pd.DataFrame(growth).to_csv(csv / "growth.csv", index=False)
        pd.DataFrame(change_rows, columns=list(CHANGE_COLUMNS)).to_csv(csv / "changes.csv", index=False)
        _err.print(f"wrote 5 CSV files to {csv}")
    if parquet is not None:
        parquet.write_bytes(to_parquet(rows))
        _err.print(f"wrote {len(rows)} agreements to {parquet}")
    if html is not None:
        divs = []
        if data["agreements"]:
            divs = [
                charts.to_svg(
                    charts.models_chart(data["agreements_by_model"], title="Agreements by model"), div_id="models"
                ),
                charts.to_svg(charts.growth_chart(growth, title="Agreements on each ICE sheet"), div_id="growth"),
                charts.to_svg(charts.monthly_chart(monthly, title="Agreements signed per month"), div_id="monthly"),
                charts.to_svg(charts.states_chart(data["by_state"], title="Agreements by state"), div_id="states"),
            ]
        from wso.http.templating import templates

        page = templates.get_template("publicdata/report.html").render(data=data, charts=divs)
        html.write_text(page, encoding="utf-8")
        _err.print(f"wrote {html}")
    if json_output:
        _print_json(data)
    elif html is None and csv is None and parquet is None:
        table = Table(
            "state",
            "Task Force Model",
            "Warrant Service Officer",
            "Jail Enforcement Model",
            "total",
            title=f"ICE sheet of {data['latest_participating']}",
        )
        for s in data["by_state"]:
            table.add_row(s["name"], str(s["TFM"]), str(s["WSO"]), str(s["JEM"]), str(s["total"]))
        _out.print(table)
        for c in data["changes"]:
            _out.print(_summary_line(c))
        _out.print(f"agreements contradicting state law on their signing date: {len(data['contradictions'])}")


@publicdata_app.command("changes")
def changes_command(database: DatabaseOption = None, json_output: JsonOption = False) -> None:
    """What changed between consecutive sheets of each list: added, ended, renamed, signing date corrected, re-signed.

    One agreement keeps its identity across a respelling, a rename or a corrected signing date (thresholds
    in params/publicdata, manual decisions in the fixes file); doubtful pairs are listed for review, not joined.
    """
    from wso.publicdata import reports
    from wso.publicdata.importer import MissingSchema, require_schema
    from wso.store.db import session_factory

    engine = make_engine(database_url(database))
    try:
        require_schema(engine)
        with session_factory(engine)() as session:
            steps = reports.snapshot_changes(session)
    except MissingSchema as exc:
        raise _fail(str(exc)) from None
    finally:
        engine.dispose()
    if json_output:
        for step in steps:
            print(json.dumps(step.to_dict(), ensure_ascii=False, default=str))
        return
    for step in steps:
        c = step.to_dict(rows=False)
        table = Table("class", "agreement", "before", "after", "evidence", title=_summary_line(c))
        for r in step.rows:
            if r.classes != ("added",):
                table.add_row("+".join(r.classes), r.agreement_id, _cells(r.before), _cells(r.after), r.evidence)
        _out.print(table)
        _out.print(f"added: {c['added']} (listed with --json)")
        for item in step.review:
            rows = " | ".join(_cells(x) for x in item.rows)
            _out.print(f"for review, not joined: {item.reason}: {rows}", markup=False)


def _summary_line(c: dict[str, Any]) -> str:
    """One step's counts in words (the same keys as --json)."""
    return (
        f"{c['list']} {c['from']} -> {c['to']}: added {c['added']}, ended {c['ended']}, renamed {c['renamed']}, "
        f"signing date corrected {c['signing_date_corrected']}, re-signed {c['re_signed']}, for review {c['review']}"
    )


def _cells(cells: dict[str, Any] | None) -> str:
    if not cells:
        return ""
    return f"{cells['agency']}, signed {cells['signed']}, MOA {cells['moa']} ({cells['sheet']} row {cells['row']})"


@publicdata_app.command("relink")
def relink_command(database: DatabaseOption = None) -> None:
    """Recompute every agreement's identity and history, e.g. after editing the fixes file (one transaction)."""
    from wso.publicdata.importer import MissingSchema, rebuild_agreements, require_schema
    from wso.store.db import session_factory

    engine = make_engine(database_url(database))
    try:
        require_schema(engine)
        with session_factory(engine).begin() as session:
            linking = rebuild_agreements(session)
    except MissingSchema as exc:
        raise _fail(str(exc)) from None
    finally:
        engine.dispose()
    _err.print(f"relinked: {len(set(linking.identity.values()))} agreements from {len(linking.identity)} sheet rows")


@publicdata_app.command("eligibility")
def eligibility_command(
    state: Annotated[str, typer.Argument(help="Two-letter state code, e.g. FL.")],
    model: Annotated[str, typer.Argument(help="WSO, JEM, TFM, BOA or detainer.")],
    on: Annotated[str | None, typer.Option(help="Date YYYY-MM-DD (default: today).")] = None,
    json_output: JsonOption = False,
) -> None:
    """May, must or must not an agency in STATE take part in MODEL on a date (rule A8), with citations."""
    from wso.publicdata.checks import law_check
    from wso.publicdata.states import STATE_NAMES

    code = state.upper()
    if code not in STATE_NAMES:
        raise _fail(f"STATE: {state!r} is not a two-letter US state or territory code", 2)
    if model.upper() not in ("WSO", "JEM", "TFM", "BOA", "DETAINER"):
        raise _fail(f"MODEL: {model!r} is not one of WSO, JEM, TFM, BOA, detainer", 2)
    try:
        day = dt.date.fromisoformat(on) if on else _today()
    except ValueError:
        raise _fail(f"--on: {on!r} is not a date YYYY-MM-DD", 2) from None
    result = law_check(state=code, model="detainer" if model.upper() == "DETAINER" else model.upper(), on=day)
    if json_output:
        _print_json(result)
        return
    _out.print(f"{code} {result['model']} on {result['on']}: [bold]{result['status']}[/bold]")
    for reason in result["reasons"]:
        _out.print(
            f"  [{reason['rule']}] {reason['text']} (source: {reason['source']}, confidence {reason['confidence']})",
            markup=False,
        )


@publicdata_app.command("cost")
def cost_command(
    holds_per_month: Annotated[float, typer.Option(help="Holds for ICE expected per month.")] = 10,
    officers: Annotated[int, typer.Option(help="Officers to train and authorize.")] = 4,
    hourly_wage: Annotated[float, typer.Option(help="Loaded hourly wage of an officer, USD.")] = 35,
    hours_per_hold: Annotated[float, typer.Option(help="Hours a person stays in the jail per hold.")] = 24,
    staff_hours_per_hold: Annotated[float, typer.Option(help="Officer hours spent on each hold.")] = 1,
    daily_cost: Annotated[float, typer.Option(help="The jail's own cost of a bed-day, USD.")] = 0,
    igsa_bed_rate: Annotated[float | None, typer.Option(help="IGSA per-diem bed rate, USD (omit: no IGSA).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Yearly cost under WSO (no payment per hold), BOA ($50 per hold, confidence M) and an IGSA bed rate."""
    from pydantic import ValidationError

    from wso.publicdata.costs import CostInput, estimate

    try:
        given = CostInput(
            holds_per_month=holds_per_month,
            officers=officers,
            hourly_wage_usd=hourly_wage,
            hours_per_hold=hours_per_hold,
            staff_hours_per_hold=staff_hours_per_hold, lea_daily_cost_usd=daily_cost, igsa_bed_rate_usd=igsa_bed_rate,
        )  # fmt: skip
    except ValidationError as exc:
        first = exc.errors()[0]
        raise _fail(f"{first['loc'][0]}: {first['msg']}", 2) from None
    result = estimate(given, on=_today())
    if not result["ok"]:
        raise _fail(result["error"], 2)
    if json_output:
        _print_json(result)
        return
    table = Table("program", "training", "officer time", "detention", "paid by ICE", "net per year")
    for name, v in result["programs"].items():
        table.add_row(
            name,
            *(
                f"${v[k]:,.2f}"
                for k in ("training_usd", "officer_time_usd", "detention_usd", "reimbursement_usd", "net_usd")
            ),
        )
    _out.print(table)
    _out.print("assumptions: " + ", ".join(f"{k}={v}" for k, v in result["assumptions"].items()), markup=False)
    for reason in result["reasons"]:
        _out.print(f"  [{reason['rule']}] {reason['text']} (confidence {reason['confidence']})", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(publicdata_app, name="publicdata")


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
