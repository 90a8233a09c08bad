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

publicdata_app = typer.Typer(help="ICE's public 287(g) sheets: import, history, state law, reports, costs.", no_args_is_help=True)

_out = Console()
_err = Console(stderr=True, soft_wrap=True)


def _today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def _fail(message: str, code: int = 1) -> typer.Exit:
    _err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    return typer.Exit(code)


@publicdata_app.command("import")
def import_command(
    files: Annotated[list[Path], typer.Argument(help="ICE sheets (.xlsx), as published; several build a history.")],
    database: DatabaseOption = None,
    json_output: JsonOption = False,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Import the other rows of a file with rejected rows (they are recorded).")
    ] = False,
    kind: Annotated[str | None, typer.Option(help="participating or pending, for a file not named as ICE names them.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Sheet date YYYY-MM-DD, for a file not named as ICE names them.")] = None,
) -> None:
    """Import ICE "participating agencies" / "pending agencies" sheets, all in one transaction.

    If any file is unreadable or has a rejected row, nothing is written and every problem is listed.
    """
    from wso.publicdata.importer import ImportRefused, MissingSchema, import_sheets

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
                now=dt.datetime.now(dt.timezone.utc),
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
            ", ".join(f"{k}: {v}" for k, v in s.by_model.items()), str(s.states), str(len(s.rejected)), str(len(s.flagged)),
        )  # fmt: skip
    _out.print(table)
    for s in summaries:
        for issue in (*s.rejected, *s.flagged):
            _err.print(f"{s.file}: {issue}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(publicdata_app, name="publicdata")


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
