"""DEMO terminal signing keys (private halves): the demo and the tests only, never a real centre.

`hpf-ledger seed-demo` enrols DEMO-KIOSK-01 and DEMO-COUNTER-01 with the public halves; the demo
kiosk and counter sign with the private halves from `terminal_keys/`. A production bundle leaves
this folder out, and `demo = false` refuses to start while a terminal uses one of these keys
(infra.production knows their public halves).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEMO_TERMINALS = {"DEMO-KIOSK-01": "kiosk", "DEMO-COUNTER-01": "counter"}


def demo_terminal_key_path(key_id: str) -> Path | None:
    """The PEM file of a demo terminal's private key, or None for any other key id."""
    if key_id not in DEMO_TERMINALS:
        return None
    return Path(str(resources.files(__name__.rsplit(".", 1)[0]) / "terminal_keys" / f"{key_id}.pem"))
