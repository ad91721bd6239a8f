"""Alembic environment of the ledger database; run programmatically by `ledger.db.create_schema`.

The caller passes an open connection in `config.attributes["connection"]` (inside its own
transaction, holding the migration lock), so the upgrade runs with the ledger engine's settings.
"""

from __future__ import annotations

from alembic import context

import ledger.models_staff  # noqa: F401  (staff, audit and attestation tables on the same Base)
from ledger import models_fleet  # noqa: F401 - the fleet's tables (issue 12) join the metadata
from ledger.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
