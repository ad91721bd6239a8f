"""Alembic migrations of the ledger database (run by `ledger.db.create_schema`)."""
