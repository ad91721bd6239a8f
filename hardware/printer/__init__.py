"""Receipt printers: the receipt model, raster and text ESC/POS rendering, transports, emulator."""
