"""Foundation shared by every layer above `domain`: paths, configuration, logging, crash handling.

No Qt here, and nothing from hardware/sync/ledger/ui: only `domain` (for masking) below it.
"""

from infra.pyside_imports import quicker_feature_check

quicker_feature_check()  # imported after the Qt binding (the apps' start-up): see infra.pyside_imports
