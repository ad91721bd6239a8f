"""The wire protocol shared by terminals and the centre (imports only stdlib, cryptography and domain)."""
