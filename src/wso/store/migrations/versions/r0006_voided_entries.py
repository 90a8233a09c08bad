"""Entries recorded in error: `voided_at`, `voided_by`, `void_reason` on withdrawals and exam attempts.

A correcting event (officer.entry_voided, issue 15 item 3) marks the entry; the ledger stays append-only
and the rules ignore a voided entry.

Revision ID: r0006
Revises: r0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from wso.store.base import UTCDateTime

revision = "r0006"
down_revision = "r0005"
branch_labels = None
depends_on = None

TABLES = ("withdrawals", "exam_attempts")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("voided_at", UTCDateTime(), nullable=True))
            batch.add_column(sa.Column("voided_by", sa.String(length=200), nullable=True))
            batch.add_column(sa.Column("void_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("void_reason")
            batch.drop_column("voided_by")
            batch.drop_column("voided_at")
