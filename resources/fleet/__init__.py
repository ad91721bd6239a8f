"""Fleet monitoring resources: alert rules."""
