"""Benchmarks: each measures the product's path and a baseline in the same run."""
