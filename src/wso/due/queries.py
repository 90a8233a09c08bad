"""What is due for an agency as of an instant, earliest deadline first."""

from __future__ import annotations

from wso.due import service as due
from wso.services.commands.queries import AsOf, Query


class WhatIsDue(AsOf):
    service = due.what_is_due
    ids = ("agency_id",)


ALL: tuple[type[Query], ...] = (WhatIsDue,)
