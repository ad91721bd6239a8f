"""The device manager's records: the serial ports it sees, the ports-changed event, `hpf-diag list`'s rows.

`hardware.manager` re-exports them and imports this module when it first needs one: at its first
port poll or listing, on the manager's thread after an app's first frame (each frozen dataclass
costs its class a few milliseconds of code generation at import).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hardware.events import DeviceEvent


@dataclass(frozen=True)
class PortInfo:
    """A serial port seen on this machine."""

    device: str  # /dev/ttyUSB0, COM3
    description: str = ""
    hwid: str = ""  # "USB VID:PID=10C4:EA60 SER=..." on USB adapters


@dataclass(frozen=True)
class PortsChanged(DeviceEvent):
    """Serial ports appeared or went away."""
    added: tuple[PortInfo, ...] = ()
    removed: tuple[PortInfo, ...] = ()


@dataclass(frozen=True)
class DeviceRow:
    """One line of `hpf-diag list`: a configured device, or a port nothing drives."""

    name: str
    device_class: str
    kind: str
    uri: str
    driver: str = ""  # the driver that took it; empty when none could
    reason: str = ""  # why it is not driven; empty when it is
    state: str = ""
    status: dict[str, str] = field(default_factory=dict)
    info: dict[str, str] = field(default_factory=dict)
    last_health: dict[str, object] | None = None

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "class": self.device_class, "kind": self.kind, "uri": self.uri,
                "driver": self.driver, "reason": self.reason, "state": self.state, "status": self.status,
                "info": self.info, "last_health": self.last_health}
