"""Linux input key codes (linux/input-event-codes.h) → characters, US layout, as wedge scanners send.

Scanners type in the US layout whatever the PC's keyboard setting, so one table serves. Only the
keys a code can contain are mapped; modifiers are tracked, everything else is ignored.
"""

from __future__ import annotations

EV_KEY = 1
KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2
SHIFT_KEYS = frozenset({42, 54})  # KEY_LEFTSHIFT, KEY_RIGHTSHIFT
KEY_CAPSLOCK = 58

# code: (plain, shifted)
_ROW_DIGITS = {2: "1!", 3: "2@", 4: "3#", 5: "4$", 6: "5%", 7: "6^", 8: "7&", 9: "8*", 10: "9(", 11: "0)",
               12: "-_", 13: "=+"}
_LETTERS = {16: "q", 17: "w", 18: "e", 19: "r", 20: "t", 21: "y", 22: "u", 23: "i", 24: "o", 25: "p",
            30: "a", 31: "s", 32: "d", 33: "f", 34: "g", 35: "h", 36: "j", 37: "k", 38: "l",
            44: "z", 45: "x", 46: "c", 47: "v", 48: "b", 49: "n", 50: "m"}
_PUNCT = {26: "[{", 27: "]}", 39: ";:", 40: "'\"", 41: "`~", 43: "\\|", 51: ",<", 52: ".>", 53: "/?", 57: "  "}
_KEYPAD = {71: "7", 72: "8", 73: "9", 74: "-", 75: "4", 76: "5", 77: "6", 78: "+", 79: "1", 80: "2",
           81: "3", 82: "0", 83: ".", 55: "*", 98: "/"}
_CONTROL = {28: "\r", 96: "\r", 15: "\t"}  # KEY_ENTER, KEY_KPENTER, KEY_TAB


class KeyTranslator:
    """Feed (code, value) of EV_KEY events; get the character typed, or None."""

    def __init__(self) -> None:
        self._shift: set[int] = set()
        self._caps = False

    def key(self, code: int, value: int) -> str | None:
        if code in SHIFT_KEYS:
            if value == KEY_UP:
                self._shift.discard(code)
            else:
                self._shift.add(code)
            return None
        if value != KEY_DOWN:  # releases and auto-repeat carry no new character
            return None
        if code == KEY_CAPSLOCK:
            self._caps = not self._caps
            return None
        shifted = bool(self._shift)
        if code in _LETTERS:
            ch = _LETTERS[code]
            return ch.upper() if shifted != self._caps else ch
        for table in (_ROW_DIGITS, _PUNCT):
            if code in table:
                return table[code][1 if shifted else 0]
        return _KEYPAD.get(code) or _CONTROL.get(code)
