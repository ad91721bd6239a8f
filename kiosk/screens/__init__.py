"""One module per kiosk screen; `kiosk.screens.registry` lists them in navigation order."""
