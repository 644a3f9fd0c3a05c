"""The protocols: phases, operations, time limits and business days as plain data.

Nothing in this package imports Django: it can be read, drawn and tested on its own.
"""
