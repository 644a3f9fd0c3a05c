"""Working on claims in the browser, one module a feature: the worklist (``worklist``), the claim page
(``claim_page``, with ``attachments`` and ``documents``), every operation as a page (``operations``;
one schema-driven form renderer, ``schema_form``, over ``presentation.form_tree``), draft CNFs section
by section (``draft_wizard``), ``search``, the NHS ``hospitals`` finder and ``notifications``."""
