"""Write hpf_en.ts (and counter_en.ts once the counter has plurals): the English plural forms of every numerus ("%n …(s)") message.

UI source strings are English, so English needs no translation, except for plurals: Qt's rule is
that "%n second(s)" gets its singular and plural forms from a translation file. This script takes
every numerus message of the Chinese catalogues and writes the English forms ("1 second",
"%n seconds"), then `pyside6-lrelease` compiles them. Run it after adding a numerus string:

    python -m resources.i18n.english_plurals && pyside6-lrelease resources/i18n/*_en.ts
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).parent
CATALOGUES = ("hpf", "counter")
_WORD = re.compile(r"\b([A-Za-z]+)\(s\)")
_IRREGULAR = {"person": "people"}


def forms(source: str) -> tuple[str, str]:
    """(singular, plural) of a source string with "word(s)"."""
    singular = _WORD.sub(lambda m: m.group(1), source)
    plural = _WORD.sub(lambda m: _IRREGULAR.get(m.group(1), m.group(1) + "s"), source)
    return singular, plural


def english_ts(zh_ts: Path) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", '<TS version="2.1" language="en_GB">']
    root = ET.parse(zh_ts).getroot()
    for context in root.iter("context"):
        messages = [m for m in context.iter("message") if m.get("numerus") == "yes"]
        if not messages:
            continue
        out += ["<context>", f"    <name>{context.findtext('name')}</name>"]
        for m in messages:
            source = m.findtext("source") or ""
            one, many = forms(source)
            esc = [s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for s in (source, one, many)]
            out += ['    <message numerus="yes">', f"        <source>{esc[0]}</source>", "        <translation>",
                    f"            <numerusform>{esc[1]}</numerusform>",
                    f"            <numerusform>{esc[2]}</numerusform>", "        </translation>", "    </message>"]
        out.append("</context>")
    out.append("</TS>")
    return "\n".join(out) + "\n"


def main() -> int:
    for name in CATALOGUES:
        zh = HERE / f"{name}_zh_CN.ts"
        text = english_ts(zh) if zh.exists() else ""
        if "<message" in text:  # a catalogue without plurals needs no English file
            (HERE / f"{name}_en.ts").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
