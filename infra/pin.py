"""The technician PIN: stored as an argon2id hash (salted, memory-hard), never as a plain digest."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PIN_MIN, PIN_MAX = 6, 12


def check_new_pin(pin: str) -> str | None:
    """None if acceptable, else a zh/en sentence."""
    if not (pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        return f"PIN 须为 {PIN_MIN}–{PIN_MAX} 位数字 / The PIN must be {PIN_MIN} to {PIN_MAX} digits"
    if len(set(pin)) == 1 or pin in "01234567890123" or pin in "98765432109876":
        return "PIN 过于简单 / The PIN is too easy to guess"
    return None


def hash_pin(pin: str) -> str:
    return PasswordHasher().hash(pin)


def verify_pin(encoded: str, pin: str) -> bool:
    try:
        return PasswordHasher().verify(encoded, pin)
    except (VerificationError, InvalidHashError):
        return False
