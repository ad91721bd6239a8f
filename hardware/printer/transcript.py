"""ESC/POS bytes back to readable text: what a receipt printer printed, line by line.

The bytes go through the emulator's interpreter (the same one the simulated printer runs), so a
transcript shows what reached the paper, not what the code meant to send: text lines as printed
(GB18030 decoded, padding kept), each QR code and barcode as a bracketed line with its data, and
the cuts. Golden receipt tests compare transcripts of the receipts the applications really print.
"""

from __future__ import annotations

from hardware.printer.emulator.interpreter import Interpreter
from hardware.printer.emulator.paper import Paper

_MARKS = {"qr": "[QR {}]", "barcode": "[BARCODE {}]", "cut": "[CUT]"}


def transcript(data: bytes, dot_width: int = 576) -> list[list[str]]:
    """The receipts in `data` (split at each cut), each a list of printed lines."""
    interpreter = Interpreter(paper=Paper(dot_width=dot_width))
    interpreter.feed(bytes(data))
    receipts: list[list[str]] = [[]]
    for p in interpreter.paper.log:
        if p.kind == "text":
            receipts[-1].append(p.value.rstrip(" "))
        elif p.kind in _MARKS:
            receipts[-1].append(_MARKS[p.kind].format(p.value))
            if p.kind == "cut":
                receipts.append([])
    return [r for r in receipts if r]
