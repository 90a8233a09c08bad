"""Public data: each sighting's agreement identity across ICE's sheets (renames, corrected dates, fixes).

The table starts empty; on a database already holding sheets, the next `wso publicdata import`
(any file, even one already imported; `make run` does it) or `wso publicdata relink` fills it.

Revision ID: p0002
Revises: p0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "p0002"
down_revision = "p0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publicdata_identities",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.String(300), nullable=False),
        sa.Column("reached", sa.String(60), nullable=False),
        sa.Column("fix", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["publicdata_snapshots.id"],
            name="fk_publicdata_identities_snapshot_id_publicdata_snapshots",
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "row", name="pk_publicdata_identities"),
    )
    op.create_index("ix_publicdata_identities_agreement_id", "publicdata_identities", ["agreement_id"])


def downgrade() -> None:
    op.drop_index("ix_publicdata_identities_agreement_id", table_name="publicdata_identities")
    op.drop_table("publicdata_identities")
