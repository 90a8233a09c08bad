"""Worker: durable alerts (due items), their per-channel deliveries, and the producers' cursor.

Revision ID: w0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "w0001"
down_revision = None
branch_labels = ("worker",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("stream", sa.String(200), nullable=False),
        sa.Column("agency_id", sa.String(36), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.UniqueConstraint("key", name="uq_alerts_key"),
    )
    op.create_index("ix_alerts_due", "alerts", ["fired_at", "cancelled_at", "due_at"])
    op.create_index("ix_alerts_stream", "alerts", ["stream"])
    op.create_index("ix_alerts_agency_id", "alerts", ["agency_id"])
    op.create_table(
        "alert_deliveries",
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        sa.Column("claim_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name="fk_alert_deliveries_alert_id_alerts"),
        sa.PrimaryKeyConstraint("alert_id", "channel", name="pk_alert_deliveries"),
        sa.UniqueConstraint("idempotency_key", name="uq_alert_deliveries_idempotency_key"),
    )
    op.create_index("ix_alert_deliveries_pending", "alert_deliveries", ["state", "next_attempt_at"])
    op.create_table(
        "worker_cursors",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("last_event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reconciled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_worker_cursors"),
    )


def downgrade() -> None:
    op.drop_table("worker_cursors")
    op.drop_index("ix_alert_deliveries_pending", table_name="alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_index("ix_alerts_agency_id", table_name="alerts")
    op.drop_index("ix_alerts_stream", table_name="alerts")
    op.drop_index("ix_alerts_due", table_name="alerts")
    op.drop_table("alerts")
