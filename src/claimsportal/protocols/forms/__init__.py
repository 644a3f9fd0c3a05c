"""Typed schemas of the portal's forms (WORKFLOW.md §6). Pure Python: no Django imports.

Field names are the camelCase form of the XML attribute/element names of §6 (``PostCode`` ->
``postCode``), keeping the schemas' original misspellings. Validation that depends on "today" reads
the reference date from the validation context (``context={"today": date}``); the portal always
passes its clock's today, and ``date.today()`` is only a fallback for callers that pass no context.

Stage 1: ``cnf_rta``, ``cnf_elpl`` (§6.2, §6.3), ``liability`` (§6.4). Stage 2: ``money`` (amounts and
percentages), ``losses`` (heads of damage and the per-head offer rules), ``pack_blocks`` (shared
blocks), ``interim`` (§6.5, §6.6), ``stage2`` (§6.7, §6.8), ``counter_offers`` (§6.9),
``additional_damages`` (§6.10, RTA) and ``court_pack`` (§6.11). ``examples`` has a complete valid
example of each form.
"""
