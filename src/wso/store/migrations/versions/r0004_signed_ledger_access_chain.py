"""Signed ledger and chained access log (issue 14, items 2 and 7).

Events and checkpoints gain the signing key's id and an Ed25519 signature; checkpoints also record
the access log's head. The access log gains seq, action, outcome, address and a hash chain (rows
already there are chained in id order, as reads with outcome "shown"). On PostgreSQL the access
log is append-only like the ledger, except a purge of its oldest rows that the purging transaction
announces (`wso.access_log_purge_through`, set by `wso ledger purge-access-log`).

Revision ID: r0004
Revises: r0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from wso.store.access import access_hash
from wso.store.base import UTCDateTime
from wso.store.ledger import GENESIS

revision = "r0004"
down_revision = "r0003"
branch_labels = None
depends_on = None

ACCESS_LOG_GUARD = """
CREATE OR REPLACE FUNCTION wso_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND OLD.seq <= COALESCE(NULLIF(current_setting('wso.access_log_purge_through', true), ''), '0')::bigint THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""


def _backfill_access_chain() -> None:
    bind = op.get_bind()
    log = sa.table(
        "access_log",
        sa.column("id", sa.Integer),
        sa.column("at", UTCDateTime()),
        sa.column("as_of", UTCDateTime()),
        sa.column("actor", sa.String),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.String),
        sa.column("agency_id", sa.String),
        sa.column("seq", sa.Integer),
        sa.column("action", sa.String),
        sa.column("outcome", sa.String),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    prev = GENESIS
    rows = bind.execute(
        sa.select(
            log.c.id, log.c.at, log.c.as_of, log.c.actor, log.c.entity, log.c.entity_id, log.c.agency_id
        ).order_by(log.c.id)
    ).all()
    for seq, row in enumerate(rows, start=1):
        digest = access_hash(
            seq=seq,
            at=row.at,
            as_of=row.as_of,
            actor=row.actor,
            action="read",
            entity=row.entity,
            entity_id=row.entity_id,
            agency_id=row.agency_id,
            outcome="shown",
            address=None,
            prev_hash=prev,
        )
        bind.execute(
            log.update()
            .where(log.c.id == row.id)
            .values(seq=seq, action="read", outcome="shown", prev_hash=prev, hash=digest)
        )
        prev = digest


def upgrade() -> None:
    with op.batch_alter_table("ledger_events") as batch:
        batch.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("signature", sa.String(length=128), nullable=True))
    with op.batch_alter_table("ledger_checkpoints") as batch:
        batch.add_column(sa.Column("access_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True))
        batch.add_column(sa.Column("access_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("signature", sa.String(length=128), nullable=True))
    with op.batch_alter_table("access_log") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("action", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("outcome", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("address", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _backfill_access_chain()
    with op.batch_alter_table("access_log") as batch:
        for name in ("seq", "action", "outcome", "prev_hash", "hash"):
            batch.alter_column(name, nullable=False)
        batch.alter_column(
            "entity_id", type_=sa.String(length=64), existing_type=sa.String(length=36), existing_nullable=False
        )
        batch.create_unique_constraint(op.f("uq_access_log_seq"), ["seq"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ACCESS_LOG_GUARD)
        op.execute(
            "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
            "FOR EACH ROW EXECUTE FUNCTION wso_access_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION wso_access_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS access_log_append_only ON access_log")
        op.execute("DROP TRIGGER IF EXISTS access_log_no_truncate ON access_log")
        op.execute("DROP FUNCTION IF EXISTS wso_access_log_append_only()")
    with op.batch_alter_table("access_log") as batch:
        batch.drop_constraint(op.f("uq_access_log_seq"), type_="unique")
        batch.alter_column(
            "entity_id", type_=sa.String(length=36), existing_type=sa.String(length=64), existing_nullable=False
        )
        for name in ("hash", "prev_hash", "address", "outcome", "action", "seq"):
            batch.drop_column(name)
    with op.batch_alter_table("ledger_checkpoints") as batch:
        for name in ("signature", "key_id", "access_hash", "access_seq"):
            batch.drop_column(name)
    with op.batch_alter_table("ledger_events") as batch:
        batch.drop_column("signature")
        batch.drop_column("key_id")
