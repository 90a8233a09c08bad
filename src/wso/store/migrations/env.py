"""Alembic environment: the engine comes from wso.store.migrate, never from an ini file."""

from __future__ import annotations

from alembic import context

from wso.store import models  # noqa: F401  (registers every table on Base.metadata)
from wso.store.base import Base

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
