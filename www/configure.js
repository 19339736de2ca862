// The configurator (configure.html): a form for the common keys and a JSON
// editor kept in step, a live preview running the real loader
// (configure-preview.html), the checker's messages inline, and the snippet.
//
// The checker is the developer-tool module in /devtool/ (scripts/build-devtool.sh):
// src/check.rs compiled to WebAssembly, the code behind `consent-gate check`,
// so every message here is the line that command prints. It is a tool for site
// owners only: nothing here is part of what a visitor downloads.
//
// The config being edited is kept in the address (#config=…), so a reload or a
// shared link opens the same config.

const DEVTOOL = "/devtool/consent_gate_devtool.js";
const PREVIEW = "/configure-preview.html";
const STARTER = {
  revision: 1,
  policyUrl: "/privacy.html",
  categories: {
    performance: {
      description: "Counting visits and clicks so we can see which lessons help.",
    },
  },
};
// Until the checker says otherwise (it knows the aliases from the model itself).
let CATEGORIES = [
  { id: "essential", aliases: ["necessary"] },
  { id: "performance", aliases: ["analytics", "statistics"] },
  { id: "functional", aliases: ["preferences", "personalization"] },
  { id: "marketing", aliases: ["advertising", "ads"] },
];

const $ = (selector) => document.querySelector(selector);
const form = $("[data-config-form]");
const editor = $("[data-config-json]");
const jsonStatus = $("[data-json-status]");
const formNote = $("[data-form-note]");
const frame = $("[data-preview]");
const previewStatus = $("[data-preview-status]");
const showPreferences = $("[data-show-preferences]");
const summary = $("[data-checker-summary]");
const problemList = $("[data-problems]");
const snippet = $("[data-snippet]");
const loaderUrl = $("[data-loader-url]");
const copyStatus = $("[data-copy-status]");

/** The checker module, once loaded (null: not built or failed to load). */
let checker = null;
let checkerError = "";
/** The parsed config, or undefined while the JSON text does not parse. */
let current;
/** Each preview load gets a number, so a late message from an older one is ignored. */
let run = 0;
let previewTimer = 0;
/** What had focus when the preview reloaded (the dialog inside may take it). */
let focusBefore = null;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

// --- the form's fields -------------------------------------------------------

function buildCategoryFields() {
  const part = $("[data-category-fields]");
  for (const old of part.querySelectorAll(".category")) old.remove();
  for (const { id } of CATEGORIES) {
    const box = document.createElement("div");
    box.className = "category";
    const title = document.createElement("h3");
    title.textContent = id;
    box.append(title);
    for (const [key, name] of [["label", "Label"], ["description", "Description"]]) {
      const field = document.createElement("div");
      field.className = "field";
      const label = document.createElement("label");
      const input = document.createElement(key === "label" ? "input" : "textarea");
      input.id = `f-categories-${id}-${key}`;
      input.dataset.kind = "text";
      input.dataset.category = id;
      input.dataset.key = key;
      input.autocomplete = "off";
      if (key === "description") input.rows = 2;
      label.htmlFor = input.id;
      label.append(`${name} `);
      const code = document.createElement("code");
      code.textContent = `categories.${id}.${key}`;
      label.append(code);
      field.append(label, input);
      box.append(field);
    }
    part.append(box);
  }
}

function fillLanguages(tags) {
  const select = $("[data-languages]");
  let names = null;
  try {
    names = new Intl.DisplayNames(["en"], { type: "language" });
  } catch {
    names = null;
  }
  for (const tag of tags) {
    const option = document.createElement("option");
    option.value = tag;
    let name = "";
    try {
      name = names ? names.of(tag) : "";
    } catch {
      name = "";
    }
    option.textContent = name && name !== tag ? `${tag}: ${name}` : tag;
    select.append(option);
  }
}

/** Every form control that edits a key. */
const fields = () => [...form.querySelectorAll("[data-kind]")];

