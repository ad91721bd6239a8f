"""The DEMO private key of the member-app token service: demo and tests only, never a real centre."""
