"""counter_app package."""
