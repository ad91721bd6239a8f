"""Tests of the central ledger service."""
