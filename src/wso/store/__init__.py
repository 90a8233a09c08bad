"""Persistence: SQLAlchemy tables, the event ledger, projections and migrations."""
