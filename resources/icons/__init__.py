"""SVG icons of the kiosk tiles and buttons."""
