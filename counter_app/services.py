"""Build the counter's collaborators from the terminal configuration: store, sync, staff, devices.

Each device is optional: one that can't start is left out (logged) and its button says so.
The desk, the queue and the case desks (SQLAlchemy, the policy files) are imported when built:
`hpf-counter` builds them after its first frame (counter_app.starting).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infra import paths
from infra.config import Config
from infra.logs import get_logger

if TYPE_CHECKING:
    from counter_app.bundle import BundleDesk
    from counter_app.casework import CaseDesk
    from counter_app.desk import Desk
    from counter_app.queueing import QueueDesk
    from sync.staff_store import StaffStore

log = get_logger("counter")


@dataclass
class CounterServices:
    """The counter's services: the desks, the sync runtime and the devices it drives itself."""
    config: Config
    desk: Desk
    queue: QueueDesk
    cases: CaseDesk
    bundles: BundleDesk
    runtime: Any
    id_reader: Any = None
    printer: Any = None
    camera: Any = None
    # <data dir>/case_files unless set; looked up on first use (the data dir's lookup imports
    # platformdirs: not before the counter's first frame)
    _case_files: Path | None = field(default=None, repr=False)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def case_files(self) -> Path:
        if self._case_files is None:
            self._case_files = paths.data_dir() / "case_files"
        return self._case_files

    @case_files.setter
    def case_files(self, folder: Path) -> None:
        self._case_files = folder

    def close(self) -> None:
        """Close the devices (HAL `close`) and stop the sync runtime; one failing does not stop the rest."""
        for name in ("opening", "starting"):  # the store's and the later devices' threads: nothing opens after
            # the close
            thread = self.extras.get(name)
            if thread is not None:
                thread.join(30.0)
        for part, method in ((self.extras.get("devices"), "close_all"), (self.id_reader, "close"),
                             (self.printer, "close"), (self.camera, "close"), (self.runtime, "stop"),
                             (self.extras.pop("opened_runtime", None), "stop")):  # opened, never attached
            stop = getattr(part, method, None)
            if callable(stop):
                try:
                    stop()
                except Exception as exc:  # closing must go on for the others
                    log.warning("could not close %s: %s", part, exc)


def build_services(config: Config, runtime: Any, *, window: str, shared_source: Any = None,
                   staff: StaffStore | None = None, staff_auth: Any = None) -> CounterServices:
    from counter_app.bundle import BundleDesk
    from counter_app.casework import CaseDesk
    from counter_app.desk import Desk, DeskSettings
    from counter_app.queueing import QueueDesk
    from domain.catalogue import load_catalogue
    from domain.evidence import NoSharedData
    from domain.staff import LockoutPolicy
    from domain.withdrawals.policy import load_withdrawal_policy
    from domain.workdays import load_calendar
    from sync.staff_store import StaffStore

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


def attach_devices(services: CounterServices, config: Config, *, poll: bool = True, later: bool = False) -> None:
    """Get the ID card reader, the receipt printer and the document camera named in `[devices]`
    through the device manager (`services.extras["devices"]`): one absent at start is adopted when
    it appears; an unplugged one reports "reconnecting" and comes back without a restart.

    `later=True`: the ID card reader only; `attach_devices_later` adds the printer and the document
    camera (OpenCV) after the first frame (the sign-in needs neither)."""
    from hardware.manager import start_for_app
    from hardware.model import DeviceClass

    def adopt(name: str, device: Any) -> None:
        if name in ("id_reader", "printer", "camera"):
            setattr(services, name, device)

    classes = (DeviceClass.ID_READER,) if later else (DeviceClass.ID_READER, DeviceClass.PRINTER, DeviceClass.CAMERA)
    services.extras["adopt_device"] = adopt
    services.extras["devices"] = start_for_app(config, classes, adopt, poll=poll)
    attach_heartbeat(services, config)


def attach_heartbeat(services: CounterServices, config: Config) -> None:
    """The heartbeat carries every device's state (issue 12): once both the sync runtime and the devices exist."""
    engine, manager = getattr(services.runtime, "engine", None), services.extras.get("devices")
    if engine is None or manager is None:
        return
    from support.heartbeat import HeartbeatReport

    names = ("id_reader", "printer", "camera")
    engine.heartbeat_extra = HeartbeatReport(
        config, lambda: {n: d for n in names if (d := getattr(services, n, None)) is not None}, manager.events)


def attach_devices_later(services: CounterServices, config: Config) -> None:
    """The printer and the document camera, on a thread of their own, into the manager
    `attach_devices(later=True)` started (the screens look at `services.printer` / `.camera` when
    used, so a device adopted a moment later is simply there)."""
    import threading

    from hardware.model import DeviceClass

    manager, adopt = services.extras.get("devices"), services.extras.get("adopt_device")
    if manager is None or adopt is None:
        return

    def work() -> None:
        try:
            for name, reason in manager.extend(config, (DeviceClass.PRINTER, DeviceClass.CAMERA)).items():
                log.error("%s not used: %s", name, reason)
            for name, exc in manager.start_all(only=("printer", "camera")).items():
                log.error("%s (%s) not started: %s; retrying in the background", name, manager.specs[name].kind, exc)
            for name in ("printer", "camera"):
                device = manager.started(name)
                if device is not None:
                    adopt(name, device)
        except Exception:  # a driver bug must not take the counter down
            log.exception("starting the printer and the camera failed")

    thread = threading.Thread(target=work, name="hpf-counter-devices", daemon=True)
    services.extras["starting"] = thread
    thread.start()
