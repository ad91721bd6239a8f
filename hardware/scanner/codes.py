"""What a decoder hands back: one decoded symbol, with its format named the same way by every decoder."""

from __future__ import annotations

from dataclasses import dataclass

# Each decoder library spells formats its own way ("QRCODE", "QRCode", "QR Code"); everything
# above the decoders sees the ZXing names below.
_FORMAT_ALIASES: dict[str, str] = {
    "QRCODE": "QR_CODE", "QR": "QR_CODE", "MICROQRCODE": "MICRO_QR_CODE", "RMQRCODE": "RMQR_CODE",
    "CODE128": "CODE_128", "CODE39": "CODE_39", "CODE93": "CODE_93", "CODABAR": "CODABAR",
    "EAN13": "EAN_13", "EAN8": "EAN_8", "UPCA": "UPC_A", "UPCE": "UPC_E", "I25": "ITF", "ITF": "ITF",
    "PDF417": "PDF_417", "DATAMATRIX": "DATA_MATRIX", "AZTEC": "AZTEC", "DATABAR": "DATABAR",
    "DATABAREXP": "DATABAR_EXPANDED", "ISBN10": "ISBN_10", "ISBN13": "ISBN_13",
}


def normalize_format(name: str) -> str:
    """`"QRCODE"`, `"QRCode"`, `"QR Code"` → `"QR_CODE"`; unknown names are upper-cased as they are."""
    key = "".join(ch for ch in name.upper() if ch.isalnum())
    return _FORMAT_ALIASES.get(key, name.upper().replace(" ", "_"))


def text_of(raw: bytes) -> str:
    """Readable text for any payload: UTF-8 when it is UTF-8, otherwise the bytes escaped (lossless)."""
    return raw.decode("utf-8", errors="backslashreplace")


@dataclass(frozen=True)
class DecodedCode:
    """One symbol found in an image. `raw` is the payload as the symbol holds it (untrusted)."""

    format: str
    text: str
    raw: bytes
    decoder: str = ""
    corners: tuple[tuple[float, float], ...] = ()

    @property
    def key(self) -> tuple[str, bytes]:
        """Identity of a code for de-duplication: the same symbol seen twice has the same key."""
        return (self.format, self.raw)

    def as_json(self) -> dict[str, str]:
        return {"format": self.format, "text": self.text}
