"""Least privilege on PostgreSQL: the application connects as a role that owns nothing.

Why: the owner of a table may disable its triggers without being a superuser, so an application
that runs as the owner can rewrite its "append-only" ledger. `wso db upgrade` runs as the owner
(WSO_OWNER_DATABASE_URL) and gives the application role (WSO_APP_ROLE, used in WSO_DATABASE_URL by
`wso serve` and `wso worker`) exactly: SELECT and INSERT on the append-only tables, SELECT, INSERT,
UPDATE and DELETE on every other table (the projections), the sequences it inserts with, and no
ownership, no TRUNCATE, no REFERENCES, no TRIGGER, no DDL.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

# Tables no application may change or delete a row of (their PostgreSQL triggers refuse it too).
APPEND_ONLY_TABLES: list[str] = ["ledger_events", "ledger_checkpoints", "access_log"]


def register_append_only(table: str) -> None:
    """For another area's evidence tables (custody hold clocks, say): SELECT and INSERT only."""
    if table not in APPEND_ONLY_TABLES:
        APPEND_ONLY_TABLES.append(table)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def grant_app_role(engine: Engine, *, role: str, password: str | None) -> list[str]:
    """Create (or update) the application role and set its grants; returns the statements run."""
    if engine.dialect.name != "postgresql":
        return []
    quote = engine.dialect.identifier_preparer.quote
    name = quote(role)
    statements: list[str] = []
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None
        login = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        if password:
            login += f" PASSWORD {_literal(password)}"
        statements.append(f"{'ALTER' if exists else 'CREATE'} ROLE {name} {login}")
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        statements += [
            f"GRANT CONNECT ON DATABASE {quote(database)} TO {name}",
            f"GRANT USAGE ON SCHEMA public TO {name}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
        ]
        for table in inspect(conn).get_table_names(schema="public"):
            if table == "alembic_version":
                grant = "SELECT"
            elif table in APPEND_ONLY_TABLES:
                grant = "SELECT, INSERT"
            else:
                grant = "SELECT, INSERT, UPDATE, DELETE"
            statements.append(f"GRANT {grant} ON TABLE public.{quote(table)} TO {name}")
        for statement in statements:
            conn.execute(text(statement))
    return [s if "PASSWORD" not in s else s.split(" PASSWORD ")[0] + " PASSWORD '***'" for s in statements]
