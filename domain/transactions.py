"""Payload schemas of the transactions a terminal sends to the ledger (wire protocol v1).

Pure data and validation, no I/O: the terminal builds payloads with these rules before it
writes them to the outbox, and the ledger parses every item again on arrival (a terminal is
never trusted). `parse_payload(kind, payload)` returns a typed, frozen payload or raises
`TransactionError` carrying a machine code and a zh/en sentence a person can read.

`payload_hash` is the fingerprint the ledger stores next to an idempotency key: the same key
with a different fingerprint is a conflict. It covers the kind, the member and the payload
(not `created_at`, whose spelling a terminal may legitimately change between retries).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from domain.cases import Action as CaseLifecycleAction
from domain.exchange_contract import Authorisation
from domain.withdrawals.application import WithdrawalType

MAX_BATCH_ITEMS = 200
MAX_KEY_LENGTH = 100
MAX_MEMBER_ID = 20  # 个人账号 length the ledger stores
MAX_TEXT = 500

KINDS = (
    "withdrawal.apply", "loan_offset.sign", "transfer.apply", "cobranded_card.sign", "case.action",
    "queue.ticket", "queue.event", "rating", "device.report", "staff.audit", "certificate.issue",
    "technician.action",  # tech stream (issue 12): diagnostics actions for the central audit trail
)
# Kinds that concern one member's account: the item must name the member.
MEMBER_KINDS = frozenset({"withdrawal.apply", "loan_offset.sign", "transfer.apply", "cobranded_card.sign"})

# How the member gave the authorisation: confirmed on the kiosk's screen, a signed form at the counter,
# in the member app, or inside a member session the ledger opened.
AUTHORISATION_METHODS = ("kiosk_confirm", "counter_form", "app", "session")

_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*\Z")
_CARD_RE = re.compile(r"^\d{12,19}\Z")


class TransactionError(Exception):
    """A payload that may not be applied; `code` is snake_case, zh/en are whole sentences."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(code)
        self.code, self.zh, self.en = code, zh, en

    def __str__(self) -> str:
        return f"{self.code}: {self.en}"

    def as_reason(self) -> dict[str, str]:
        return {"code": self.code, "zh": self.zh, "en": self.en}


def _bad(field_name: str, zh_what: str, en_what: str) -> TransactionError:
    return TransactionError("invalid_payload", f"字段 {field_name} {zh_what}。", f"Field {field_name} {en_what}.")


