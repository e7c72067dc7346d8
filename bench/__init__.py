"""Benchmarks, run by hand or `make bench`: each reports a ratio to a same-run baseline."""
