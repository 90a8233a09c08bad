"""Access log: `at` is when a read happened; `as_of` the instant the reader asked about.

Revision ID: r0002
Revises: r0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_log") as batch:
        batch.add_column(sa.Column("as_of", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("access_log") as batch:
        batch.drop_column("as_of")
