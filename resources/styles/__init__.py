"""Style sheet overrides a centre may ship next to the generated theme (see ui.theme)."""
