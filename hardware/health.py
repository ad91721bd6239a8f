"""Health checks at the three UnifiedPOS levels, and their results.

- internal: a status query with no side effect (nothing printed, no card read);
- external: a real test operation (a test read, a test print, a test scan);
- interactive: a guided list of steps a technician follows on the diagnostics screen; the screen
  records the technician's verdict with `Device.record_health`.

A result is text in Chinese and English plus a stable code and a UTC time; each device keeps its
last result (`Device.last_health`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime


class HealthLevel(enum.StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"
    INTERACTIVE = "interactive"


@dataclass(frozen=True)
class GuidedStep:
    """One step of an interactive check: what the technician does and what they should see."""

    do_zh: str
    do_en: str
    expect_zh: str
    expect_en: str


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class HealthResult:
    """The outcome of one health check. `code` is stable ("OK", "NO_DEVICE", ...) for scripts."""

    device: str
    level: HealthLevel
    ok: bool
    code: str
    text_zh: str
    text_en: str
    time: datetime = field(default_factory=_now)
    steps: tuple[GuidedStep, ...] = ()

    def one_line(self) -> str:
        """`name: OK - text` style summary for the command line and logs."""
        return f"{self.device}: {self.code} - {self.text_zh} / {self.text_en}"

    def as_dict(self) -> dict[str, object]:
        return {
            "device": self.device,
            "level": self.level.value,
            "ok": self.ok,
            "code": self.code,
            "text_zh": self.text_zh,
            "text_en": self.text_en,
            "time": self.time.isoformat(timespec="seconds"),
            "steps": [
                {"do_zh": s.do_zh, "do_en": s.do_en, "expect_zh": s.expect_zh, "expect_en": s.expect_en}
                for s in self.steps
            ],
        }
