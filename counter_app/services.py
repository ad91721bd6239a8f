"""Build the counter's collaborators from the terminal configuration: store, sync, staff, devices.

Each device is optional: one that can't start is left out (logged) and its button says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counter_app.bundle import BundleDesk
from counter_app.casework import CaseDesk
from counter_app.desk import Desk, DeskSettings
from counter_app.queueing import QueueDesk
from domain.catalogue import load_catalogue
from domain.evidence import NoSharedData
from domain.staff import LockoutPolicy
from domain.withdrawals.policy import load_withdrawal_policy
from domain.workdays import load_calendar
from infra import paths
from infra.config import Config
from infra.logs import get_logger
from sync.staff_store import StaffStore

log = get_logger("counter")


@dataclass
class CounterServices:
    config: Config
    desk: Desk
    queue: QueueDesk
    cases: CaseDesk
    bundles: BundleDesk
    runtime: Any
    id_reader: Any = None
    printer: Any = None
    camera: Any = None
    case_files: Path = field(default_factory=lambda: paths.data_dir() / "case_files")
    extras: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        """Close the devices (HAL `close`) and stop the sync runtime; one failing does not stop the rest."""
        for part, method in ((self.extras.get("devices"), "close_all"), (self.id_reader, "close"),
                             (self.printer, "close"), (self.camera, "close"), (self.runtime, "stop")):
            stop = getattr(part, method, None)
            if callable(stop):
                try:
                    stop()
                except Exception as exc:  # closing must go on for the others
                    log.warning("could not close %s: %s", part, exc)


def build_services(config: Config, runtime: Any, *, window: str, shared_source: Any = None,
                   staff: StaffStore | None = None, staff_auth: Any = None) -> CounterServices:
    city = config.terminal.policy_city
    settings = DeskSettings(config.terminal.id, config.terminal.outlet, window, config.terminal.centre_name,
                            config.terminal.hotline)
    lockout = LockoutPolicy(config.counter.lockout_failures, config.counter.lockout_minutes)
    staff = staff or StaffStore(runtime.store, config.terminal.id, lockout)
    desk = Desk(settings, staff, load_catalogue(city), load_calendar(city), load_withdrawal_policy(city), runtime)
    client = getattr(runtime, "client", None)
    if staff_auth is None and client is not None and hasattr(client, "staff_sign_in"):
        from sync.staff_auth import StaffAuth

        store_path = getattr(getattr(runtime, "store", None), "path", None)
        folder = Path(store_path).parent if store_path else paths.data_dir()
        staff_auth = StaffAuth(client, folder / "staff_verifiers.json")
    desk.remote = staff_auth
    return CounterServices(config, desk, QueueDesk(desk), CaseDesk(desk, shared_source or NoSharedData()),
                           BundleDesk(desk), runtime)


def attach_devices(services: CounterServices, config: Config, *, poll: bool = True) -> None:
    """Get the ID card reader, the receipt printer and the document camera named in `[devices]`
    through the device manager (`services.extras["devices"]`): one absent at start is adopted when
    it appears; an unplugged one reports "reconnecting" and comes back without a restart."""
    from hardware.manager import start_for_app
    from hardware.model import DeviceClass

    def adopt(name: str, device: Any) -> None:
        if name in ("id_reader", "printer", "camera"):
            setattr(services, name, device)

    manager = services.extras["devices"] = start_for_app(
        config, (DeviceClass.ID_READER, DeviceClass.PRINTER, DeviceClass.CAMERA), adopt, poll=poll)
    engine = getattr(services.runtime, "engine", None)
    if engine is not None:  # the heartbeat carries every device's state (issue 12)
        from support.heartbeat import HeartbeatReport

        names = ("id_reader", "printer", "camera")
        engine.heartbeat_extra = HeartbeatReport(
            config, lambda: {n: d for n in names if (d := getattr(services, n, None)) is not None}, manager.events)
