"""Public data: ICE sheet snapshots, their rows (sightings) and the derived agreements.

Revision ID: p0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "p0001"
down_revision = None
branch_labels = ("publicdata",)
depends_on = None

ID = 300


def upgrade() -> None:
    op.create_table(
        "publicdata_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("part", sa.String(2), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("blank_rows", sa.Integer(), nullable=False),
        sa.Column("cells_trimmed", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_publicdata_snapshots"),
        sa.UniqueConstraint("sha256", name="uq_publicdata_snapshots_sha256"),
        sa.UniqueConstraint("kind", "as_of", "part", name="uq_publicdata_snapshots_kind_as_of_part"),
    )
    op.create_index("ix_publicdata_snapshots_as_of", "publicdata_snapshots", ["as_of"])

    detail_columns = lambda: [  # noqa: E731  (the same row details in both tables)
        sa.Column("line_id", sa.String(ID), nullable=False),
        sa.Column("agency_id", sa.String(ID), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("agency", sa.String(ID), nullable=False),
        sa.Column("agency_type", sa.String(100), nullable=False),
        sa.Column("county", sa.String(200), nullable=False),
        sa.Column("support_type", sa.String(40), nullable=False),
        sa.Column("model", sa.String(3), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("signed_raw", sa.String(100), nullable=True),
        sa.Column("moa", sa.Text(), nullable=False),
        sa.Column("moa_url", sa.Text(), nullable=True),
        sa.Column("addendum", sa.Text(), nullable=False),
        sa.Column("addendum_url", sa.Text(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
    ]
    op.create_table(
        "publicdata_sightings",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.String(ID), nullable=False),
        *detail_columns(),
        sa.PrimaryKeyConstraint("snapshot_id", "row", name="pk_publicdata_sightings"),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["publicdata_snapshots.id"],
            name="fk_publicdata_sightings_snapshot_id_publicdata_snapshots",
        ),
    )
    for column in ("agreement_id", "line_id", "agency_id", "state"):
        op.create_index(f"ix_publicdata_sightings_{column}", "publicdata_sightings", [column])

    op.create_table(
        "publicdata_agreements",
        sa.Column("id", sa.String(ID), nullable=False),
        *detail_columns(),
        sa.Column("listed_pending", sa.Boolean(), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.Column("last_seen", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_since", sa.Date(), nullable=True),
        sa.Column("related_id", sa.String(ID), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_publicdata_agreements"),
    )
    for column in ("line_id", "agency_id", "state", "model", "status"):
        op.create_index(f"ix_publicdata_agreements_{column}", "publicdata_agreements", [column])


def downgrade() -> None:
    op.drop_table("publicdata_agreements")
    op.drop_table("publicdata_sightings")
    op.drop_table("publicdata_snapshots")
