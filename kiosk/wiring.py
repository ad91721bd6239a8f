"""Build the kiosk's services from the terminal configuration (production and demo alike).

Each part is built independently: a part whose module or device can't be set up is left out
(logged), and the screens that need it show themselves as unavailable.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from infra.config import Config
from infra.logs import get_logger
from kiosk.devices import CardReaderLoop, InputLoop, ScannerLoop
from kiosk.services import Services

log = get_logger("kiosk")


def services_from_config(config: Config, *, start_sync: bool = True, devices: bool = True,
                         sync: bool = True) -> Services:
    """`devices=False`: leave the devices to `kiosk.app.start_kiosk` (input devices before the first
    frame, the printer right after it); `sync=False`: leave the local store and the sync runtime to
    it as well (opened after the first frame, `attach_sync_later`)."""
    services = Services(config)
    if sync:
        attach_sync(services, _sync_runtime(config))
    if sync and start_sync and services.sync is not None:
        services.sync.start()
    keys_file = config.kiosk.member_token_keys
    services.token_verifier = TokenKeys(Path(keys_file) if keys_file else None)
    if sync:  # else the kiosk's start-up reads the keys (cryptography) right after the first frame
        load_token_keys(services)
    if devices:
        attach_devices(services, config)
    return services


class TokenKeys:
    """The verifier of the member app's QR token, its keys (and cryptography) loaded on first use.

    `kiosk.app.start_kiosk` loads them on its worker right after the first frame (and, if the file
    cannot be read, takes QR sign-in off: `services.token_verifier = None`, as before). A code
    scanned before that is verified all the same: the first `verify` loads the keys itself."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._verifier: Any = None
        self.error: Exception | None = None
        self._lock = threading.Lock()

    def load(self) -> Any:
        """The `domain.member_token.TokenVerifier`, or None when the keys cannot be loaded (logged once)."""
        with self._lock:
            if self._verifier is None and self.error is None:
                from domain.member_token import TokenVerifier, load_public_keys

                try:
                    self._verifier = TokenVerifier(load_public_keys(self.path))
                except (OSError, ValueError) as exc:
                    self.error = exc
                    log.error("QR sign-in disabled: the centre's token keys could not be loaded: %s", exc)
            return self._verifier

    def verify(self, token: str, now: int) -> Any:
        verifier = self.load()
        if verifier is None:
            from domain.member_token import TokenError

            raise TokenError("no_keys", "本机暂不支持扫码登录，请使用身份证或密码。",
                             "QR sign-in is not set up on this terminal; use your ID card or password.")
        return verifier.verify(token, now)


def load_token_keys(services: Services) -> None:
    """Any thread: read the QR token keys now; QR sign-in is off if they cannot be read."""
    keys = services.token_verifier
    if isinstance(keys, TokenKeys) and keys.load() is None:
        services.token_verifier = None


def _sync_runtime(config: Config) -> Any:
    from sync.runtime import SyncRuntime
    try:
        return SyncRuntime.from_config(config)
    except Exception as exc:  # a broken store must not keep the terminal from showing the calculator
        log.error("local store / sync could not start: %s", exc)
        return None


def open_sync(config: Config) -> Any:
    """The sync runtime (the local store opened and migrated), or None when it can't start (logged).
    Any thread: it touches no widget."""
    return _sync_runtime(config)


def attach_sync(services: Services, runtime: Any) -> None:
    """The sync runtime serves as ledger client, outbox, status source and snapshot source."""
    services.sync = runtime
    if runtime is None:
        return
    services.ledger = runtime.client
    services.outbox = runtime
    services.engine = runtime
    services.snapshots = runtime


def attach_devices(services: Services, config: Config, *, poll: bool = True, printer: bool = True) -> None:
    """Get the ID card reader, the scanner and the printer named in `[devices]` through the device
    manager (`services.devices`). A device that can't start is left out (the screens then offer the
    other ways) while the manager keeps trying in the background; one that starts later is adopted
    then. Unplugged devices report "reconnecting" and come back by themselves. The input devices get
    their input loops.

    `printer=False`: the input devices only (the kiosk's start-up: the reader and scanner listen
    before the first frame; `attach_printer` follows right after it)."""
    from hardware.manager import start_for_app
    from hardware.model import DeviceClass

    classes = [DeviceClass.ID_READER, DeviceClass.PRINTER] if printer else [DeviceClass.ID_READER]
    if config.devices.scanner.kind != "keyboard":  # a keyboard-wedge scanner: see install_keyboard_scanner
        classes.append(DeviceClass.SCANNER)
    services.extras.setdefault("loops", [])

    def adopt(name: str, device: Any) -> None:
        loop: InputLoop | None = None
        if name == "id_reader" and services.id_reader is None:
            services.id_reader = device
            loop = CardReaderLoop(device, "id-reader")
        elif name == "scanner" and services.scanner is None:
            services.scanner = device
            loop = ScannerLoop(device, "scanner")
        elif name == "printer":
            services.printer = device
        if loop is not None:
            services.extras["loops"].append(loop)
            if services.extras.get("loops_started"):  # a device that arrived after the window: listen now
                loop.start()

    services.extras["adopt_device"] = adopt
    services.devices = start_for_app(config, tuple(classes), adopt, poll=poll)
    attach_heartbeat(services, config)


def attach_heartbeat(services: Services, config: Config) -> None:
    """The heartbeat carries every device's state (issue 12): once both the sync and the devices exist."""
    if services.sync is None or services.devices is None:
        return
    from support.heartbeat import HeartbeatReport

    names = ("id_reader", "scanner", "printer")
    services.sync.engine.heartbeat_extra = HeartbeatReport(
        config, lambda: {n: d for n in names if (d := getattr(services, n, None)) is not None},
        services.devices.events)


def attach_printer(services: Services, config: Config) -> None:
    """The printer, into the device manager `attach_devices(printer=False)` started (a printer that
    can't start now is adopted when it does, as in `attach_devices`). Any thread: `adopt` only sets
    `services.printer`, as it does for a device that starts late on the manager's thread."""
    from hardware.model import DeviceClass

    manager, adopt = services.devices, services.extras.get("adopt_device")
    if manager is None or adopt is None:
        return
    for name, reason in manager.extend(config, (DeviceClass.PRINTER,)).items():
        log.error("%s not used: %s", name, reason)
    for name, exc in manager.start_all(only=("printer",)).items():
        log.error("%s (%s) not started: %s; retrying in the background", name, manager.specs[name].kind, exc)
    device = manager.started("printer")
    if device is not None:
        adopt("printer", device)


def start_input_loops(services: Services) -> None:
    """Start listening; call after the window subscribed to the devices, so no read is missed."""
    services.extras["loops_started"] = True
    for loop in list(services.extras.get("loops", [])):
        loop.start()


def install_keyboard_scanner(window: Any, config: Config) -> None:
    """A keyboard-wedge scanner (`[devices.scanner] kind = "keyboard"`) types into the application:
    the Qt filter in `ui.wedge` tells its bursts from a person's typing."""
    section = config.devices.scanner
    if section.kind != "keyboard":
        return
    from hardware.scanner.wedge import WedgeConfig, WedgeDecoder
    from ui.wedge import WedgeFilter

    try:
        decoder = WedgeDecoder(WedgeConfig.from_options(dict(section.options)))
    except ValueError as exc:
        log.error("keyboard scanner not installed: devices.scanner.options: %s", exc)
        return
    window.install_wedge(WedgeFilter(decoder, window))
