"""Officers: O1's fourth attestation, "has enforced rules and regulations governing inmate
accountability and conduct". Officers nominated before it read as not attested.

Revision ID: r0003
Revises: r0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision = "r0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.add_column(sa.Column("inmate_conduct_attested", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("inmate_conduct_attested")
