"""Alembic environment of the local store; run programmatically by `sync.store.open_store`.

The caller passes an open SQLAlchemy connection in `config.attributes["connection"]`, so the
migration runs on the same engine (and pragmas) as the store itself.
"""

from __future__ import annotations

from alembic import context

from sync.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
