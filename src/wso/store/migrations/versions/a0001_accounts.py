"""Accounts: web sessions (opaque ids), sign-in attempts (lockout, throttle) and TOTP enrolments.

Revision ID: a0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "a0001"
down_revision = None
branch_labels = ("accounts",)
depends_on = "r0001"  # users


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sid_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mfa_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("sid_sha256", name=op.f("uq_web_sessions_sid_sha256")),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"], unique=False)
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    op.create_index(op.f("ix_sign_in_attempts_at"), "sign_in_attempts", ["at"], unique=False)
    op.create_index(op.f("ix_sign_in_attempts_username"), "sign_in_attempts", ["username"], unique=False)
    op.create_index(op.f("ix_sign_in_attempts_address"), "sign_in_attempts", ["address"], unique=False)
    op.create_table(
        "user_mfa",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_step", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_mfa_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_mfa")),
    )


def downgrade() -> None:
    op.drop_table("user_mfa")
    op.drop_index(op.f("ix_sign_in_attempts_address"), table_name="sign_in_attempts")
    op.drop_index(op.f("ix_sign_in_attempts_username"), table_name="sign_in_attempts")
    op.drop_index(op.f("ix_sign_in_attempts_at"), table_name="sign_in_attempts")
    op.drop_table("sign_in_attempts")
    op.drop_index(op.f("ix_web_sessions_user_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
