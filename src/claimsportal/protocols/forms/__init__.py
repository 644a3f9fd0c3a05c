"""Typed schemas of the portal's forms (WORKFLOW.md §6). Pure Python: no Django imports.

Field names are the camelCase form of the XML attribute/element names of §6 (``PostCode`` ->
``postCode``), keeping the schemas' original misspellings. Validation that depends on "today" reads
the reference date from the validation context (``context={"today": date}``); the portal always
passes its clock's today, and ``date.today()`` is only a fallback for callers that pass no context.
"""
