"""The terminal's view of department facts: what the centre fetched, for a provisional preview only.

Terminals are never a source of facts: the ledger fetches them from the data-sharing exchange and
decides again on its own fetch when the application arrives. This SharedDataSource asks the ledger
(`POST /v1/members/{id}/facts`) so a kiosk or counter can show its provisional decision (秒批 when
the facts allow it); when the ledger cannot be reached nothing is known and the preview lists the
materials to bring, exactly as with `domain.evidence.NoSharedData`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.account import AccountSnapshot
from domain.evidence import SharedData
from infra.logs import get_logger
from sync import errors

log = get_logger("sync")


class CentreFacts:
    def __init__(self, client: Any, *, method: str = "kiosk_confirm") -> None:
        self.client = client
        self.method = method  # how the member authorises the look-up on this terminal

    def _authorisation(self, reference: str) -> dict[str, str]:
        return {"method": self.method, "granted_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "reference": reference}

    def facts_for_withdrawal(self, snapshot: AccountSnapshot, withdrawal_type: str | None,
                             session_token: str | None = None) -> SharedData:
        """The facts the rules of one withdrawal type read (None: the counter's intake set). A kiosk passes
        the member's ledger session: without one the ledger tells a kiosk nothing."""
        member_id = snapshot.member.member_id
        try:
            answer = self.client.member_facts(member_id, withdrawal_type,
                                              self._authorisation(f"preview.{withdrawal_type or 'intake'}"),
                                              session_token)
            return SharedData.from_json(answer.get("shared") or {})
        except (errors.LedgerError, OSError, ValueError, TypeError) as exc:
            log.info("no centre facts for the preview (%s): the rules list the materials", type(exc).__name__)
            return SharedData()

    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        return self.facts_for_withdrawal(snapshot, None)
