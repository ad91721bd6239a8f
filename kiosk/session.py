"""The member's session: who is identified, how, and the account snapshot on screen.

Everything personal the kiosk holds in memory lives here or in a screen's widgets, and both are
cleared by `KioskWindow.wipe_session` on idle timeout, card removal and "finish".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Method = Literal["card", "password", "qr"]


@dataclass
class Session:
    """The member being served, wiped when the session ends."""
    member_id: str = ""
    id_number: str = ""
    name: str = ""
    method: Method | None = None
    snapshot: Any = None  # domain.account.AccountSnapshot once fetched
    started_at: datetime | None = None
    touches: int = 0              # touches since the session began (README lists them per service)
    services_used: list[str] = field(default_factory=list)
    last_receipt: Any = None      # the last receipt shown (for "print again")
    # The member's proof for applications (kiosk.applications): the ledger session opened when the ledger
    # verified the member (protocol.sessions.Opened), or offline the app's QR token. A card read alone has
    # neither: the member may look at the cached account, not move money.
    ledger_session: Any = None
    member_token: str = ""
    on_end: Callable[[str], None] | None = None  # ends the ledger session (set by the identifier)

    @property
    def can_apply(self) -> bool:
        return self.ledger_session is not None or bool(self.member_token)

    @property
    def active(self) -> bool:
        return bool(self.member_id)

    def begin(self, member_id: str, method: Method, *, id_number: str = "", name: str = "") -> None:
        self.member_id, self.method = member_id, method
        self.id_number, self.name = id_number, name
        self.started_at = datetime.now(UTC)
        self.touches = 0

    def clear(self) -> None:
        """Forget everything personal (the object stays, so references to it stay valid); end the ledger session."""
        opened, end = self.ledger_session, self.on_end
        self.ledger_session, self.member_token, self.on_end = None, "", None
        if opened is not None and end is not None:
            end(opened.token)
        self.member_id = self.id_number = self.name = ""
        self.method = None
        self.snapshot = None
        self.started_at = None
        self.touches = 0
        self.services_used.clear()
        self.last_receipt = None
