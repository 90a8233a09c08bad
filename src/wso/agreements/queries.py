"""The agreements' reads: an agency's agreements and one agreement, as of an instant."""

from __future__ import annotations

from wso.agreements import service as agreements
from wso.services.commands.queries import AsOf, Query


class ListAgreements(AsOf):
    service = agreements.list_agreements
    ids = ("agency_id",)


class ShowAgreement(AsOf):
    service = agreements.agreement_view
    ids = ("agreement_id",)


ALL: tuple[type[Query], ...] = (ListAgreements, ShowAgreement)
