"""Production mode: with `demo = false` no program starts while a demo credential is configured.

Every check names the configuration key to change. The demo credentials are recognised by their
PUBLIC halves (public keys, the well-known demo PIN and passwords), so this module holds nothing
secret and ships with every product; the demo private keys live only in the demo-only folders
(resources/demo/terminal_keys, kiosk/demo_keys), which production bundles leave out.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infra.config import Config

# Terminal request-signing keys of `hpf-ledger seed-demo` (private halves in resources/demo/terminal_keys).
DEMO_TERMINAL_PUBLIC_KEYS = {
    "DEMO-KIOSK-01": "+zla9HD9CCLrIsVkGHk7/3ySyr9TaavA+9u6dcRvvaQ=",
    "DEMO-COUNTER-01": "CDNViwLTFcXrhNK0YOA/tdGQvDpCQL9YXrg88K6Eoc8=",
}
# The member-app QR token key of the demo (private half in kiosk/demo_keys).
DEMO_QR_KEY_IDS = frozenset({"demo-2026"})
DEMO_QR_PUBLIC_KEYS = frozenset({"/H6e0rdac/+m6PzldHu0IyO6wh95kxGHgCoI+xGl/u4="})
# The old shared secret of protocol v1's HMAC scheme (any config still carrying it is a demo one).
DEMO_SHARED_SECRET = "demo-secret-change-me"
DEMO_TECHNICIAN_PIN = "246810"
# Demo staff passwords printed in the README (counter_app/demo.py seeds them).
DEMO_STAFF_PASSWORDS = ("Clerk-2026", "Super-2026", "Tech-2026")


@dataclass(frozen=True)
class DemoCredential:
    key: str  # the configuration key (or account) to change
    what: str  # English
    what_zh: str

    def message(self) -> str:
        return f"{self.key}: {self.what_zh} / {self.what}"


class DemoCredentialError(Exception):
    """Raised (and printed by the programs, exit code 78) when demo = false meets a demo credential."""

    def __init__(self, program: str, found: list[DemoCredential]) -> None:
        self.program, self.found = program, found
        lines = [f"{program}: demo = false, but demo credentials are configured; change them first "
                 f"/ 生产模式（demo = false）下仍配置着演示凭证，请先更换："]
        lines += [f"  - {c.message()}" for c in found]
        super().__init__("\n".join(lines))


EXIT_DEMO_CREDENTIAL = 78  # EX_CONFIG


def public_key_of_pem_file(path: Path) -> str | None:
    """The base64 public key of an Ed25519 private key file, or None when unreadable."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(key, Ed25519PrivateKey):
        return None
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def is_demo_pin_hash(encoded: str) -> bool:
    if not encoded:
        return False
    try:
        return PasswordHasher().verify(encoded, DEMO_TECHNICIAN_PIN)
    except (VerificationError, InvalidHashError):
        return False


def demo_passwords_among(accounts: Iterable[tuple[str, str]]) -> list[DemoCredential]:
    """Staff accounts (id, argon2 hash) whose password is one of the demo passwords."""
    found = []
    hasher = PasswordHasher()
    for staff_id, digest in accounts:
        for password in DEMO_STAFF_PASSWORDS:
            try:
                if hasher.verify(digest, password):
                    found.append(DemoCredential(f"staff account {staff_id}", "has a demo password; set a new one",
                                                "使用演示密码，请设置新密码"))
                    break
            except (VerificationError, InvalidHashError):
                continue
    return found


def terminal_key_problems(key_id: str, key_path: Path | None, *, key_option: str = "ledger.key_file",
                          id_option: str = "ledger.key_id") -> list[DemoCredential]:
    found = []
    if key_id in DEMO_TERMINAL_PUBLIC_KEYS:
        found.append(DemoCredential(id_option, f"{key_id} is a demo terminal credential; enrol this terminal "
                                    "(hpf-diag enrol)", f"{key_id} 是演示终端凭证，请登记本终端（hpf-diag enrol）"))
    if key_path is not None and public_key_of_pem_file(key_path) in DEMO_TERMINAL_PUBLIC_KEYS.values():
        found.append(DemoCredential(key_option, f"{key_path} is a demo signing key", f"{key_path} 是演示签名密钥"))
    return found


def qr_key_problems(key_ids_and_public_keys: Iterable[tuple[str, str]],
                    option: str = "kiosk.member_token_keys") -> list[DemoCredential]:
    for kid, public in key_ids_and_public_keys:
        if kid in DEMO_QR_KEY_IDS or public in DEMO_QR_PUBLIC_KEYS:
            return [DemoCredential(option, f"trusts the demo QR key {kid!r}; list the centre's own token keys",
                                   f"信任演示二维码密钥 {kid!r}，请改为中心自己的令牌公钥")]
    return []


def pin_problems(encoded: str, option: str = "kiosk.technician_pin_hash") -> list[DemoCredential]:
    if is_demo_pin_hash(encoded):
        return [DemoCredential(option, "is the demo technician PIN; set one (hpf-diag set-pin)",
                               "是演示维护口令，请设置新口令（hpf-diag set-pin）")]
    return []


def terminal_problems(config: Config) -> list[DemoCredential]:
    """Demo credentials in a terminal's configuration (kiosk, counter, diag read the same file)."""
    if config.demo:
        return []
    path = config.key_path()
    found = terminal_key_problems(config.ledger.key_id, path if path.exists() else None)
    if config.ledger.secret == DEMO_SHARED_SECRET:
        found.append(DemoCredential("ledger.secret", "is the demo shared secret; remove it (terminals sign with "
                                    "their enrolled key now)", "是演示共享密钥，请删除（终端现用登记的密钥签名）"))
    if config.terminal.role == "kiosk":  # QR sign-in and the technician PIN exist on kiosks only
        found += qr_key_problems(_qr_keys(config))
        found += pin_problems(config.kiosk.technician_pin_hash)
    return found


def _qr_keys(config: Config) -> list[tuple[str, str]]:
    from domain.member_token import load_public_keys

    keys_file = config.kiosk.member_token_keys
    try:
        keys = load_public_keys(Path(keys_file) if keys_file else None)
    except (OSError, ValueError):
        return []  # unreadable: the kiosk reports it when it loads them; nothing demo to flag here
    return [(kid, base64.b64encode(k.key.public_bytes(serialization.Encoding.Raw,
                                                      serialization.PublicFormat.Raw)).decode("ascii"))
            for kid, k in keys.items()]


def refuse_demo_credentials(program: str, found: list[DemoCredential]) -> None:
    """Print the problems and exit with EXIT_DEMO_CREDENTIAL when there are any."""
    if found:
        print(DemoCredentialError(program, found), file=sys.stderr)
        raise SystemExit(EXIT_DEMO_CREDENTIAL)
