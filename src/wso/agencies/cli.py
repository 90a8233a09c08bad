"""The agencies' operations at the terminal, `wso records list-agencies|agency-view|create-agency|
add-facility|export-agency-records`: how their answers look (the options come from the query and
command classes; sign-in and running are wso.cli.operations_cmd's)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from wso.agencies import commands as c
from wso.agencies import queries as q
from wso.agencies.export import RecordsExport
from wso.cli.records_cmd import render_rows


def render_export(result: RecordsExport) -> None:
    """The export is the records themselves: JSON, each labelled MOA record or state record (D1)."""
    print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))


RENDERERS: dict[type, Callable[[Any], None]] = {
    q.ListAgencies: render_rows(("id", "name", "state", "timezone"), lambda a: (a.id, a.name, a.state, a.timezone)),
    c.ExportAgencyRecords: render_export,
}
