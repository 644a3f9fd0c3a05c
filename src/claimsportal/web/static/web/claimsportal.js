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
// The picker of an organisation, a branch, a compensator or a user (web/_picker.html, web/pickers.py).
// Without this script it is a search field whose "Search" button sends the form, and the page comes
// back with the first matches as radios. With it, the field is an ARIA 1.2 combobox (the "list
// autocomplete" pattern) that asks the picker's JSON endpoint as you type; the value chosen goes in a
// hidden input of the field's name. Keys: Down/Up move through the matches (Down opens the list), Enter
// chooses, Escape closes the list (or, closed, clears the choice), Tab leaves it.
// --------------------------------------------------------------------------------------------------

const PICKER_DELAY = 200; // ms after the last key before searching
const PICKER_UNAVAILABLE = "The search is not available just now. Try again.";

function initPicker(root) {
  const { url, name } = root.dataset;
  const input = root.querySelector("[data-picker-input]");
  const form = root.closest("form");
  if (!url || !name || !(input instanceof HTMLInputElement) || !form) {
    return; // not the markup expected: the search button stays
  }
  const results = root.querySelector("[data-picker-results]");
  const checked = results ? results.querySelector('input[type="radio"]:checked') : null;
  const chosenLabel = checked
    ? (form.querySelector(`label[for="${CSS.escape(checked.id)}"]`)?.textContent || "").trim()
    : root.dataset.chosen || "";
  const hidden = document.createElement("input");
  hidden.type = "hidden";
  hidden.name = name;
  hidden.value = checked ? checked.value : root.dataset.value || "";
  let chosen = hidden.value ? { value: hidden.value, label: chosenLabel } : null;

  for (const part of ["[data-picker-button]", "[data-picker-searched]", "[data-picker-results]"]) {
    root.querySelector(part)?.remove();
  }
  input.removeAttribute("name"); // the text typed is not sent: the choice is
  input.type = "text";
  if (chosen && chosen.label) {
    input.value = chosen.label;
  }
  const hint = root.querySelector("[data-picker-hint]");
  if (hint) {
    hint.textContent = "Start typing, then use the down arrow to go through the matches and Enter to choose one.";
  }
  const label = root.querySelector(`label[for="${CSS.escape(input.id)}"]`);
  const listbox = document.createElement("ul");
  listbox.id = `${input.id}-listbox`;
  listbox.className = "cp-picker__listbox";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", (label?.textContent || "Matches").trim());
  listbox.hidden = true;
  const status = document.createElement("p");
  status.id = `${input.id}-status`;
  status.className = "govuk-body-s cp-picker__status";
  status.setAttribute("role", "status");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  input.after(listbox);
  root.append(hidden, status);

  let options = [];
  let active = -1;
  let latest = 0;
  let timer = 0;

  function optionId(index) {
    return `${input.id}-option-${index}`;
  }

  function setActive(index) {
    active = index;
    listbox.querySelectorAll('[role="option"]').forEach((item, i) => {
      item.setAttribute("aria-selected", String(i === index));
      item.classList.toggle("cp-picker__option--active", i === index);
    });
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", optionId(index));
      listbox.querySelector(`#${CSS.escape(optionId(index))}`)?.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open(show) {
    listbox.hidden = !show;
    input.setAttribute("aria-expanded", String(show));
    if (!show) {
      setActive(-1);
    }
  }

  function choose(index) {
    const option = options[index];
    if (!option) {
      return;
    }
    chosen = option;
    hidden.value = option.value;
    input.value = option.label;
    open(false);
    status.textContent = `${option.label} chosen`;
  }

  function render(found) {
    options = found;
    const items = found.map((option, index) => {
      const item = document.createElement("li");
      item.id = optionId(index);
      item.className = "cp-picker__option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = option.label;
      if (option.hint) {
        const more = document.createElement("span");
        more.className = "cp-picker__option-hint";
        more.textContent = option.hint;
        item.append(more);
      }
      item.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus
      item.addEventListener("click", () => choose(index));
      return item;
    });
    listbox.replaceChildren(...items);
    setActive(-1);
    open(found.length > 0);
  }

  function params() {
    const query = new URLSearchParams(url.split("?")[1] || "");
    for (const from of (root.dataset.paramsFrom || "").split(" ").filter(Boolean)) {
      const field = form.elements.namedItem(from);
      if (field && "value" in field) {
        query.set(from, field.value);
      }
    }
    return query;
  }

  async function search() {
    const request = ++latest;
    const query = params();
    query.set("q", input.value.trim().slice(0, 60));
    let data;
    try {
      const answer = await fetch(`${url.split("?")[0]}?${query}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!(answer.headers.get("Content-Type") || "").startsWith("application/json")) {
        throw new Error(`not JSON (${answer.status})`);
      }
      data = await answer.json();
      if (!answer.ok) {
        throw new Error((data.errors || []).map((e) => e.message).join(". "));
      }
    } catch (error) {
      if (request === latest) {
        render([]);
        status.textContent = (error && error.message && !error.message.startsWith("not JSON") && error.message) || PICKER_UNAVAILABLE;
      }
      return;
    }
    if (request !== latest) {
      return; // an older answer arriving late
    }
    render(data.options || []);
    status.textContent = data.options && data.options.length
      ? `${data.summary}. Use the down arrow to go through them.`
      : data.summary;
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, PICKER_DELAY);
  }

  input.addEventListener("input", () => {
    chosen = null;
    hidden.value = "";
    later();
  });
  input.addEventListener("keydown", (event) => {
    const shown = !listbox.hidden && options.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!shown) {
        search();
      } else {
        setActive(Math.min(active + 1, options.length - 1));
      }
    } else if (event.key === "ArrowUp") {
      if (shown) {
        event.preventDefault();
        setActive(active <= 0 ? options.length - 1 : active - 1);
      }
    } else if (event.key === "Enter") {
      if (shown) {
        event.preventDefault(); // choose, rather than send the form
        choose(active >= 0 ? active : 0);
      }
    } else if (event.key === "Escape") {
      if (shown) {
        event.preventDefault();
        open(false);
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
        chosen = null;
        hidden.value = "";
        status.textContent = "Choice cleared";
      }
    } else if (event.key === "Tab") {
      open(false);
    }
  });
  input.addEventListener("blur", () => window.setTimeout(() => open(false), 150));
  for (const button of form.querySelectorAll("[data-picker-source-button]")) {
    button.hidden = true; // the list changes with the radios: no need to send the form
  }
  for (const from of (root.dataset.paramsFrom || "").split(" ").filter(Boolean)) {
    for (const field of form.querySelectorAll(`[name="${CSS.escape(from)}"]`)) {
      field.addEventListener("change", () => {
        chosen = null;
        hidden.value = "";
        input.value = "";
        render([]);
        status.textContent = "";
      });
    }
  }
}

for (const picker of document.querySelectorAll("[data-cp-picker]")) {
  initPicker(picker);
}

// --------------------------------------------------------------------------------------------------
// The worklist's bulk actions (web/worklist.html): without this script "Select all claims on this page"
// is a link that shows the page with every box ticked; with it, a checkbox ticks or clears them here,
// and a status line counts the claims selected.
// --------------------------------------------------------------------------------------------------

function initBulkSelection(form) {
  const all = form.querySelector("[data-cp-select-all]");
  const box = all ? all.querySelector('input[type="checkbox"]') : null;
  const links = form.querySelector("[data-cp-select-all-links]");
  const count = form.querySelector("[data-cp-selected-count]");
  const claims = [...document.querySelectorAll(`input[data-cp-bulk-claim][form="${CSS.escape(form.id)}"]`)];
  if (!box || claims.length === 0) {
    return;
  }
  function update() {
    const ticked = claims.filter((claim) => claim.checked).length;
    box.checked = ticked === claims.length;
    box.indeterminate = ticked > 0 && ticked < claims.length;
    if (count) {
      count.textContent = ticked ? `${ticked} claim${ticked === 1 ? "" : "s"} selected` : "";
    }
  }
  box.addEventListener("change", () => {
    for (const claim of claims) {
      claim.checked = box.checked;
    }
    update();
  });
  for (const claim of claims) {
    claim.addEventListener("change", update);
  }
  all.hidden = false;
  if (links) {
    links.hidden = true;
  }
  update();
}

for (const form of document.querySelectorAll("form.cp-bulk[id]")) {
  initBulkSelection(form);
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
