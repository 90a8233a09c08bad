"""D1 labels for the record views: "MOA record under ICE control" or "state record", from the cited
`records.labels` parameter (rules.records), on the local day of the question."""

from __future__ import annotations

from datetime import datetime

from wso.rules.clock import local_date
from wso.rules.records import LABELS, record_label
from wso.services.asking import ask


def label_text(kind: str, *, at: datetime, tz: str) -> str:
    """The D1 label of a record of `kind`, in words, as the view shows it."""
    return LABELS[ask(record_label, kind, on=local_date(at, tz=tz))]
