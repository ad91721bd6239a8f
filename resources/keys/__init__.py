"""Public keys the terminal verifies with (never a private key here)."""
