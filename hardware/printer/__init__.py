"""Receipt printers: the receipt model, raster and text ESC/POS rendering, transports, emulator.

`open_printer(uri, profile=None)` returns an enabled printer for a URI (tcp://, serial://,
usb://, file://, win32://, or simulator:// for an in-process emulator); `test_receipt()` is the
test page. Importing the package registers the "escpos" and "simulator" printer drivers.
"""

from __future__ import annotations

from hardware.model import DeviceClass, DeviceSpec
from hardware.printer.device import EscposPrinter, JobProgress
from hardware.printer.receipt import Receipt, ReceiptBuilder
from hardware.printer.samples import WithdrawalReceiptData, reference_receipt, test_receipt, withdrawal_receipt
from hardware.printer.simulator import SimulatedPrinter
from hardware.printer.transport import UriError, parse_uri, transport_for
from hardware.registry import register_driver


def _escpos_supported(spec: DeviceSpec) -> str | None:
    try:
        uri = parse_uri(spec.uri)
    except UriError as exc:
        return str(exc)
    if uri.scheme == "simulator":
        return "simulator:// is the simulator driver's"
    return transport_for(uri).usable()


def open_printer(uri: str, profile: str | None = None, *, name: str = "printer",
                 options: dict[str, object] | None = None) -> EscposPrinter:
    """An opened, claimed and enabled printer; close it (or use it in a `with` block) when done.

    Raises `DeviceNotFoundError` when nothing answers at the URI or the URI is wrong.
    """
    opts: dict[str, object] = {**(options or {}), "profile": profile or ""}
    if uri.startswith("simulator:"):
        spec = DeviceSpec(DeviceClass.PRINTER, name, "simulator", "", options=opts)
        return SimulatedPrinter(spec).start()
    spec = DeviceSpec(DeviceClass.PRINTER, name, "escpos", uri, options=opts)
    return EscposPrinter(spec).start()


register_driver(DeviceClass.PRINTER, "escpos", EscposPrinter, priority=10, supported=_escpos_supported,
                name="EscposPrinter")
register_driver(DeviceClass.PRINTER, "simulator", SimulatedPrinter, priority=10, name="SimulatedPrinter")

__all__ = ["EscposPrinter", "JobProgress", "Receipt", "ReceiptBuilder", "SimulatedPrinter", "WithdrawalReceiptData",
           "open_printer", "reference_receipt", "test_receipt", "withdrawal_receipt"]
