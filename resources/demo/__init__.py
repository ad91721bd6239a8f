"""Demo data shipped with the ledger: service outlets (placeholders, marked as demo)."""
