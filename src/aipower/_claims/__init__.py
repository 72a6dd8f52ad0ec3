"""Claims: layer 4 of 5.

Value comparison rules, ``check``, the claims ledger and checking the figures in a text.
Imports only queries, the store and the types layer.
"""
