"""`wso scenario run|check FILE...`: legal scenarios as data, answered by the rules.

`run` prints every decision with its reasons; `check` compares with each file's `expect:` and
exits 1 on a mismatch, 2 on a file that cannot be run (with the error naming where and why).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

from wso.cli.options import JsonOption
from wso.rules.decision import Decision
from wso.scenarios import Answer, ScenarioError, ScenarioRun, run_file

Files = Annotated[list[Path], typer.Argument(help="Scenario YAML files (see docs/scenarios.md).", show_default=False)]

EXIT_MISMATCH = 1
EXIT_MALFORMED = 2


def register(app: typer.Typer) -> None:
    scenario_app = typer.Typer(
        help="Legal scenarios as data: facts and events in, decisions out.", no_args_is_help=True
    )
    scenario_app.command("run")(run)
    scenario_app.command("check")(check)
    app.add_typer(scenario_app, name="scenario")


def run(files: Files, as_json: JsonOption = False) -> None:
    """Answer every question of each scenario and print each decision with its cited reasons."""
    runs = _run_all(files)
    if as_json:
        typer.echo(json.dumps([_run_to_dict(r) for r in runs], indent=2))
        return
    console = Console()
    for scenario_run in runs:
        _print_run(console, scenario_run)


def check(files: Files, as_json: JsonOption = False) -> None:
    """Compare each scenario's answers with its `expect:` section; exit 1 on any mismatch."""
    runs = _run_all(files)
    if as_json:
        typer.echo(json.dumps([_run_to_dict(r) for r in runs], indent=2))
    else:
        console = Console()
        for scenario_run in runs:
            _print_check(console, scenario_run)
        passed = sum(r.passed for r in runs)
        console.print(f"{passed}/{len(runs)} scenario(s) pass.")
    if not all(r.passed for r in runs):
        raise typer.Exit(EXIT_MISMATCH)


def _run_all(files: list[Path]) -> list[ScenarioRun]:
    runs = []
    for path in files:
        try:
            runs.append(run_file(path))
        except ScenarioError as exc:
            typer.echo(f"error: {exc.message}", err=True)
            raise typer.Exit(EXIT_MALFORMED) from None
    return runs


# ---------------------------------------------------------------- rendering


def _when(instant: datetime, tz: str) -> str:
    """Local time with its offset, and UTC: what the jail reads and what the record stores."""
    local = instant.astimezone(ZoneInfo(tz)).isoformat(timespec="minutes")
    utc = instant.astimezone(UTC).isoformat(timespec="minutes").replace("+00:00", "Z")
    return f"{local} ({utc})"


def _print_run(console: Console, scenario_run: ScenarioRun) -> None:
    scenario = scenario_run.scenario
    tz = scenario.facts.facility.timezone
    console.rule(f"[bold]{scenario.title}[/bold]")
    console.print(scenario.description)
    if scenario.overrides:
        console.print(f"[yellow]What-if overrides:[/yellow] {scenario.overrides}")
    for answer in scenario_run.answers:
        _print_answer(console, answer, tz)


def _print_answer(console: Console, answer: Answer, tz: str) -> None:
    question, decision = answer.question, answer.decision
    verdict = "[green]allowed[/green]" if decision.allowed else "[red]refused[/red]"
    console.print(
        f"\n[bold]{question.id}[/bold]: {question.ask} at {_when(question.at, tz)} -> {verdict}, "
        f"status [bold]{decision.status}[/bold]"
    )
    if decision.deadlines:
        table = Table("deadline", "due (local)", "due (UTC)", "rule", "binding", box=None)
        binding = decision.binding_deadline
        for d in decision.deadlines:
            local, utc = _when(d.due, tz).split(" (")
            table.add_row(
                d.name, local, utc.rstrip(")"), d.rule, "BINDING" if d is binding else ("yes" if d.binding else "shown")
            )
        console.print(table)
    for action in decision.actions:
        due = f" by {_when(action.due, tz)}" if action.due else ""
        console.print(f"  action [{action.rule}] {action.name}{due} {action.description}")
    for key, value in decision.values.items():
        console.print(f"  value {key} = {value.isoformat() if isinstance(value, datetime) else value}")
    for reason in decision.reasons:
        mark = "[green]ok[/green]" if reason.satisfied else "[red]NO[/red]"
        used = "; ".join(
            f"{p.name}={p.value} ({p.version}{', overridden' if p.overridden else ''})" for p in reason.params
        )
        console.print(f"  {mark} [{reason.rule}] {reason.text}")
        console.print(
            f"       source: {reason.source} | confidence {reason.confidence}" + (f" | params: {used}" if used else ""),
            style="dim",
        )


def _print_check(console: Console, scenario_run: ScenarioRun) -> None:
    name = scenario_run.path.name if scenario_run.path else scenario_run.scenario.title
    if scenario_run.passed:
        console.print(f"[green]PASS[/green] {name}")
        return
    console.print(f"[red]FAIL[/red] {name}: {scenario_run.scenario.title}")
    for answer in scenario_run.answers:
        if answer.expectation is None:
            console.print(f"  {answer.question.id}: no expectation in expect: (status {answer.decision.status})")
        for mismatch in answer.mismatches:
            console.print(
                f"  {answer.question.id}.{mismatch.field}: expected {mismatch.expected!r}, actual {mismatch.actual!r}"
            )


def _run_to_dict(scenario_run: ScenarioRun) -> dict[str, Any]:
    return {
        "file": str(scenario_run.path) if scenario_run.path else None,
        "title": scenario_run.scenario.title,
        "overrides": scenario_run.scenario.overrides,
        "passed": scenario_run.passed,
        "questions": [
            {
                "id": a.question.id,
                "ask": a.question.ask,
                "at": a.question.at.isoformat(),
                "decision": _decision_dict(a.decision),
                "passed": a.passed,
                "mismatches": [
                    {"field": x.field, "expected": _plain(x.expected), "actual": _plain(x.actual)} for x in a.mismatches
                ],
            }
            for a in scenario_run.answers
        ],
    }


def _decision_dict(decision: Decision) -> dict[str, Any]:
    data = decision.to_dict()
    binding = decision.binding_deadline
    data["binding_deadline"] = binding.name if binding else None
    data["values"] = {k: _plain(v) for k, v in data["values"].items()}
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
