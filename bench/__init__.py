"""Benchmarks: each `bench/bench_*.py` measures a subject against a baseline in the same run."""
