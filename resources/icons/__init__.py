"""Line icons of the kiosk's home tiles (48×48 SVG, drawn for this project; primary colour
#0b5394, greyed by Qt when a tile is disabled)."""
