"""Benchmarks: synthetic report-shaped data, store measurements, recorded results.

Not part of the test run (STYLE, habit 8); each module says what it measures and why.
"""
