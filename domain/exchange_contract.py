"""The HTTP contract between the fund centre and the provincial data-sharing exchange (政务数据共享交换平台).

Both sides import this module: the ledger's client (ledger.exchange) and the simulator
(`hpf-exchange serve`, package exchange). Pure: JSON shapes, the topic registry, canonical
JSON and the Ed25519 signature over it; no network. docs/exchange.md describes the same.

    POST /v1/lookup   body: LookupRequest.to_json()
    200               {"body": <response body>, "key_id": str, "signature": base64(Ed25519(canonical(body)))}

A response body names the request it answers (request id, topic, ID number): a signed answer
about someone else, or to another question, is refused by `verify_response` just like a bad
signature. Topics are a registry (`TOPICS`) so a later issue adds its own (credit report, property
by certificate, mortgage registration: a write that returns a receipt) without touching the rest.
"""

from __future__ import annotations

import base64
import binascii
import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from domain.evidence import Department

CONTRACT_VERSION = "1"
LOOKUP_PATH = "/v1/lookup"

# The simulator's DEMO signing key (its private half is in exchange/demo_keys/, demo and tests only).
# A production ledger must be configured with the real exchange's public key instead.
DEMO_KEY_ID = "demo-exchange-2026"
DEMO_PUBLIC_KEY = "e/yzLzbOPtoaN2eYhFhcw/TR6v6gaj7femPldeCsLhY="


class Status(enum.StrEnum):
    OK = "ok"                # the department holds a record: `facts` describes it
    NO_RECORD = "no_record"  # the department answered and holds nothing about the person


@dataclass(frozen=True)
class TopicSpec:
    name: str
    department: Department
    zh: str
    en: str
    params: tuple[str, ...] = ()           # extra request parameters the topic takes
    write: bool = False                    # a registration (answers with a receipt), never cached
    signed_authorisation: bool = False     # needs the member's signed authorisation (e.g. 征信)
    optional: tuple[str, ...] = ()         # parameters the topic may take (at least one of them, if any)


class Topic(enum.StrEnum):
    RETIREMENT = "hrss.retirement"
    EMPLOYMENT = "hrss.employment"
    PROPERTY_OWNERSHIP = "property.ownership"
    PROPERTY_REGISTRATION = "property.registration"
    MARRIAGE = "civil.marriage"
    HOUSEHOLD = "police.household"
    DEED_TAX = "tax.deed_tax"
    MEDICAL_SETTLEMENT = "medical.settlement"
    BANK_ACCOUNT = "bank.account_ownership"
    # Loans (issue 11, docs/loans.md)
    CREDIT_REPORT = "pboc.credit_report"
    PURCHASE_CONTRACT = "housing.purchase_contract"
    PROPERTY = "property.certificate"
    MORTGAGE_REGISTRATION = "property.mortgage_registration"
    MORTGAGE_STATUS = "property.mortgage_status"


TOPICS: dict[str, TopicSpec] = {spec.name: spec for spec in (
    TopicSpec(Topic.RETIREMENT, Department.HRSS, "人社退休信息", "retirement record"),
    TopicSpec(Topic.EMPLOYMENT, Department.HRSS, "人社就业参保信息", "employment and contributions"),
    TopicSpec(Topic.PROPERTY_OWNERSHIP, Department.PROPERTY_REGISTRY, "不动产权属信息", "homes owned in the city"),
    TopicSpec(Topic.PROPERTY_REGISTRATION, Department.PROPERTY_REGISTRY, "不动产登记（购房）信息",
              "purchase registrations"),
    TopicSpec(Topic.MARRIAGE, Department.CIVIL_AFFAIRS, "民政婚姻登记信息", "marriage registration"),
    TopicSpec(Topic.HOUSEHOLD, Department.PUBLIC_SECURITY, "公安户籍信息", "household register"),
    TopicSpec(Topic.DEED_TAX, Department.TAX, "税务契税完税信息", "deed tax paid"),
    TopicSpec(Topic.MEDICAL_SETTLEMENT, Department.MEDICAL_INSURANCE, "医保结算信息", "medical settlements"),
    TopicSpec(Topic.BANK_ACCOUNT, Department.BANK, "银行账户归属核验", "bank account ownership",
              params=("card_number",)),
    TopicSpec(Topic.CREDIT_REPORT, Department.CREDIT_REFERENCE, "人民银行个人征信报告", "PBOC credit report",
              signed_authorisation=True),
    TopicSpec(Topic.PURCHASE_CONTRACT, Department.HOUSING_BUREAU, "网签购房合同备案信息",
              "registered purchase contract", params=("contract_no",)),
    TopicSpec(Topic.PROPERTY, Department.PROPERTY_REGISTRY, "不动产登记信息（按证号或坐落）",
              "property by certificate or address", optional=("certificate_no", "address")),
    TopicSpec(Topic.MORTGAGE_REGISTRATION, Department.PROPERTY_REGISTRY, "不动产抵押登记申请", "mortgage registration",
              params=("certificate_no", "loan_amount_fen", "contract_no", "mortgagee"), write=True),
    TopicSpec(Topic.MORTGAGE_STATUS, Department.PROPERTY_REGISTRY, "不动产抵押登记办理进度",
              "mortgage registration status", params=("receipt_no",)),
)}

LOAN_TOPICS = frozenset({Topic.CREDIT_REPORT, Topic.PURCHASE_CONTRACT, Topic.PROPERTY, Topic.MORTGAGE_REGISTRATION,
                         Topic.MORTGAGE_STATUS})


class ContractError(ValueError):
    """A request or response that does not follow the contract (bilingual message)."""


