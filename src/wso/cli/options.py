"""Options every command shares, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="Database URL (default: WSO_DATABASE_URL, else sqlite:///var/wso.sqlite3).",
        show_default=False,
    ),
]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
