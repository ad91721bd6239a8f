"""Golden receipts: the ESC/POS bytes an application really sent to the simulated printer, decoded
back to text (hardware.printer.transcript) and compared with a golden file.

Run with HPF_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then read the
diff. What changes from run to run (application and case numbers, times, the demo member's name
and figures when the fixture picks another one) is replaced by a placeholder before comparing;
the checks that every QR code has a caption and that no line breaks 避头尾 run on the real text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from domain import linebreak
from hardware.printer.transcript import transcript

UPDATE = os.environ.get("HPF_UPDATE_GOLDEN") == "1"
_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def printed_receipts(data: bytes) -> list[list[str]]:
    return transcript(data)


def normalise(lines: list[str], replacements: dict[str, str]) -> str:
    text = "\n".join(lines)
    for value, placeholder in sorted(replacements.items(), key=lambda kv: -len(kv[0])):
        if value:
            text = text.replace(value, placeholder)
    text = _TIME.sub("<TIME>", text)
    return re.sub(r" {2,}", "  ", text) + "\n"  # column padding follows the replaced values' widths


def check_receipt_rules(lines: list[str]) -> None:
    """Every QR code has a caption under it; no printed line starts with "，" or ends with "（"."""
    for i, line in enumerate(lines):
        if line.startswith("[QR "):
            after = lines[i + 1] if i + 1 < len(lines) else ""
            assert after.strip() and not after.startswith("["), f"QR without a caption: {line}"
    text_lines = [ln for ln in lines if not ln.startswith("[")]
    assert linebreak.violations(text_lines) == [], [text_lines[i - 1:i + 1] for i in linebreak.violations(text_lines)]


def compare(golden: Path, text: str) -> None:
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with HPF_UPDATE_GOLDEN=1 and read it"
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, f"{golden.name} differs from what was printed:\n{text}"
