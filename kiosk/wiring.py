"""Build the kiosk's services from the terminal configuration (production and demo alike).

Each part is built independently: a part whose module or device can't be set up is left out
(logged), and the screens that need it show themselves as unavailable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from domain.member_token import TokenVerifier, load_public_keys
from infra.config import Config
from infra.logs import get_logger
from kiosk.devices import CardReaderLoop, InputLoop, ScannerLoop
from kiosk.services import Services

log = get_logger("kiosk")


def services_from_config(config: Config, *, start_sync: bool = True) -> Services:
    services = Services(config)
    attach_sync(services, _sync_runtime(config))
    if start_sync and services.sync is not None:
        services.sync.start()
    try:
        keys_file = config.kiosk.member_token_keys
        services.token_verifier = TokenVerifier(load_public_keys(Path(keys_file) if keys_file else None))
    except (OSError, ValueError) as exc:
        log.error("QR sign-in disabled: the centre's token keys could not be loaded: %s", exc)
    attach_devices(services, config)
    return services


def _sync_runtime(config: Config) -> Any:
    from sync.runtime import SyncRuntime
    try:
        return SyncRuntime.from_config(config)
    except Exception as exc:  # a broken store must not keep the terminal from showing the calculator
        log.error("local store / sync could not start: %s", exc)
        return None


def attach_sync(services: Services, runtime: Any) -> None:
    """The sync runtime serves as ledger client, outbox, status source and snapshot source."""
    services.sync = runtime
    if runtime is None:
        return
    services.ledger = runtime.client
    services.outbox = runtime
    services.engine = runtime
    services.snapshots = runtime


def attach_devices(services: Services, config: Config) -> None:
    """Build and start the ID card reader, the scanner and the printer named in `[devices]`,
    each on its own: a device that can't start is left out (the screens then offer the other
    ways), and the input devices get their input loops."""
    from hardware.model import DeviceClass, DeviceError, DeviceSpec
    from hardware.registry import build_device, load_builtin_drivers

    load_builtin_drivers()
    loops: list[InputLoop] = services.extras.setdefault("loops", [])
    for device_class, section in ((DeviceClass.ID_READER, config.devices.id_reader),
                                  (DeviceClass.SCANNER, config.devices.scanner),
                                  (DeviceClass.PRINTER, config.devices.printer)):
        if section.kind == "none" or (device_class is DeviceClass.SCANNER and section.kind == "keyboard"):
            continue  # a keyboard-wedge scanner is not a HAL device here: see install_keyboard_scanner
        spec = DeviceSpec(device_class, device_class.value, section.kind, uri=section.uri, baud=section.baud,
                          options=dict(section.options))
        try:
            device = build_device(spec).start()
        except DeviceError as exc:
            log.error("%s (%s) not started: %s", device_class.value, section.kind, exc)
            continue
        if device_class is DeviceClass.ID_READER:
            services.id_reader = device
            loops.append(CardReaderLoop(device, "id-reader"))
        elif device_class is DeviceClass.SCANNER:
            services.scanner = device
            loops.append(ScannerLoop(device, "scanner"))
        else:
            services.printer = device


def start_input_loops(services: Services) -> None:
    """Start listening; call after the window subscribed to the devices, so no read is missed."""
    for loop in services.extras.get("loops", []):
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
