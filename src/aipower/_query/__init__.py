"""Queries: layer 3 of 5.

Argument resolution, the selection policy, the query functions, derivations and coverage.
Imports only the store and the types layer.
"""
