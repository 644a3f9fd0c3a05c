"""Working on claims in the browser: the worklist, the claim page, every operation as a page (one
schema-driven form renderer, ``schema_form``), draft CNFs section by section, search, notifications."""
