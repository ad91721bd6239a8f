"""Foundation shared by every layer above `domain`: paths, configuration, logging, crash handling.

No Qt here, and nothing from hardware/sync/ledger/ui: only `domain` (for masking) below it.
"""
