"""A quicker answer to the Qt binding's question after every import (no Qt imported here).

Once PySide6 is loaded, the binding asks of every module imported after it whether its source
mentions "PySide6" (for its `__feature__` switch), through `inspect.getsource`: about a fifth of
a millisecond a module. `quicker_feature_check()` answers the same question from the file's
bytes. `ui.qtcompat` installs it when `ui` is imported; `infra`'s package installs it when it is
imported after the binding (the kiosk's and the counter's start-up import the configuration
before any `ui` module: some fifty modules, ~9 ms, were asked the slow way). Without the binding
loaded it does nothing.
"""

from __future__ import annotations

import sys
from typing import Any


def quicker_feature_check() -> bool:
    """Install the quicker check if the binding is loaded and it is not installed yet; True if installed now."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if not callable(original) or getattr(original, "hpf_quick", False):
        return False

    def uses_pyside(module: Any) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):  # built-in, extension, frozen: as before
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()  # what inspect.getsource's text is searched for
        except OSError:
            return bool(original(module))

    uses_pyside.hpf_quick = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]
    return True


def feature_check_is_quick() -> bool:
    feature = sys.modules.get("shibokensupport.feature")
    return bool(getattr(getattr(feature, "_mod_uses_pyside", None), "hpf_quick", False))
