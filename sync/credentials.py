"""The terminal's own signing key: where it lives and how it is loaded.

`hpf-diag enrol` writes it (mode 0600) to `[ledger] key_file`, by default
`<data dir>/terminal-key.pem`. A demo terminal (`demo = true` with a DEMO-* key id) that has no
key file of its own signs with the demo key from resources/demo (never present in a production
bundle; `demo = false` refuses demo keys anyway, see infra.production).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from infra.config import Config

if TYPE_CHECKING:
    from protocol.signing import TerminalKey


class NotEnrolled(Exception):  # noqa: N818 - a state, like sync.errors.NotFound
    """No signing key: the terminal has not been enrolled with the ledger."""


def demo_key_path(key_id: str) -> Path | None:
    try:
        from resources.demo.keys import demo_terminal_key_path
    except ImportError:  # a production bundle has no demo keys
        return None
    path = demo_terminal_key_path(key_id)
    return path if path is not None and path.exists() else None


def resolve_key_path(config: Config) -> Path:
    path = config.key_path()
    if path.exists() or config.ledger.key_file or not config.demo:
        return path
    demo = demo_key_path(config.ledger.key_id)
    return demo if demo is not None else path


def load_terminal_key(config: Config) -> TerminalKey:
    from protocol.signing import KeyFileError, TerminalKey  # cryptography: when the key is loaded, not before

    path = resolve_key_path(config)
    if not path.exists():
        raise NotEnrolled(f"{path}: no signing key; enrol this terminal: hpf-diag enrol --ledger URL --code CODE "
                          f"/ 终端尚未登记，请运行 hpf-diag enrol")
    try:
        return TerminalKey.load(path)
    except KeyFileError as exc:
        raise NotEnrolled(str(exc)) from None
