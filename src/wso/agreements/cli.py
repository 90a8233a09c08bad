"""The agreements' operations at the terminal (`wso records list-agreements|agreement-view|
create-agreement|record-signature|record-notice|...`): how their answers look (the options come
from the query and command classes; sign-in and running are wso.cli.operations_cmd's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wso.agreements import queries as q
from wso.cli.records_cmd import render_rows

RENDERERS: dict[type, Callable[[Any], None]] = {
    q.ListAgreements: render_rows(
        ("id", "model", "template", "status"), lambda a: (a.id, a.model, a.template, a.status.status)
    ),
}