def canonical(value: Mapping[str, Any]) -> bytes:
    """The bytes that are signed: UTF-8 JSON, keys sorted, no spaces."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Authorisation:
    """The member's consent to this look-up (个人信息保护法: consent for a stated purpose).

    `method`: how it was given (kiosk_confirm, counter_form, app, session); `reference`: what
    proves it (the application number, a signed form's scan reference, a session id); `signature`:
    the member's signature over it where a topic demands one (credit report), else "".
    """

    method: str
    granted_at: str
    reference: str = ""
    signature: str = ""

    def to_json(self) -> dict[str, str]:
        return {"method": self.method, "granted_at": self.granted_at, "reference": self.reference,
                "signature": self.signature}


@dataclass(frozen=True)
class LookupRequest:
    topic: str
    id_number: str
    purpose: str                 # e.g. "withdrawal.retirement", shown in the exchange's own audit
    case_id: str                 # the centre's case / idempotency key the look-up serves
    request_id: str              # unique per request: the exchange's idempotency key
    authorisation: Authorisation
    requester: str               # the centre's system id
    operator: str                # who asked at the centre: terminal id or staff id
    params: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"contract": CONTRACT_VERSION, "topic": self.topic, "id_number": self.id_number,
                "purpose": self.purpose, "case_id": self.case_id, "request_id": self.request_id,
                "authorisation": self.authorisation.to_json(), "requester": self.requester,
                "operator": self.operator, "params": dict(self.params)}


@dataclass(frozen=True)
class LookupResponse:
    request_id: str
    topic: str
    id_number: str
    status: Status
    facts: dict[str, Any]
    source: str                  # the department's name (domain.evidence.Department value)
    as_of: datetime              # when the department's record was read
    signature: str = ""          # base64, over canonical(body)
    key_id: str = ""

    def body(self) -> dict[str, Any]:
        return {"contract": CONTRACT_VERSION, "request_id": self.request_id, "topic": self.topic,
                "id_number": self.id_number, "status": self.status.value, "facts": self.facts,
                "source": self.source, "as_of": utc_iso(self.as_of)}


def sign_response(response: LookupResponse, key: Ed25519PrivateKey, key_id: str) -> dict[str, Any]:
    """The envelope the exchange sends."""
    body = response.body()
    return {"body": body, "key_id": key_id, "signature": base64.b64encode(key.sign(canonical(body))).decode("ascii")}


def public_key(b64: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(b64, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise ContractError(f"交换平台公钥格式不正确 / the exchange public key is malformed ({exc})") from None


def verify_response(envelope: object, request: LookupRequest, key: Ed25519PublicKey) -> LookupResponse:
    """The response, after its signature and its match with the request are checked; ContractError otherwise."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("body"), dict):
        raise ContractError("交换平台应答格式不正确 / the exchange's answer is malformed")
    body: dict[str, Any] = envelope["body"]
    try:
        signature = base64.b64decode(str(envelope.get("signature", "")), validate=True)
        key.verify(signature, canonical(body))
    except (binascii.Error, ValueError, InvalidSignature):
        raise ContractError("交换平台应答签名无效 / the exchange's signature does not verify") from None
    for name in ("request_id", "topic", "id_number"):
        if body.get(name) != getattr(request, name):
            raise ContractError(f"交换平台应答与请求不符（{name}） / the answer does not match the request ({name})")
    try:
        status = Status(body["status"])
        as_of = datetime.fromisoformat(str(body["as_of"]))
        facts = body["facts"]
        source = str(body["source"])
    except (KeyError, ValueError) as exc:
        raise ContractError(f"交换平台应答缺少字段 / the exchange's answer lacks a field ({exc})") from None
    if as_of.tzinfo is None or not isinstance(facts, dict):
        raise ContractError("交换平台应答字段不正确 / the exchange's answer has a bad field")
    return LookupResponse(request.request_id, request.topic, request.id_number, status, facts, source,
                          as_of.astimezone(UTC), str(envelope["signature"]), str(envelope.get("key_id", "")))


def parse_request(data: object) -> LookupRequest:
    """The exchange's side: a request body, checked; ContractError names what is wrong."""
    if not isinstance(data, dict):
        raise ContractError("请求必须是对象 / the request must be an object")

    def text(name: str, source: Mapping[str, Any] = data, required: bool = True) -> str:
        value = source.get(name, "")
        if not isinstance(value, str) or (required and not value) or len(value) > 200:
            raise ContractError(f"字段 {name} 缺失或格式不正确 / field {name} is missing or malformed")
        return value

    topic = text("topic")
    spec = TOPICS.get(topic)
    if spec is None:
        raise ContractError(f"不支持的主题 {topic} / unknown topic {topic}")
    auth = data.get("authorisation")
    if not isinstance(auth, dict):
        raise ContractError("缺少本人授权 / the member's authorisation is missing")
    authorisation = Authorisation(text("method", auth), text("granted_at", auth), text("reference", auth, False),
                                  text("signature", auth, False))
    if spec.signed_authorisation and not (authorisation.signature and authorisation.reference):
        raise ContractError(f"主题 {topic} 需要本人签名授权 / topic {topic} needs the member's signed authorisation")
    params_in = data.get("params") or {}
    if not isinstance(params_in, dict):
        raise ContractError("字段 params 必须是对象 / field params must be an object")
    params = {name: text(name, params_in) for name in spec.params}
    params.update({name: text(name, params_in, False) for name in spec.optional if params_in.get(name)})
    if spec.optional and not any(params.get(name) for name in spec.optional):
        raise ContractError(f"主题 {topic} 需要 {' 或 '.join(spec.optional)} / topic {topic} needs one of "
                            f"{', '.join(spec.optional)}")
    return LookupRequest(topic, text("id_number"), text("purpose"), text("case_id"), text("request_id"),
                         authorisation, text("requester"), text("operator"), params)
