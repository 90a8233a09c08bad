"""Departure reasons: the reason recorded for a `should` rule missed on a record (issue 10, item 7).

Revision ID: r0005
Revises: r0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from wso.store.base import UTCDateTime

revision = "r0005"
down_revision = "r0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departure_reasons",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("rule", sa.String(length=10), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_departure_reasons_entity_id"), "departure_reasons", ["entity_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_departure_reasons_entity_id"), table_name="departure_reasons")
    op.drop_table("departure_reasons")
