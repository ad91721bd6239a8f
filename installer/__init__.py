"""Packaging and terminal lockdown: PyInstaller spec, build and smoke test, Linux kiosk units."""
