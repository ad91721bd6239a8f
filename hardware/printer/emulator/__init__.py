"""A network ESC/POS receipt printer emulator: interpreter, paper and the TCP server."""
