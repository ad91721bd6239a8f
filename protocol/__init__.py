"""The wire protocol between terminals and the centre's ledger, imported by both sides.

Only the standard library, `cryptography` and `domain` are imported here, so a terminal installs
it without the server's libraries (FastAPI, SQLAlchemy) and the ledger without Qt.
"""

from __future__ import annotations

API_VERSION = "1"  # the /v1 path prefix and the OpenAPI document's version
API_PREFIX = "/v1"
