"""Records: the ledger (events, checkpoints) and the projections of agencies, agreements,
officers, complaints, users and API tokens (issue 3). On PostgreSQL, triggers refuse UPDATE,
DELETE and TRUNCATE on the ledger tables: the ledger is append-only by construction.

Revision ID: r0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision = None
branch_labels = ("records",)
depends_on = None


LEDGER_TABLES = ("ledger_events", "ledger_checkpoints")

REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION wso_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""


def _create_append_only_triggers() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no roles to protect against; `wso ledger verify` still detects edits
    op.execute(REFUSE_FUNCTION)
    for table in LEDGER_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION wso_ledger_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION wso_ledger_append_only()"
        )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in LEDGER_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION IF EXISTS wso_ledger_append_only()")


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("agency_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    op.create_index(op.f("ix_access_log_at"), "access_log", ["at"], unique=False)
    op.create_index(op.f("ix_access_log_entity_id"), "access_log", ["entity_id"], unique=False)
    op.create_table(
        "agencies",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("name", name=op.f("uq_agencies_name")),
    )
    op.create_table(
        "ledger_checkpoints",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("last_event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("stream_count", sa.Integer(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_checkpoints")),
        sa.UniqueConstraint("hash", name=op.f("uq_ledger_checkpoints_hash")),
        sa.UniqueConstraint("seq", name=op.f("uq_ledger_checkpoints_seq")),
    )
    op.create_table(
        "ledger_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("stream", sa.String(length=200), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_ledger_events_hash")),
        sa.UniqueConstraint("stream", "seq", name="uq_ledger_events_stream_seq"),
    )
    op.create_index(op.f("ix_ledger_events_at"), "ledger_events", ["at"], unique=False)
    op.create_index(op.f("ix_ledger_events_type"), "ledger_events", ["type"], unique=False)
    op.create_table(
        "agreements",
        sa.Column("agency_id", sa.String(length=36), nullable=False),
        sa.Column("model", sa.String(length=3), nullable=False),
        sa.Column("template", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("lea_signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ice_signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_class_certified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("operational_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state_law_status", sa.String(length=32), nullable=True),
        sa.Column("state_law_decision", sa.JSON(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_agreements_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    op.create_index(op.f("ix_agreements_agency_id"), "agreements", ["agency_id"], unique=False)
    op.create_table(
        "facilities",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("agency_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_facilities_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilities")),
    )
    op.create_index(op.f("ix_facilities_agency_id"), "facilities", ["agency_id"], unique=False)
    op.create_table(
        "users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("agency_id", sa.String(length=36), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_users_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index(op.f("ix_users_agency_id"), "users", ["agency_id"], unique=False)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_tokens_token_sha256")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"], unique=False)
    op.create_table(
        "meetings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("agreement_id", sa.String(length=36), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], name=op.f("fk_meetings_agreement_id_agreements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index(op.f("ix_meetings_agreement_id"), "meetings", ["agreement_id"], unique=False)
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("agreement_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("by", sa.String(length=3), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exigent_effective_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("exigent_reason", sa.Text(), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], name=op.f("fk_notices_agreement_id_agreements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    op.create_index(op.f("ix_notices_agreement_id"), "notices", ["agreement_id"], unique=False)
    op.create_table(
        "officers",
        sa.Column("agency_id", sa.String(length=36), nullable=False),
        sa.Column("agreement_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("badge", sa.String(length=64), nullable=False),
        sa.Column("citizen_attested", sa.Boolean(), nullable=False),
        sa.Column("experience_attested", sa.Boolean(), nullable=False),
        sa.Column("facility_training_attested", sa.Boolean(), nullable=False),
        sa.Column("records_access_authorized", sa.Boolean(), nullable=False),
        sa.Column("background_check", sa.String(length=16), nullable=False),
        sa.Column("letter_signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("form_70_006_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("departure_notice_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("departed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("under_ice_supervision", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_officers_agency_id_agencies")),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], name=op.f("fk_officers_agreement_id_agreements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officers")),
    )
    op.create_index(op.f("ix_officers_agency_id"), "officers", ["agency_id"], unique=False)
    op.create_index(op.f("ix_officers_agreement_id"), "officers", ["agreement_id"], unique=False)
    op.create_table(
        "complaints",
        sa.Column("agency_id", sa.String(length=36), nullable=False),
        sa.Column("agreement_id", sa.String(length=36), nullable=False),
        sa.Column("facility_id", sa.String(length=36), nullable=True),
        sa.Column("officer_id", sa.String(length=36), nullable=True),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("about_designated_officer", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ice_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ice_notified_to", sa.String(length=200), nullable=False),
        sa.Column("investigation_result", sa.Text(), nullable=False),
        sa.Column("results_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_complaints_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_complaints_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(["facility_id"], ["facilities.id"], name=op.f("fk_complaints_facility_id_facilities")),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name=op.f("fk_complaints_officer_id_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
    )
    op.create_index(op.f("ix_complaints_agency_id"), "complaints", ["agency_id"], unique=False)
    op.create_index(op.f("ix_complaints_agreement_id"), "complaints", ["agreement_id"], unique=False)
    op.create_index(op.f("ix_complaints_officer_id"), "complaints", ["officer_id"], unique=False)
    op.create_table(
        "credentials",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("return_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name=op.f("fk_credentials_officer_id_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
    )
    op.create_index(op.f("ix_credentials_officer_id"), "credentials", ["officer_id"], unique=False)
    op.create_table(
        "exam_attempts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score_percent", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name=op.f("fk_exam_attempts_officer_id_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_attempts")),
    )
    op.create_index(op.f("ix_exam_attempts_officer_id"), "exam_attempts", ["officer_id"], unique=False)
    op.create_table(
        "required_trainings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("required_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officers.id"], name=op.f("fk_required_trainings_officer_id_officers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_required_trainings")),
    )
    op.create_index(op.f("ix_required_trainings_officer_id"), "required_trainings", ["officer_id"], unique=False)
    op.create_table(
        "trainings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name=op.f("fk_trainings_officer_id_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainings")),
    )
    op.create_index(op.f("ix_trainings_officer_id"), "trainings", ["officer_id"], unique=False)
    op.create_table(
        "withdrawals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("notice_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("complaint_id", sa.String(length=36), nullable=True),
        sa.Column("notice_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_withdrawals_complaint_id_complaints")
        ),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], name=op.f("fk_withdrawals_notice_id_notices")),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name=op.f("fk_withdrawals_officer_id_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_withdrawals")),
    )
    op.create_index(op.f("ix_withdrawals_officer_id"), "withdrawals", ["officer_id"], unique=False)
    _create_append_only_triggers()


def downgrade() -> None:
    _drop_append_only_triggers()
    op.drop_index(op.f("ix_withdrawals_officer_id"), table_name="withdrawals")
    op.drop_table("withdrawals")
    op.drop_index(op.f("ix_required_trainings_officer_id"), table_name="required_trainings")
    op.drop_table("required_trainings")
    op.drop_index(op.f("ix_trainings_officer_id"), table_name="trainings")
    op.drop_table("trainings")
    op.drop_index(op.f("ix_exam_attempts_officer_id"), table_name="exam_attempts")
    op.drop_table("exam_attempts")
    op.drop_index(op.f("ix_credentials_officer_id"), table_name="credentials")
    op.drop_table("credentials")
    op.drop_index(op.f("ix_complaints_officer_id"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_agreement_id"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_agency_id"), table_name="complaints")
    op.drop_table("complaints")
    op.drop_index(op.f("ix_officers_agreement_id"), table_name="officers")
    op.drop_index(op.f("ix_officers_agency_id"), table_name="officers")
    op.drop_table("officers")
    op.drop_index(op.f("ix_notices_agreement_id"), table_name="notices")
    op.drop_table("notices")
    op.drop_index(op.f("ix_meetings_agreement_id"), table_name="meetings")
    op.drop_table("meetings")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index(op.f("ix_users_agency_id"), table_name="users")
    op.drop_table("users")
    op.drop_index(op.f("ix_facilities_agency_id"), table_name="facilities")
    op.drop_table("facilities")
    op.drop_index(op.f("ix_agreements_agency_id"), table_name="agreements")
    op.drop_table("agreements")
    op.drop_index(op.f("ix_ledger_events_type"), table_name="ledger_events")
    op.drop_index(op.f("ix_ledger_events_at"), table_name="ledger_events")
    op.drop_table("ledger_events")
    op.drop_table("ledger_checkpoints")
    op.drop_table("agencies")
    op.drop_index(op.f("ix_access_log_entity_id"), table_name="access_log")
    op.drop_index(op.f("ix_access_log_at"), table_name="access_log")
    op.drop_table("access_log")
