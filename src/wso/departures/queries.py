"""A record's departures from `should` rules as of an instant, each with its recorded reason or none."""

from __future__ import annotations

from pydantic import Field

from wso.departures import service as departures
from wso.services.commands.queries import AsOf, Query
from wso.services.fields import Text


class ShowDepartures(AsOf):
    service = departures.departures_view

    entity: Text = Field(description="agreement, officer or complaint")
    entity_id: Text = Field(description="the record's id")


ALL: tuple[type[Query], ...] = (ShowDepartures,)
