"""Custody holds (issue 12): the hold projection (one row per hold, with its stored decision
summary), the facilities' detention agreements (IGSA / BOA, H5 K2 K3) and the agencies' written
release-processing standards (H3). Depends on the records branch for agencies, facilities and
agreements.

Revision ID: h0001
Revises:
Create Date: 2026-11-26 10:32:41.775373
"""

import sqlalchemy as sa
from alembic import op

revision = "h0001"
down_revision = None
branch_labels = ("holds",)
depends_on = "r0002"


def upgrade() -> None:
    op.create_table(
        "release_standards",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("agency_id", sa.String(length=36), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_release_standards_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_standards")),
    )
    with op.batch_alter_table("release_standards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_release_standards_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "detention_agreements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("facility_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bed_rate_usd_per_day", sa.Float(), nullable=True),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name=op.f("fk_detention_agreements_facility_id_facilities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detention_agreements")),
        sa.UniqueConstraint("facility_id", "number", name="uq_detention_agreements_facility_number"),
    )
    with op.batch_alter_table("detention_agreements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_detention_agreements_facility_id"), ["facility_id"], unique=False)

    op.create_table(
        "holds",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agency_id", sa.String(length=36), nullable=False),
        sa.Column("facility_id", sa.String(length=36), nullable=False),
        sa.Column("agreement_id", sa.String(length=36), nullable=False),
        sa.Column("booking_number", sa.String(length=64), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("booking_date", sa.Date(), nullable=False),
        sa.Column("scheduled_release_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("warrant_form", sa.String(length=8), nullable=True),
        sa.Column("warrant_number", sa.String(length=64), nullable=True),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column("binding_deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("binding_deadline_name", sa.String(length=32), nullable=True),
        sa.Column("binding_rule", sa.String(length=8), nullable=True),
        sa.Column("next_action", sa.String(length=64), nullable=True),
        sa.Column("next_action_role", sa.String(length=16), nullable=True),
        sa.Column("next_action_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_action_rule", sa.String(length=8), nullable=True),
        sa.Column("flag_citizenship_open", sa.Boolean(), nullable=False),
        sa.Column("flag_ice_not_notified", sa.Boolean(), nullable=False),
        sa.Column("flag_past_deadline", sa.Boolean(), nullable=False),
        sa.Column("rule_ids", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_holds_agency_id_agencies")),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], name=op.f("fk_holds_agreement_id_agreements")),
        sa.ForeignKeyConstraint(["facility_id"], ["facilities.id"], name=op.f("fk_holds_facility_id_facilities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holds")),
        sa.UniqueConstraint("agency_id", "booking_number", name="uq_holds_agency_booking_number"),
    )
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holds_active"), ["active"], unique=False)
        batch_op.create_index(batch_op.f("ix_holds_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index("ix_holds_board", ["agency_id", "active", "flag_past_deadline", "sort_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_holds_facility_id"), ["facility_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_holds_next_due_at"), ["next_due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_holds_sort_at"), ["sort_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_holds_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holds_status"))
        batch_op.drop_index(batch_op.f("ix_holds_sort_at"))
        batch_op.drop_index(batch_op.f("ix_holds_next_due_at"))
        batch_op.drop_index(batch_op.f("ix_holds_facility_id"))
        batch_op.drop_index("ix_holds_board")
        batch_op.drop_index(batch_op.f("ix_holds_agency_id"))
        batch_op.drop_index(batch_op.f("ix_holds_active"))

    op.drop_table("holds")
    with op.batch_alter_table("detention_agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_detention_agreements_facility_id"))

    op.drop_table("detention_agreements")
    with op.batch_alter_table("release_standards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_release_standards_agency_id"))

    op.drop_table("release_standards")
