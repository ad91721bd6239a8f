"""Shared Qt pieces: theme, touch widgets, Qt bridges to devices and sync, background operations.

Importing any part of `ui` first applies the binding work-arounds of `ui.qtcompat`.
"""

from ui import qtcompat as _qtcompat  # noqa: F401  (side effect: guards the singletons)
