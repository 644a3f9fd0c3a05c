"""What people read, shared by the web pages and the printable documents (PDF).

The labels and hints of the forms' fields, code lists and operations (``labels``), the profiles'
names (``profiles``), the form tree read from a payload model's JSON schema (``form_tree``), the CNF's
form (``cnf``) and a stored form summarised for reading (``summary``). Pure Python over the protocol
tables: no view, no request, no template. ``web`` and ``documents`` import it; it imports neither of
them, nor ``a2a`` (tests/test_layers.py).
"""
