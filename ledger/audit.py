"""The ledger's append-only audit trail: a hash chain whose entries and exported heads are signed.

Every entry (who, role, terminal, action, object, outcome, time, details) stores
`entry_hash = SHA-256(canonical JSON of its fields + prev_hash)` and an Ed25519 signature of that
hash by the audit key. At intervals the chain head (seq, hash, time) is signed and written as a
file outside the database (`export_head`). `verify` walks the chain and names the first row that
  * was edited (its content no longer gives its hash),
  * follows deleted rows (a gap in seq, or prev_hash not the previous row's hash),
  * carries a hash that the audit key never signed (a chain recomputed with database access but
    without the key),
and compares the tail with the newest exported head, so deleting the last rows is caught too.
Rows appended after the newest exported head and then deleted are not detectable: the export
interval bounds that window (see ledger/README.md).

Appenders serialise on one locked row (`audit_chain`, SELECT … FOR UPDATE on PostgreSQL; SQLite
writers are serialised by BEGIN IMMEDIATE), inside the caller's transaction, so an action and its
audit entry commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from infra import paths
from ledger.models_staff import AuditChainRow, AuditEntryRow

GENESIS = "0" * 64
HEAD_FILE_PREFIX = "audit-head-"
# The demo audit key is derived from a published phrase: anyone can sign with it. Production mode
# must refuse it (`AuditKey.demo`); a centre sets `audit_key_file` to a key only the ledger reads.
_DEMO_SEED = hashlib.sha256(b"hpf-terminal demo audit key - not for production").digest()


@dataclass(frozen=True)
class AuditKey:
    private: Ed25519PrivateKey | None
    public: Ed25519PublicKey
    key_id: str
    demo: bool = False

    def sign(self, data: bytes) -> str:
        if self.private is None:
            raise ValueError("审计私钥不可用，不能签名 / the audit private key is not available to sign")
        return self.private.sign(data).hex()

    def verify(self, signature_hex: str, data: bytes) -> bool:
        try:
            self.public.verify(bytes.fromhex(signature_hex), data)
        except (InvalidSignature, ValueError):
            return False
        return True


def _key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def demo_key() -> AuditKey:
    private = Ed25519PrivateKey.from_private_bytes(_DEMO_SEED)
    return AuditKey(private, private.public_key(), _key_id(private.public_key()), demo=True)


def load_key(path: str | Path | None) -> AuditKey:
    """The audit key from a PEM file (PKCS#8 private key, or a public key for verify-only), or the
    demo key when no path is configured."""
    if not path:
        return demo_key()
    data = Path(path).read_bytes()
    if b"PUBLIC KEY" in data:
        public = serialization.load_pem_public_key(data)
        if not isinstance(public, Ed25519PublicKey):
            raise ValueError(f"{path}: not an Ed25519 public key / 不是 Ed25519 公钥")
        return AuditKey(None, public, _key_id(public))
    private = serialization.load_pem_private_key(data, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 private key / 不是 Ed25519 私钥")
    key = AuditKey(private, private.public_key(), _key_id(private.public_key()))
    return AuditKey(key.private, key.public, key.key_id, demo=key.key_id == demo_key().key_id)


def generate_key_file(path: str | Path) -> AuditKey:
    """Write a new Ed25519 audit key (PEM, mode 0600); refuses to overwrite."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return AuditKey(private, private.public_key(), _key_id(private.public_key()))


def default_heads_dir() -> Path:
    return paths.data_dir() / "audit-heads"


# ---- the chain ----

def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(seq: int, at: datetime, staff_id: str, role: str, terminal_id: str, action: str, obj: str,
               outcome: str, details: Mapping[str, Any], prev_hash: str) -> str:
    body = {"seq": seq, "at": _iso(at), "staff_id": staff_id, "role": role, "terminal_id": terminal_id,
            "action": action, "object": obj, "outcome": outcome, "details": details, "prev": prev_hash}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _row_hash(row: AuditEntryRow) -> str:
    return entry_hash(row.seq, row.at, row.staff_id, row.role, row.terminal_id, row.action, row.object,
                      row.outcome, row.details or {}, row.prev_hash)


def _clean(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """Details as the JSON column will give them back (so the hash is the same after a round trip)."""
    return dict(json.loads(json.dumps(dict(details or {}), ensure_ascii=False, default=str)))


def append(session: Session, key: AuditKey, *, action: str, staff_id: str = "", role: str = "",
           terminal_id: str = "", obj: str = "", outcome: str = "ok", details: Mapping[str, Any] | None = None,
           at: datetime | None = None) -> AuditEntryRow:
    """Append one entry inside the caller's transaction (it commits with the action it records)."""
    chain = session.get(AuditChainRow, 1, with_for_update=True)
    if chain is None:
        last = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)).first()
        chain = AuditChainRow(id=1, seq=last.seq if last else 0, head_hash=last.entry_hash if last else GENESIS)
        session.add(chain)
        session.flush()
    when = (at or datetime.now(UTC)).astimezone(UTC)
    seq = chain.seq + 1
    clean = _clean(details)
    staff_id, role, terminal_id, action, obj, outcome = (staff_id[:64], role[:16], terminal_id[:64], action[:64],
                                                          obj[:100], outcome[:16])
    digest = entry_hash(seq, when, staff_id, role, terminal_id, action, obj, outcome, clean, chain.head_hash)
    row = AuditEntryRow(seq=seq, at=when, staff_id=staff_id, role=role, terminal_id=terminal_id, action=action,
                        object=obj, outcome=outcome, details=clean, prev_hash=chain.head_hash, entry_hash=digest,
                        key_id=key.key_id, signature=key.sign(bytes.fromhex(digest)))
    session.add(row)
    chain.seq, chain.head_hash = seq, digest
    session.flush()
    return row


