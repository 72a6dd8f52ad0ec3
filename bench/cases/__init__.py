"""Benchmark cases: each module returns harness rows."""