def payload_hash(kind: str, member_id: str | None, payload: Mapping[str, Any]) -> str:
    """SHA-256 hex of the canonical JSON of (kind, member_id, payload)."""
    canonical = json.dumps({"kind": kind, "member_id": member_id, "payload": payload},
                           sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_idempotency_key(key: object) -> str:
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH or not _KEY_RE.match(key):
        raise TransactionError(
            "invalid_idempotency_key",
            f"幂等键必须是 1 至 {MAX_KEY_LENGTH} 位字母、数字或 . _ : - 组成的字符串。",
            f"The idempotency key must be 1 to {MAX_KEY_LENGTH} letters, digits or . _ : - characters.")
    return key


# A terminal's clock may be wrong, but not by centuries: times outside this range are refused as
# items (and never reach date arithmetic that overflows near years 1 and 9999).
EARLIEST_TIME = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_TIME = datetime(2200, 1, 1, tzinfo=UTC)


def parse_utc(value: object, field_name: str = "created_at") -> datetime:
    """An ISO 8601 time with an offset, returned in UTC (naive times are refused: ambiguous)."""
    if not isinstance(value, str):
        raise _bad(field_name, "必须是 ISO 8601 时间字符串", "must be an ISO 8601 time string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _bad(field_name, "不是有效的 ISO 8601 时间", "is not a valid ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise _bad(field_name, "必须带时区（UTC）", "must carry a time zone (UTC)")
    try:
        utc = parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 is before year 1 in UTC
        raise _bad(field_name, "超出可用时间范围", "is out of range") from None
    if not EARLIEST_TIME <= utc < LATEST_TIME:
        raise _bad(field_name, f"须在 {EARLIEST_TIME.year} 至 {LATEST_TIME.year - 1} 年之间",
                   f"must lie between the years {EARLIEST_TIME.year} and {LATEST_TIME.year - 1}")
    return utc


# ---- field readers: each raises TransactionError naming the field ----

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(p: Mapping[str, Any], name: str, *, required: bool = True, max_len: int = MAX_TEXT) -> str:
    value = p.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _bad(name, "必须是非空文本", "must be non-empty text")
    if len(value) > max_len:
        raise _bad(name, f"不能超过 {max_len} 个字符", f"must be at most {max_len} characters")
    if _CONTROL.search(value):  # NUL and friends (below U+0020 but tab, LF, CR): no database text takes them all
        raise _bad(name, "含有不可见的控制字符", "contains control characters")
    return value.strip()


def _choice(p: Mapping[str, Any], name: str, choices: tuple[str, ...]) -> str:
    value = p.get(name)
    if value not in choices:
        allowed = ", ".join(choices)
        raise _bad(name, f"必须是以下之一：{allowed}", f"must be one of: {allowed}")
    return str(value)


def _fen(p: Mapping[str, Any], name: str, *, minimum: int = 1) -> int:
    """Money as integer fen; floats are refused so no amount is ever rounded by accident."""
    value = p.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(name, "必须是以分为单位的整数金额", "must be a whole number of fen")
    if value < minimum:
        raise _bad(name, f"不能小于 {minimum} 分", f"must be at least {minimum} fen")
    if value > 10**13:
        raise _bad(name, "金额过大", "is too large")
    return value


def _int(p: Mapping[str, Any], name: str, lo: int, hi: int) -> int:
    value = p.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise _bad(name, f"必须是 {lo} 至 {hi} 的整数", f"must be a whole number from {lo} to {hi}")
    return value


def _card(p: Mapping[str, Any], name: str) -> str:
    value = p.get(name)
    if not isinstance(value, str) or not _CARD_RE.match(value.replace(" ", "")):
        raise _bad(name, "必须是 12 至 19 位数字的银行卡号", "must be a bank card number of 12 to 19 digits")
    return value.replace(" ", "")


def _authorisation(p: Mapping[str, Any]) -> Authorisation | None:
    """The member's authorisation of the department look-ups: {"method", "granted_at", "reference"?, "signature"?}."""
    value = p.get("authorisation")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad("authorisation", "必须是对象", "must be an object")
    named = {f"authorisation.{k}": v for k, v in value.items()}  # messages name the nested field
    granted = parse_utc(named.get("authorisation.granted_at"), "authorisation.granted_at")
    return Authorisation(_choice(named, "authorisation.method", AUTHORISATION_METHODS),
                         granted.isoformat(timespec="seconds"),
                         _text(named, "authorisation.reference", required=False, max_len=100),
                         _text(named, "authorisation.signature", required=False, max_len=500))


def _table(p: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = p.get(name, {})
    if not isinstance(value, dict):
        raise _bad(name, "必须是对象", "must be an object")
    return dict(value)


# ---- the payloads ----

@dataclass(frozen=True)
class WithdrawalApply:
    """提取申请, decided again at the ledger by domain.withdrawals against its own account data.

    Wire payload: {"withdrawal_type": <WithdrawalType value, e.g. "rent">, "amount_fen": int | null
    (null = the most the rules allow), "application_no": str, "channel": str, "payout_card": str?,
    "property_id": str?, "district": str?, "repay_mode": "monthly" | "yearly"?, "authorisation": {...}?}

    An application, never facts: the ledger fetches every department fact itself (ledger.exchange)
    with the member's `authorisation` of the look-up; a "shared" (or any other fact) in the payload
    is ignored. Without an authorisation nothing is looked up, so the rules list the materials.
    """

    withdrawal_type: WithdrawalType
    amount_fen: int | None
    application_no: str           # printed on the member's receipt
    channel: str                  # kiosk | counter
    payout_card: str = ""         # empty = the member's signed co-branded card
    property_id: str = ""         # 不动产单元号 / 网签合同号 for once-per-property rules
    district: str = ""            # rent: GB/T 2260 code of the home
    repay_mode: str = "monthly"   # 冲还贷 withdrawals
    authorisation: Authorisation | None = None  # the member's consent to the department look-ups


@dataclass(frozen=True)
class LoanOffsetSign:
    """冲还贷签约: repay the HPF loan from the account balance."""

    loan_id: str
    mode: str                     # monthly | yearly | one_off
    channel: str


@dataclass(frozen=True)
class TransferApply:
    """转移接续: move an account between centres."""

    direction: str                # in | out
    counterpart_centre: str
    counterpart_account: str      # "" = not given (the platform finds it by the ID number)
    channel: str


@dataclass(frozen=True)
class CobrandedCardSign:
    """联名卡签约: bind the trustee bank's debit card for payouts and repayments."""

    bank: str
    card_number: str
    channel: str
    authorisation: Authorisation | None = None  # the member's consent to the bank's ownership check


# The lifecycle actions of domain.cases, plus: "open" (a new case, needs item_code), and three that leave
# the state alone: "assign" (data.assignee), "comment" and "add_material" (data.material).
CASE_ACTIONS = ("open", *(a.value for a in CaseLifecycleAction), "assign", "comment", "add_material")
CASE_ROLES = ("member", "clerk", "supervisor")


@dataclass(frozen=True)
class CaseAction:
    case_id: str
    action: str
    actor: str
    role: str = ""                # member | clerk | supervisor; "" = the terminal's usual role
    item_code: str = ""           # catalogue item, for "open"
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QueueTicket:
    ticket_no: str
    outlet: str
    business: str
    priority: bool = False


QUEUE_EVENTS = ("called", "serving", "done", "no_show", "transferred", "cancelled")


@dataclass(frozen=True)
class QueueEvent:
    ticket_no: str
    outlet: str
    event: str
    window: str = ""
    clerk: str = ""


@dataclass(frozen=True)
class Rating:
    """好差评: 5 非常满意 … 1 非常不满意."""

    score: int
    service_item: str
    channel: str
    window: str = ""
    staff: str = ""
    serial_no: str = ""
    text: str = ""


@dataclass(frozen=True)
class DeviceReport:
    device: str
    status: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StaffAudit:
    """An entry of a counter's own audit trail (sign-ins, refusals, screens used), sent to the ledger's
    audit chain; `at` is when it happened at the counter (ISO 8601 UTC)."""

    action: str
    staff_id: str
    role: str
    at: datetime
    object: str = ""
    outcome: str = "ok"
    detail: str = ""


@dataclass(frozen=True)
class TechnicianAction:
    """A technician's action on a terminal (a guided check, a retried item, an exported bundle)."""

    action: str
    technician: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CertificateIssue:
    """A printed certificate registered for verification (issue 11, domain.certificates).

    Wire payload: {"code": "HPFC-…", "doc_type": "deposit"|…, "facts": {str: str|int} (masked, as
    printed), "facts_sha256": hex of domain.certificates.facts_digest(facts)}.
    """

    code: str
    doc_type: str
    facts: dict[str, str | int]
    facts_sha256: str


CHANNELS = ("kiosk", "counter", "mobile", "web")

Payload = (WithdrawalApply | LoanOffsetSign | TransferApply | CobrandedCardSign | CaseAction | QueueTicket
           | QueueEvent | Rating | DeviceReport | StaffAudit | TechnicianAction | CertificateIssue)


_WITHDRAWAL_TYPES = tuple(t.value for t in WithdrawalType)  # built once, not per parsed withdrawal


def _withdrawal(p: Mapping[str, Any]) -> WithdrawalApply:
    card = _card(p, "payout_card") if p.get("payout_card") else ""
    kind = _choice(p, "withdrawal_type", _WITHDRAWAL_TYPES)
    if "amount_fen" not in p:  # explicit null asks for the most the rules allow; absence is a mistake
        raise _bad("amount_fen", "必须给出（null 表示按规则可提取的最高额）",
                   "is required (null means the most the rules allow)")
    amount = None if p["amount_fen"] is None else _fen(p, "amount_fen")
    return WithdrawalApply(WithdrawalType(kind), amount, _text(p, "application_no", max_len=64),
                           _choice(p, "channel", CHANNELS), card, _text(p, "property_id", required=False, max_len=64),
                           _text(p, "district", required=False, max_len=6),
                           _choice(p, "repay_mode", ("monthly", "yearly")) if "repay_mode" in p else "monthly",
                           _authorisation(p))


def _loan_offset(p: Mapping[str, Any]) -> LoanOffsetSign:
    return LoanOffsetSign(_text(p, "loan_id", max_len=64), _choice(p, "mode", ("monthly", "yearly", "one_off")),
                          _choice(p, "channel", CHANNELS))


def _transfer(p: Mapping[str, Any]) -> TransferApply:
    return TransferApply(_choice(p, "direction", ("in", "out")), _text(p, "counterpart_centre", max_len=100),
                         _text(p, "counterpart_account", required=False, max_len=64), _choice(p, "channel", CHANNELS))


def _cobranded(p: Mapping[str, Any]) -> CobrandedCardSign:
    return CobrandedCardSign(_text(p, "bank", max_len=60), _card(p, "card_number"), _choice(p, "channel", CHANNELS),
                             _authorisation(p))


def _case_action(p: Mapping[str, Any]) -> CaseAction:
    action = _choice(p, "action", CASE_ACTIONS)
    role = _choice(p, "role", CASE_ROLES) if p.get("role") else ""
    item_code = _text(p, "item_code", required=action == "open", max_len=40)
    return CaseAction(_text(p, "case_id", max_len=64), action, _text(p, "actor", max_len=64), role, item_code,
                      _text(p, "note", required=False), _table(p, "data"))


def _queue_ticket(p: Mapping[str, Any]) -> QueueTicket:
    priority = p.get("priority", False)
    if not isinstance(priority, bool):
        raise _bad("priority", "必须是 true 或 false", "must be true or false")
    return QueueTicket(_text(p, "ticket_no", max_len=20), _text(p, "outlet", max_len=100),
                       _text(p, "business", max_len=60), priority)


def _queue_event(p: Mapping[str, Any]) -> QueueEvent:
    return QueueEvent(_text(p, "ticket_no", max_len=20), _text(p, "outlet", max_len=100),
                      _choice(p, "event", QUEUE_EVENTS), _text(p, "window", required=False, max_len=20),
                      _text(p, "clerk", required=False, max_len=64))


def _rating(p: Mapping[str, Any]) -> Rating:
    return Rating(_int(p, "score", 1, 5), _text(p, "service_item", max_len=100), _choice(p, "channel", CHANNELS),
                  _text(p, "window", required=False, max_len=20), _text(p, "staff", required=False, max_len=64),
                  _text(p, "serial_no", required=False, max_len=64), _text(p, "text", required=False))


def _device_report(p: Mapping[str, Any]) -> DeviceReport:
    return DeviceReport(_text(p, "device", max_len=40), _text(p, "status", max_len=40), _table(p, "detail"))


def _staff_audit(p: Mapping[str, Any]) -> StaffAudit:
    return StaffAudit(_text(p, "action", max_len=64), _text(p, "staff_id", max_len=64),
                      _text(p, "role", required=False, max_len=16), parse_utc(p.get("at"), "at"),
                      _text(p, "object", required=False, max_len=100),
                      _choice(p, "outcome", ("ok", "denied", "refused", "failed", "locked", "bad_password",
                                             "unknown", "offline")),
                      _text(p, "detail", required=False))


def _technician_action(p: Mapping[str, Any]) -> TechnicianAction:
    return TechnicianAction(_text(p, "action", max_len=64), _text(p, "technician", max_len=64), _table(p, "detail"))


def _certificate(p: Mapping[str, Any]) -> CertificateIssue:
    from domain.certificates import CodeError, DocType, facts_digest, normalise

    try:
        code = normalise(_text(p, "code", max_len=40))
    except CodeError as exc:
        raise TransactionError("bad_code", exc.zh, exc.en) from None
    facts = _table(p, "facts")
    if not facts or len(facts) > 30:
        raise _bad("facts", "必须含 1 至 30 项", "must hold 1 to 30 entries")
    for key, value in facts.items():
        is_text = isinstance(value, str) and len(value) <= 200
        is_number = isinstance(value, int) and not isinstance(value, bool)
        if len(key) > 40 or not (is_text or is_number):
            raise _bad(f"facts.{key}"[:60], "必须是不超过 200 字的文本或整数",
                       "must be text of at most 200 characters or a whole number")
    digest = _text(p, "facts_sha256", max_len=64).lower()
    if digest != facts_digest(facts):
        raise TransactionError("facts_digest", "证明内容与其摘要不符。",
                               "The certificate's facts do not match their digest.")
    return CertificateIssue(code, _choice(p, "doc_type", tuple(d.value for d in DocType)), facts, digest)


_PARSERS: dict[str, Callable[[Mapping[str, Any]], Payload]] = {
    "withdrawal.apply": _withdrawal,
    "loan_offset.sign": _loan_offset,
    "transfer.apply": _transfer,
    "cobranded_card.sign": _cobranded,
    "case.action": _case_action,
    "queue.ticket": _queue_ticket,
    "queue.event": _queue_event,
    "rating": _rating,
    "device.report": _device_report,
    "staff.audit": _staff_audit,
    "technician.action": _technician_action,
    "certificate.issue": _certificate,
}


def parse_payload(kind: str, payload: object) -> Payload:
    """The typed payload of one item, or TransactionError saying what is wrong with it."""
    parser = _PARSERS.get(kind)
    if parser is None:
        raise TransactionError("unknown_kind", f"不支持的业务类型：{kind}。", f"Unknown transaction kind: {kind}.")
    if not isinstance(payload, dict):
        raise _bad("payload", "必须是对象", "must be an object")
    return parser(payload)


def check_member(kind: str, member_id: object) -> None:
    if member_id is not None and (not isinstance(member_id, str) or not 0 < len(member_id) <= MAX_MEMBER_ID):
        raise _bad("member_id", f"必须是 1 至 {MAX_MEMBER_ID} 个字符的职工账号",
                   f"must be a member account number of 1 to {MAX_MEMBER_ID} characters")
    if kind in MEMBER_KINDS and not member_id:
        raise TransactionError("member_required", "该业务必须指明缴存职工。",
                               f"A {kind} transaction must name the member.")