# ---- signed heads outside the database ----

def _head_message(seq: int, digest: str, at: str) -> bytes:
    return f"hpf-audit-head\n{seq}\n{digest}\n{at}".encode()


def export_head(session: Session, key: AuditKey, directory: str | Path | None = None) -> Path | None:
    """Sign the current head and write it as `audit-head-<seq>.json` (0600); None when the chain is
    empty or this head was exported already."""
    last = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)).first()
    if last is None:
        return None
    folder = Path(directory) if directory else default_heads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{HEAD_FILE_PREFIX}{last.seq:012d}.json"
    if target.exists():
        return None
    at = _iso(datetime.now(UTC))
    body = {"seq": last.seq, "hash": last.entry_hash, "at": at, "key_id": key.key_id,
            "signature": key.sign(_head_message(last.seq, last.entry_hash, at))}
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".head-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(body, out, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    return target


@dataclass(frozen=True)
class SignedHead:
    seq: int
    hash: str
    at: str
    path: Path


def read_heads(directory: str | Path | None, key: AuditKey) -> tuple[list[SignedHead], list[str]]:
    """The exported heads whose signature holds, oldest first, and a problem line for each that does not."""
    folder = Path(directory) if directory else default_heads_dir()
    good: list[SignedHead] = []
    bad: list[str] = []
    if not folder.is_dir():
        return good, bad
    for path in sorted(folder.glob(f"{HEAD_FILE_PREFIX}*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            seq, digest, at, sig = int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["signature"])
        except (OSError, ValueError, KeyError, TypeError):
            bad.append(f"{path.name}: unreadable head file / 签名头文件无法读取")
            continue
        if not key.verify(sig, _head_message(seq, digest, at)):
            bad.append(f"{path.name}: signature does not verify / 签名头的签名无效")
            continue
        good.append(SignedHead(seq, digest, at, path))
    good.sort(key=lambda h: h.seq)
    return good, bad


# ---- verification ----

@dataclass
class VerifyReport:
    rows: int = 0
    last_seq: int = 0
    heads_checked: int = 0
    problems: list[str] = field(default_factory=list)
    first_bad_seq: int | None = None
    notes: list[str] = field(default_factory=list)

    bad_rows: int = 0
    max_listed: int = 20

    @property
    def ok(self) -> bool:
        return not self.problems

    def _bad(self, seq: int, text: str) -> None:
        if self.first_bad_seq is None or seq < self.first_bad_seq:
            self.first_bad_seq = seq
        self.bad_rows += 1
        if len(self.problems) < self.max_listed:
            self.problems.append(text)


def verify(session: Session, key: AuditKey, heads_dir: str | Path | None = None, *,
           max_problems: int = 20) -> VerifyReport:
    """Walk the whole chain and compare it with the exported heads; see the module docstring."""
    report = VerifyReport(max_listed=max_problems)
    prev_hash, expected = GENESIS, 1
    by_seq: dict[int, str] = {}
    for row in session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)).yield_per(2000):
        report.rows += 1
        if row.seq != expected:
            report._bad(expected, f"row {row.seq}: rows {expected}..{row.seq - 1} before it are missing (deleted) "
                                 f"/ 第 {row.seq} 行之前的第 {expected}..{row.seq - 1} 行缺失（被删除）")
        elif row.prev_hash != prev_hash:
            report._bad(row.seq, f"row {row.seq}: does not link to the row before it (a row was deleted or "
                                 f"replaced) / 第 {row.seq} 行与上一行的哈希链接不上")
        if _row_hash(row) != row.entry_hash:
            report._bad(row.seq, f"row {row.seq}: its content does not match its hash (the row was edited) "
                                 f"/ 第 {row.seq} 行内容与其哈希不符（被篡改）")
        elif not key.verify(row.signature, bytes.fromhex(row.entry_hash) if _is_hex(row.entry_hash) else b""):
            report._bad(row.seq, f"row {row.seq}: its hash was not signed by the audit key (the chain was "
                                 f"recomputed without the key) / 第 {row.seq} 行的哈希没有审计密钥的签名（链被重算）")
        prev_hash, expected = row.entry_hash, row.seq + 1
        by_seq[row.seq] = row.entry_hash
        report.last_seq = row.seq
    heads, bad_heads = read_heads(heads_dir, key)
    for text in bad_heads:
        report.problems.append(text)
    report.heads_checked = len(heads)
    if not heads:
        report.notes.append("no exported signed head: deleting the newest rows cannot be detected / "
                            "没有导出的签名头：无法发现末尾行被删除")
    for head in heads:
        stored = by_seq.get(head.seq)
        if head.seq > report.last_seq:
            report._bad(report.last_seq + 1,
                        f"row {report.last_seq + 1}: missing — rows {report.last_seq + 1}..{head.seq} were deleted "
                        f"(the head exported at {head.at} ends at row {head.seq}) / 第 {report.last_seq + 1}.."
                        f"{head.seq} 行被删除（{head.at} 导出的签名头止于第 {head.seq} 行）")
        elif stored is not None and stored != head.hash:
            report._bad(head.seq, f"row {head.seq}: differs from the signed head exported at {head.at} "
                                  f"/ 第 {head.seq} 行与 {head.at} 导出的签名头不符")
    if report.bad_rows > report.max_listed:
        report.notes.append(f"{report.bad_rows} problems in all, the first {report.max_listed} listed / "
                            f"共 {report.bad_rows} 处问题，仅列出前 {report.max_listed} 处")
    return report


def _is_hex(text: str) -> bool:
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return True


_configured: AuditKey | None = None


def configure(key: AuditKey) -> None:
    """The key this process signs audit entries with (set by `ledger.staff_api.install`)."""
    global _configured
    _configured = key


def current_key() -> AuditKey:
    global _configured
    if _configured is None:
        _configured = demo_key()
    return _configured
