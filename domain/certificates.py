"""Certificates anyone can verify (issue 11): the code on a printed certificate and its facts.

A certificate's code is an unguessable id the printing terminal draws at random plus one check
character: `HPFC-XXXX-XXXX-XXXX-XXXX-C` (80 random bits in Crockford base32; the check symbol of
Crockford's scheme, the id's value mod 37). The check catches a mistyped or altered character
before any look-up; the id makes a forged code useless, because the centre knows only the codes
that terminals registered with it (outbox kind `certificate.issue`, carrying the document's
masked facts and their SHA-256). So the centre can verify every code without any terminal key
(docs/security.md, formerly open item 6), and a certificate printed while the terminal was offline
becomes verifiable once the terminal has synced.

Pure functions: no I/O, no clock (the caller passes dates), no randomness unless asked for.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from domain.account import AccountSnapshot
from domain.masking import mask_id_number, mask_name
from domain.money import format_yuan

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CHECK_ALPHABET = ALPHABET + "*~$=U"  # Crockford's check symbols (mod 37)
PREFIX = "HPFC"
ID_CHARS = 16  # 80 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})  # Crockford: read ambiguous letters as digits
_CODE_RE = re.compile(r"^HPFC([0-9A-Z]{16})([0-9A-Z*~$=])\Z")


class DocType(enum.StrEnum):
    DEPOSIT = "deposit"  # 缴存证明
    LOAN = "loan"  # 贷款证明 (loan certificates: not printed yet, see the loan stream)
    NOTICE = "notice"  # 一次性告知书
    CASE = "case"  # 受理/办结凭证 (the counter's case summary)

    @property
    def zh(self) -> str:
        return {"deposit": "住房公积金缴存证明", "loan": "住房公积金贷款证明", "notice": "一次性告知书",
                "case": "业务办理凭证"}[self.value]

    @property
    def en(self) -> str:
        return {"deposit": "Deposit certificate", "loan": "Loan certificate", "notice": "One-time notice",
                "case": "Case record"}[self.value]


class CodeError(ValueError):
    """A code that cannot be one of ours: wrong shape or a failed check character."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _check_symbol(body: str) -> str:
    value = 0
    for ch in body:
        value = value * 32 + ALPHABET.index(ch)
    return CHECK_ALPHABET[value % 37]


def new_code(random_bytes: bytes | None = None) -> str:
    """A fresh certificate code (80 random bits unless `random_bytes` (10 bytes) is given)."""
    raw = random_bytes if random_bytes is not None else secrets.token_bytes(10)
    if len(raw) != 10:
        raise ValueError("a certificate id takes 10 random bytes")
    bits = int.from_bytes(raw, "big")
    body = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(ID_CHARS)))
    return format_code(body + _check_symbol(body))


def format_code(compact: str) -> str:
    """`HPFC-XXXX-XXXX-XXXX-XXXX-C` from the 17 characters after the prefix."""
    groups = [compact[i:i + 4] for i in range(0, ID_CHARS, 4)]
    return "-".join([PREFIX, *groups, compact[ID_CHARS:]])


def normalise(code: str) -> str:
    """The canonical form of a typed or scanned code, or CodeError (bilingual) saying why not.

    Case, spaces and dashes do not matter; O/I/L are read as 0/1/1 (Crockford). A code whose check
    character does not match was mistyped or altered.
    """
    text = re.sub(r"[\s\-]", "", str(code)).upper()
    if text.startswith(PREFIX):
        text = PREFIX + text[len(PREFIX):].translate(_READ_AS)
    match = _CODE_RE.match(text)
    if match is None:
        raise CodeError("验证码格式不正确（应为 HPFC- 开头的 21 位字符）。",
                        "This is not a certificate code (HPFC- followed by 17 characters).")
    body, check = match.groups()
    if any(ch not in ALPHABET for ch in body) or _check_symbol(body) != check:
        raise CodeError("验证码校验位不符：该验证码有误、被改动或系伪造。",
                        "The code's check character does not match: it was mistyped, altered or forged.")
    return format_code(body + check)