/** The key in `categories` the config uses for category `id` (its id or an alias), if any. */
function categoryKey(config, id) {
  const categories = isObject(config) && isObject(config.categories) ? config.categories : null;
  if (!categories) return null;
  const names = [id, ...(CATEGORIES.find((c) => c.id === id)?.aliases || [])];
  return Object.keys(categories).find((k) => names.includes(k.trim().toLowerCase())) ?? null;
}

/** The path of the key a control edits, as the checker writes paths. */
function pathOf(control, config = current) {
  if (control.dataset.path) return control.dataset.path;
  const key = categoryKey(config, control.dataset.category) ?? control.dataset.category;
  return `categories.${key}.${control.dataset.key}`;
}

/** The path's keys, for a control (a category key may contain dots). */
function keysOf(control, config = current) {
  if (control.dataset.path) return control.dataset.path.split(".");
  return ["categories", categoryKey(config, control.dataset.category) ?? control.dataset.category, control.dataset.key];
}

function getIn(config, keys) {
  let v = config;
  for (const k of keys) {
    if (!isObject(v) || !has(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

/** Sets (or, for `undefined`, removes) the value at `keys`; drops objects it leaves empty. */
function setIn(config, keys, value) {
  const parents = [config];
  let o = config;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(o[k])) {
      if (value === undefined) return;
      o[k] = {};
    }
    o = o[k];
    parents.push(o);
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
  for (let i = keys.length - 1; i > 0; i--) {
    if (Object.keys(parents[i]).length === 0) delete parents[i - 1][keys[i - 1]];
    else break;
  }
}

/** What a control says the key should be (`undefined`: leave it out, the default). */
function valueOf(control, before) {
  const kind = control.dataset.kind;
  if (kind === "bool") {
    const fallback = control.dataset.default === "true";
    if (control.checked === fallback) return undefined;
    // Consent Mode's settings object counts as on: keep it.
    if (control.checked && isObject(before)) return before;
    return control.checked;
  }
  const text = control.value;
  if (text === "") return undefined;
  if (kind === "number") {
    const trimmed = text.trim();
    // A number when it is one; anything else goes in as text, so the checker
    // shows what the module would say about it.
    return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(trimmed) ? Number(trimmed) : text;
  }
  return text;
}

/** Shows the config's values in the form. */
function fillForm(config) {
  for (const control of fields()) {
    if (control === document.activeElement) continue;
    const v = getIn(config, keysOf(control, config));
    if (control.dataset.kind === "bool") {
      const fallback = control.dataset.default === "true";
      control.indeterminate = !(v === undefined || v === null || typeof v === "boolean" || (isObject(v) && control.dataset.path === "googleConsentMode"));
      control.checked = v === undefined || v === null ? fallback : v === true || isObject(v);
      continue;
    }
    const text = v === undefined || v === null ? "" : typeof v === "string" ? v : typeof v === "number" ? String(v) : JSON.stringify(v);
    if (control.tagName === "SELECT") {
      for (const extra of control.querySelectorAll("option[data-other]")) extra.remove();
      if (![...control.options].some((o) => o.value === text)) {
        const option = document.createElement("option");
        option.value = text;
        option.dataset.other = "";
        option.textContent = `${text} (as written in the JSON)`;
        control.append(option);
      }
    }
    control.value = text;
  }
}

// --- the JSON text -----------------------------------------------------------

function configText() {
  return editor.value;
}

/** Reads the editor's text; the form is usable only while it is a JSON object. */
function readEditor() {
  let parsed;
  let problem = "";
  try {
    parsed = JSON.parse(configText());
  } catch (error) {
    problem = `Not JSON: ${error.message}. The module would not start (it fails closed: no banner, nothing optional granted).`;
  }
  if (!problem && !isObject(parsed)) problem = "The config must be a JSON object ({ … }).";
  current = problem ? undefined : parsed;
  jsonStatus.textContent = problem || "JSON: reads as an object.";
  jsonStatus.classList.toggle("bad", Boolean(problem));
  editor.setAttribute("aria-invalid", problem ? "true" : "false");
  formNote.hidden = !problem;
  for (const part of form.querySelectorAll("[data-form-part]")) part.disabled = Boolean(problem);
  if (current) fillForm(current);
}

function onFormInput(event) {
  const control = event.target.closest("[data-kind]");
  if (!control || !current) return;
  const keys = keysOf(control);
  setIn(current, keys, valueOf(control, getIn(current, keys)));
  editor.value = JSON.stringify(current, null, 2);
  changed();
}

// --- checker, snippet, preview ------------------------------------------------

function check() {
  if (!checker) {
    summary.textContent = checkerError || "Loading the checker…";
    summary.className = "checker-summary";
    return null;
  }
  const report = checker.checkText(configText());
  problemList.replaceChildren();
  for (const p of report.problems) {
    const item = document.createElement("li");
    item.className = `problem ${p.severity}`;
    item.dataset.severity = p.severity;
    item.dataset.path = p.path;
    const line = document.createElement("samp");
    line.className = "line";
    const level = document.createElement("strong");
    level.className = "level";
    level.textContent = p.line.slice(0, p.line.indexOf(":") + 1);
    line.append(level, p.line.slice(level.textContent.length));
    item.append(line);
    const control = controlFor(p.path);
    if (control) {
      const go = document.createElement("button");
      go.type = "button";
      go.className = "link-button";
      go.textContent = "Go to the field";
      go.addEventListener("click", () => control.focus());
      item.append(" ", go);
    } else if (p.path) {
      const show = document.createElement("button");
      show.type = "button";
      show.className = "link-button";
      show.textContent = "Show in the JSON";
      show.addEventListener("click", () => selectKey(p.path));
      item.append(" ", show);
    }
    problemList.append(item);
  }
  const { errors, warnings } = report;
  if (!report.json) summary.textContent = "Not JSON: the module would not start (no banner, nothing optional granted).";
  else if (errors + warnings === 0) summary.textContent = "No problems: the module reads this config as written.";
  else
    summary.textContent =
      `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}` +
      (errors ? ": each bad value is replaced by its default (never by a grant)." : ": unknown keys are ignored.");
  summary.className = `checker-summary ${errors ? "bad" : warnings ? "warn" : "ok"}`;
  markFields(report.problems);
  return report;
}

/** Selects the last key of `path` (`categories.ads.cookies[0].nmae` → "nmae") in the JSON editor. */
function selectKey(path) {
  const key = path.split(/[.\]]/).pop();
  const text = configText();
  const quoted = JSON.stringify(key);
  let at = text.indexOf(quoted + ":");
  if (at < 0) at = text.indexOf(quoted);
  editor.focus();
  if (at >= 0) editor.setSelectionRange(at + 1, at + quoted.length - 1);
}

/** The form control that edits `path`, if any. */
function controlFor(path) {
  if (!current) return null;
  return fields().find((c) => pathOf(c) === path) || null;
}

/** Shows each problem next to the field it is about. */
function markFields(problems) {
  for (const control of fields()) {
    const field = control.closest(".field");
    let note = field.querySelector(".field-problem");
    const path = current ? pathOf(control) : null;
    const mine = problems.filter((p) => p.path === path);
    if (!mine.length) {
      control.removeAttribute("aria-invalid");
      control.removeAttribute("aria-describedby");
      note?.remove();
      continue;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "field-problem";
      note.id = `${control.id}-problem`;
      field.append(note);
    }
    note.textContent = mine.map((p) => p.line).join("\n");
    control.setAttribute("aria-invalid", mine.some((p) => p.severity === "error") ? "true" : "false");
    control.setAttribute("aria-describedby", note.id);
  }
}

function snippetText() {
  // `<` escaped inside the JSON (still the same JSON), so no text can end the block.
  const json = (current ? JSON.stringify(current, null, 2) : configText().trim()).replace(/</g, "\\u003c");
  const src = loaderUrl.value.trim() || "/consent-gate/consent-gate.js";
  const attribute = src.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<script type="application/json" id="consent-gate-config">\n${json}\n</script>\n<script src="${attribute}"></script>\n`;
}

function reloadPreview() {
  clearTimeout(previewTimer);
  run += 1;
  const query = new URLSearchParams({ n: String(run) });
  if (showPreferences.checked) query.set("prefs", "1");
  frame.dataset.state = "loading";
  focusBefore = document.activeElement;
  previewStatus.textContent = "Loading the preview…";
  frame.src = `${PREVIEW}?${query}#${encodeURIComponent(configText())}`;
}

function schedulePreview() {
  clearTimeout(previewTimer);
  frame.dataset.state = "pending";
  previewTimer = setTimeout(reloadPreview, 300);
}

window.addEventListener("message", (event) => {
  if (event.origin !== location.origin || event.source !== frame.contentWindow) return;
  const data = event.data;
  if (!data || data.source !== "consent-gate-preview" || data.run !== String(run)) return;
  frame.dataset.state = data.state;
  frame.dataset.run = data.run;
  previewStatus.textContent =
    data.state === "failed"
      ? `The module did not start (${data.detail}): a page with this config shows no banner and grants nothing optional.`
      : data.state === "preferences"
        ? "The preview shows the preferences dialog."
        : "The preview shows the banner.";
  // The dialog in the preview may have taken focus: give it back to the editor.
  if (focusBefore && focusBefore !== frame && document.activeElement !== focusBefore && typeof focusBefore.focus === "function") {
    focusBefore.focus({ preventScroll: true });
  }
});

function changed() {
  check();
  snippet.value = snippetText();
  copyStatus.textContent = "";
  history.replaceState(null, "", `#config=${encodeURIComponent(configText())}`);
  schedulePreview();
}

async function copySnippet() {
  const text = snippetText();
  snippet.value = text;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (an old browser, an insecure origin): select and copy.
    snippet.focus();
    snippet.select();
    if (!document.execCommand("copy")) {
      copyStatus.textContent = "Select the snippet and copy it (Ctrl+C / ⌘C): this browser refused.";
      return;
    }
  }
  copyStatus.textContent = "Copied.";
}

// --- start -------------------------------------------------------------------

function initialText() {
  const match = /^#config=(.*)$/s.exec(location.hash);
  if (match) {
    try {
      return decodeURIComponent(match[1]);
    } catch {
      // A mangled link: start from the example.
    }
  }
  return JSON.stringify(STARTER, null, 2);
}

async function loadChecker() {
  try {
    const module = await import(DEVTOOL);
    await module.default();
    CATEGORIES = module.categories();
    return module;
  } catch (error) {
    checkerError =
      `The checker (${DEVTOOL}) could not be loaded: ${error.message}. ` +
      "Build it with `bash scripts/build-devtool.sh` (make demo and make test do).";
    return null;
  }
}

async function start() {
  editor.value = initialText();
  buildCategoryFields();
  readEditor();
  changed();
  form.addEventListener("input", onFormInput);
  form.addEventListener("change", onFormInput);
  form.addEventListener("submit", (event) => event.preventDefault());
  editor.addEventListener("input", () => {
    readEditor();
    changed();
  });
  loaderUrl.addEventListener("input", () => {
    snippet.value = snippetText();
  });
  showPreferences.addEventListener("change", reloadPreview);
  $("[data-reload-preview]").addEventListener("click", reloadPreview);
  $("[data-copy]").addEventListener("click", copySnippet);
  reloadPreview();

  checker = await loadChecker();
  if (checker) {
    fillLanguages(checker.languages());
    // The model's list of categories: rebuild their fields only if it differs from the page's.
    const shown = fields().filter((c) => c.dataset.key === "label").map((c) => c.dataset.category);
    if (shown.join() !== CATEGORIES.map((c) => c.id).join()) buildCategoryFields();
    if (current) fillForm(current);
  }
  check();
  document.documentElement.dataset.checker = checker ? "ready" : "missing";
}

start();
