"""Member look-up by ID number and query-password check, with an attempt limit.

ID numbers only ever arrive in request bodies (never URLs, which end up in access logs).
Passwords are argon2 hashes; after `password_max_failures` wrong answers in a row the member
is locked out for `password_lockout_s`, counted in the database so every ledger process agrees.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain.identity import InvalidIdNumber, parse_id_number
from ledger.errors import LedgerError, bad_request, not_found, unauthorized
from ledger.models import Member
from ledger.settings import LedgerSettings

# OWASP's minimum argon2id profile (19 MiB, t=2): a few ms per hash, so seeding 200 members is quick.
HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


def normalise_id_number(text: object) -> str:
    """The stored form: 18 characters, upper-case X; a 15-digit first-generation number is upgraded."""
    if not isinstance(text, str):
        raise bad_request("证件号码必须是文本。", "The ID number must be text.")
    try:
        return parse_id_number(text).number
    except InvalidIdNumber as exc:
        # Not a valid number: it cannot be on file, but say why rather than "not found".
        raise bad_request(f"证件号码不正确：{exc.zh}。", f"The ID number is not valid: {exc.en}.",
                          code="bad_id_number") from None


# Seeded demo members only: a 6-digit PIN has 10^6 values, so no hash profile protects it against an
# offline search; what protects it is the attempt limit below. A light profile keeps seeding to seconds.
DEMO_HASHER = PasswordHasher(time_cost=1, memory_cost=4_096, parallelism=1)


def hash_password(password: str, *, demo: bool = False) -> str:
    return (DEMO_HASHER if demo else HASHER).hash(password)


def _by_id_number(session: Session, id_number: str) -> Member | None:
    return session.scalars(select(Member).where(Member.id_number == id_number)).first()


def lookup(sessions: sessionmaker[Session], id_number: object) -> str:
    with sessions() as session:
        member = _by_id_number(session, normalise_id_number(id_number))
    if member is None:
        raise not_found("未找到该证件号码的缴存职工。", "No member has this ID number.", code="unknown_member")
    return member.member_id


def _bad_password() -> LedgerError:
    return unauthorized("bad_password", "证件号码或查询密码不正确。", "The ID number or query password is wrong.")


def verify_password(sessions: sessionmaker[Session], id_number: object, password: object,
                    settings: LedgerSettings, *, now: datetime | None = None) -> str:
    number = normalise_id_number(id_number)
    if not isinstance(password, str):
        raise bad_request("密码必须是文本。", "The password must be text.")
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        member = session.scalars(select(Member).where(Member.id_number == number).with_for_update()).first()
        if member is None:
            HASHER.hash(password)  # spend the same time as a real check: no member enumeration by timing
            raise _bad_password()
        if member.locked_until is not None and member.locked_until > now:
            minutes = max(1, int((member.locked_until - now).total_seconds() // 60) + 1)
            raise unauthorized("locked_out", f"密码错误次数过多，请 {minutes} 分钟后再试或到柜台办理。",
                               f"Too many wrong passwords; try again in {minutes} minutes or go to a counter.")
        try:
            HASHER.verify(member.password_hash, password)
        except (VerificationError, InvalidHashError):
            member.failed_password_attempts += 1
            if member.failed_password_attempts >= settings.password_max_failures:
                member.locked_until = now + timedelta(seconds=settings.password_lockout_s)
                member.failed_password_attempts = 0
            failed = True
        else:
            member.failed_password_attempts, member.locked_until = 0, None
            failed = False
        member_id = member.member_id
    if failed:
        raise _bad_password()
    return member_id
