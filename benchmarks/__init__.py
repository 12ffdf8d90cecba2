"""Benchmarks (`make bench`). They print tables; docs/benchmarks.md keeps the results."""
