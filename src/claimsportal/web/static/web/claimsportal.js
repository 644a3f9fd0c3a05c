// Loaded with type="module", so it runs only in browsers that GOV.UK Frontend's JavaScript supports.
// It does what the inline snippet of GOV.UK Frontend's page template would (mark the body), so the
// pages need no inline script and a strict Content-Security-Policy (script-src 'self') suffices.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// --------------------------------------------------------------------------------------------------
// The NHS hospital finder beside each hospital of a CNF (web/claims/_hospital_finder.html). Without
// this script it is a link to the search page (GET /work/hospitals/); with it, a button opens a finder
// in the form that asks the same page for JSON and whose "Use this hospital" buttons fill in that
// hospital's name, address lines and postcode, and choose NHS as its type.
// --------------------------------------------------------------------------------------------------

const NHS = "0"; // hospitalType: 0 NHS, 1 private
const ADDRESS_LINES = [1, 2, 3, 4];
const UNAVAILABLE = "The hospital search is not available just now. Try again, or type the hospital in.";

function hiddenText(text) {
  const span = document.createElement("span");
  span.className = "govuk-visually-hidden";
  span.textContent = text;
  return span;
}

function initHospitalFinder(root) {
  const form = root.closest("form");
  const { url, path } = root.dataset;
  const part = (name) => root.querySelector(`[data-finder-${name}]`);
  const [link, toggle, panel, group, error, nameInput, postcodeInput, searchButton, status, results, done] = [
    "link", "toggle", "panel", "group", "error", "name", "postcode", "search", "status", "results", "done",
  ].map(part);
  if (!form || !url || !path || [link, toggle, panel, nameInput, postcodeInput, searchButton, status, results].includes(null)) {
    return; // not the markup expected: the link to the search page stays
  }
  let latest = 0; // the newest search: an older answer arriving late is dropped

  function input(suffix) {
    const found = form.elements.namedItem(`${path}.${suffix}`);
    return found instanceof HTMLInputElement || found instanceof HTMLTextAreaElement ? found : null;
  }

  function setValue(suffix, value) {
    const field = input(suffix);
    if (field) {
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function chooseNhs() {
    const name = `${path}.hospitalType`;
    for (const field of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (field instanceof HTMLSelectElement) {
        field.value = NHS;
      } else if (field instanceof HTMLInputElement && field.type === "radio") {
        field.checked = field.value === NHS;
      } else {
        continue;
      }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  }

  function showError(message) {
    if (error) {
      error.replaceChildren(hiddenText("Error: "), message);
      error.hidden = !message;
    }
    group?.classList.toggle("govuk-form-group--error", Boolean(message));
    for (const field of [nameInput, postcodeInput]) {
      field.classList.toggle("govuk-input--error", Boolean(message));
      const described = [`${panel.id}-hint`, ...(message && error ? [error.id] : [])];
      field.setAttribute("aria-describedby", described.join(" "));
    }
    status.textContent = message; // announced (role="status"); shown once, above the inputs
    status.classList.toggle("govuk-visually-hidden", Boolean(message));
  }

  function use(hospital) {
    setValue("hospitalName", hospital.name);
    for (const n of ADDRESS_LINES) {
      setValue(`hospitalAddress.addressLine${n}`, hospital[`addressLine${n}`] || "");
    }
    setValue("postCode", hospital.postCode);
    chooseNhs();
    setOpen(false);
    results.replaceChildren();
    status.textContent = "";
    if (done) {
      done.textContent = `${hospital.name}, ${hospital.postCode}, filled in as an NHS hospital. Check the details before you save.`;
    }
    input("hospitalName")?.focus();
  }

  function show(hospitals) {
    const items = hospitals.map((hospital) => {
      const item = document.createElement("li");
      item.className = "cp-hospital-finder__result";
      const text = document.createElement("p");
      text.className = "govuk-body govuk-!-margin-bottom-0";
      const name = document.createElement("strong");
      name.textContent = hospital.name;
      const address = ADDRESS_LINES.map((n) => hospital[`addressLine${n}`]).filter(Boolean);
      text.append(name, document.createElement("br"), [...address, hospital.postCode].join(", "));
      const button = document.createElement("button");
      button.type = "button";
      button.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0 cp-hospital-finder__use";
      button.append("Use this hospital", hiddenText(` (${hospital.name}, ${hospital.postCode})`));
      button.addEventListener("click", () => use(hospital));
      item.append(text, button);
      return item;
    });
    results.replaceChildren(...items);
  }

  async function search() {
    const request = ++latest;
    const query = new URLSearchParams({
      name: nameInput.value.trim(),
      postcode: postcodeInput.value.trim(),
      format: "json",
    });
    results.replaceChildren();
    showError("");
    status.textContent = "Searching…";
    let answer;
    let data;
    try {
      answer = await fetch(`${url}?${query}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!(answer.headers.get("Content-Type") || "").startsWith("application/json")) {
        throw new Error(`not JSON (${answer.status})`); // signed out: the sign-in page
      }
      data = await answer.json();
    } catch {
      if (request === latest) {
        showError(UNAVAILABLE);
      }
      return;
    }
    if (request !== latest) {
      return;
    }
    if (!answer.ok) {
      showError((data.errors || []).map((e) => e.message).join(". ") || UNAVAILABLE);
      return;
    }
    show(data.hospitals || []);
    status.textContent = data.summary;
  }

  toggle.addEventListener("click", () => {
    const opening = panel.hidden;
    setOpen(opening);
    if (opening) {
      if (done) {
        done.textContent = "";
      }
      nameInput.focus();
    }
  });
  searchButton.addEventListener("click", search);
  for (const field of [nameInput, postcodeInput]) {
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // search, rather than submit the claim's form
        search();
      }
    });
  }
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      toggle.focus();
    }
  });
  link.hidden = true;
  toggle.hidden = false;
}

for (const finder of document.querySelectorAll("[data-cp-hospital-finder]")) {
  initHospitalFinder(finder);
}

// --------------------------------------------------------------------------------------------------
// Conditional reveals of the CNF's radios (web/claims/_field.html, from the forms' conditional rules):
// GOV.UK's radios reveal, but without the aria-controls/aria-expanded GOV.UK Frontend puts on a radio
// (ARIA allows no aria-expanded there; axe-core refuses it, and GOV.UK's script adds it to any radio
// with aria-controls). The reveal follows its radio in the page, so it is read in order. Without this
// script every reveal is shown.
// --------------------------------------------------------------------------------------------------

function initConditionalReveals(scope) {
  const triggers = [...scope.querySelectorAll("input[type=radio][data-cp-reveal]")];
  const groups = new Set(triggers.map((input) => input.name));
  for (const name of groups) {
    const radios = [...scope.querySelectorAll("input[type=radio]")].filter((input) => input.name === name);
    const sync = () => {
      for (const radio of radios) {
        const target = radio.dataset.cpReveal && document.getElementById(radio.dataset.cpReveal);
        if (target) {
          target.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
        }
      }
    };
    for (const radio of radios) radio.addEventListener("change", sync);
    sync();
  }
}

initConditionalReveals(document);
