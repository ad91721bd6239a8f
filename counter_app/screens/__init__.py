"""The counter's screens, one module each; `registry.all_screens()` lists them in menu order."""
