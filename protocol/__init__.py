"""The wire protocol shared by terminals and the centre (stdlib, cryptography and domain only)."""
