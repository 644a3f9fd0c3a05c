// Loaded with type="module", so it runs only in browsers that GOV.UK Frontend's JavaScript supports.
// It does what the inline snippet of GOV.UK Frontend's page template would (mark the body), so the
// pages need no inline script and a strict Content-Security-Policy (script-src 'self') suffices.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
