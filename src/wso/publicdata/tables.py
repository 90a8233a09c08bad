"""The public-data tables: snapshots imported, every row of each (a sighting), and agreements.

Snapshots and sightings are what ICE published, kept as read (trimmed), and never changed
after import. `publicdata_agreements` is derived from them (latest details and the history:
first/last seen, status) and recomputed in the same transaction as every import, so importing
snapshots in any order gives the same result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wso.store.base import Base, UTCDateTime

ID_LENGTH = 300


class Snapshot(Base):
    """One ICE spreadsheet file as imported: which list, as of when, and what was rejected."""

    __tablename__ = "publicdata_snapshots"
    __table_args__ = (UniqueConstraint("kind", "as_of", "part", name="uq_publicdata_snapshots_kind_as_of_part"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    as_of: Mapped[dt.date] = mapped_column(Date, index=True)
    part: Mapped[str] = mapped_column(String(2), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    columns: Mapped[list[str]] = mapped_column(JSON)
    rows_read: Mapped[int] = mapped_column(Integer)
    blank_rows: Mapped[int] = mapped_column(Integer)
    cells_trimmed: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSON)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.as_of.isoformat()}{(' ' + self.part) if self.part else ''}"


class Sighting(Base):
    """One row of one snapshot: one agreement as that snapshot lists it."""

    __tablename__ = "publicdata_sightings"

    snapshot_id: Mapped[int] = mapped_column(ForeignKey("publicdata_snapshots.id"), primary_key=True)
    row: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    line_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    agency_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    state: Mapped[str] = mapped_column(String(2), index=True)
    agency: Mapped[str] = mapped_column(String(ID_LENGTH))
    agency_type: Mapped[str] = mapped_column(String(100))
    county: Mapped[str] = mapped_column(String(200))
    support_type: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(3))
    signed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    signed_raw: Mapped[str | None] = mapped_column(String(100), nullable=True)
    moa: Mapped[str] = mapped_column(Text)
    moa_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    addendum: Mapped[str] = mapped_column(Text)
    addendum_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Agreement(Base):
    """One agreement across every snapshot: its latest details and its history (derived)."""

    __tablename__ = "publicdata_agreements"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    line_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    agency_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    state: Mapped[str] = mapped_column(String(2), index=True)
    agency: Mapped[str] = mapped_column(String(ID_LENGTH))
    agency_type: Mapped[str] = mapped_column(String(100))
    county: Mapped[str] = mapped_column(String(200))
    support_type: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(3), index=True)
    signed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    signed_raw: Mapped[str | None] = mapped_column(String(100), nullable=True)
    moa: Mapped[str] = mapped_column(Text)
    moa_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    addendum: Mapped[str] = mapped_column(Text)
    addendum_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    listed_pending: Mapped[bool] = mapped_column(Boolean)
    first_seen: Mapped[dt.date] = mapped_column(Date)
    last_seen: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_since: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    related_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True)


class Identity(Base):
    """Which agreement each sighting is (identity.py), how it was reached, and the fix that joined it, if any.

    Derived like `publicdata_agreements`: recomputed from all sightings and the fixes file in the
    transaction of every import (`wso publicdata relink` re-applies an edited fixes file).
    """

    __tablename__ = "publicdata_identities"

    snapshot_id: Mapped[int] = mapped_column(ForeignKey("publicdata_snapshots.id"), primary_key=True)
    row: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    reached: Mapped[str] = mapped_column(String(60))
    fix: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
