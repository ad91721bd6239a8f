"""Receipt rendering: time to render and encode a typical receipt vs. the time its paper takes.

Subject: `render()` of the reference withdrawal receipt (24 elements, QR code) into ESC/POS
bytes, in raster mode (drawn with the CJK font, GS v 0) and text mode (GB18030, native QR),
glyph cache warm as on a terminal that has printed before. Baseline: the paper moving out of a
250 mm/s printer for the same receipt's length, the floor no software can beat. A ratio well
below 1 means rendering never holds the printer up.
"""

from __future__ import annotations

from bench.harness import Result, best_of
from hardware.printer.fonts import find_cjk_font, shared_glyphs
from hardware.printer.profile import get_profile
from hardware.printer.receipt import Receipt
from hardware.printer.render import PrintData, render
from hardware.printer.samples import reference_receipt

PAPER_SPEED_MM_S = 250.0


def run(quick: bool) -> list[Result]:
    receipt = reference_receipt()
    repeat = 3 if quick else 20
    results: list[Result] = []
    for mode in ("raster", "text"):
        profile = get_profile(f"generic-80mm-{mode}")
        printed = render(receipt, profile)  # warms the font and glyph cache
        seconds = best_of(lambda p=profile: render(receipt, p), repeat)
        feed_ms = printed.length_mm / PAPER_SPEED_MM_S * 1000
        results.append(Result(
            benchmark="receipt",
            subject=f"render+encode, {mode} mode",
            subject_value=seconds * 1000,
            baseline=f"paper at {PAPER_SPEED_MM_S:g} mm/s ({printed.length_mm:.1f} mm)",
            baseline_value=feed_ms,
            unit="ms",
            notes=f"{len(printed.to_bytes())} bytes, best of {repeat}",
        ))
    results.append(_cold_start(receipt))
    return results


def _cold_start(receipt: Receipt) -> Result:
    """The first raster receipt after start: font lookup (fontconfig) and an empty glyph cache."""
    profile = get_profile("generic-80mm-raster")

    def cold() -> PrintData:
        find_cjk_font.cache_clear()
        shared_glyphs.cache_clear()
        return render(receipt, profile)

    printed = cold()
    seconds = best_of(cold, 3)
    return Result("receipt", "first raster receipt after start (cold font + glyphs)", seconds * 1000,
                  f"paper at {PAPER_SPEED_MM_S:g} mm/s ({printed.length_mm:.1f} mm)",
                  printed.length_mm / PAPER_SPEED_MM_S * 1000, "ms", "best of 3")