def facts_digest(facts: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the facts as canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(dict(facts), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """The answer to a verification request (the API and the public page both show it)."""

    status: str  # valid | expired | revoked | unknown | malformed | mismatch
    zh: str
    en: str
    doc_type: str = ""
    facts: Mapping[str, Any] | None = None  # masked, as printed
    issued_on: date | None = None
    valid_until: date | None = None

    @property
    def valid(self) -> bool:
        return self.status == "valid"

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "valid": self.valid, "zh": self.zh, "en": self.en, "doc_type": self.doc_type,
                "facts": dict(self.facts) if self.facts is not None else None,
                "issued_on": self.issued_on.isoformat() if self.issued_on else None,
                "valid_until": self.valid_until.isoformat() if self.valid_until else None}


def valid_until(issued_on: date, valid_days: int) -> date:
    return issued_on + timedelta(days=valid_days)


def judge(*, known: bool, revoked: bool, issued_on: date | None, until: date | None, today: date,
          doc_type: str = "", facts: Mapping[str, Any] | None = None,
          presented: Mapping[str, Any] | None = None) -> Verdict:
    """What to tell the person holding the paper. `presented`: facts a partner read off the paper."""
    if not known:
        return Verdict("unknown", "本中心没有登记该验证码：证明可能系伪造；如刚在离线终端打印，请待终端同步后再查。",
                       "The centre has no certificate with this code: it may be forged; if it was just printed "
                       "on a terminal that was offline, try again once the terminal has synced.")
    shown = dict(facts or {})
    if presented is not None:
        differ = sorted(k for k, v in presented.items() if str(shown.get(k)) != str(v))
        if differ:
            return Verdict("mismatch", f"证明内容与中心登记不符（{'、'.join(differ)}）：证明可能被改动。",
                           f"The certificate differs from what the centre registered ({', '.join(differ)}): "
                           "it may have been altered.", doc_type, shown, issued_on, until)
    if revoked:
        return Verdict("revoked", "该证明已被中心作废。", "The centre has revoked this certificate.",
                       doc_type, shown, issued_on, until)
    if until is not None and today > until:
        return Verdict("expired", f"该证明真实，但已于{until.isoformat()}过期。",
                       f"The certificate is genuine but expired on {until.isoformat()}.", doc_type, shown,
                       issued_on, until)
    return Verdict("valid", "该证明真实有效，内容如下。", "The certificate is genuine and valid; it states:",
                   doc_type, shown, issued_on, until)


def deposit_facts(snapshot: AccountSnapshot, *, terminal_id: str, issued_at: datetime) -> dict[str, str | int]:
    """What the certificate states, masked as printed: registered with the ledger and shown by the check."""
    a, m = snapshot.account, snapshot.member
    return {"account": m.member_id, "name": mask_name(m.name), "id_number": mask_id_number(m.id_number),
            "employer": a.employer_name, "status": a.status_label, "balance": format_yuan(a.balance),
            "balance_fen": int(a.balance * 100), "monthly": format_yuan(a.monthly_deposit),
            "paid_up_to": a.paid_up_to, "issued_at": issued_at.strftime("%Y-%m-%d %H:%M"), "terminal": terminal_id}


def registration(code: str, facts: dict[str, str | int], doc_type: DocType = DocType.DEPOSIT) -> dict[str, Any]:
    """The outbox payload that registers a printed certificate with the ledger (`certificate.issue`)."""
    return {"code": code, "doc_type": doc_type.value, "facts": facts, "facts_sha256": facts_digest(facts)}


def verify_url(city: str = "taiyuan") -> str:
    """The public verification page a certificate's QR opens ([certificates].verify_url of the policy)."""
    from domain.policy import PolicyError, load_policy_table

    try:
        url = load_policy_table(city).get("certificates", {}).get("verify_url", "")
    except PolicyError:
        url = ""
    return str(url) or "https://example.invalid/verify/"
