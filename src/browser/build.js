// The banner module's JavaScript side (a wasm-bindgen snippet, imported by
// src/browser/dom.rs; `.js`, as wasm-bindgen-test-runner serves `.mjs` with a
// MIME type browsers refuse for modules).
// `build` is its one DOM builder: it runs a program written by
// src/model/markup.rs (one per view: the banner and dialog, the dialog's
// category list, a cookie declaration) with createElement, setAttribute and
// createTextNode only. Never markup: config and translation strings become
// text nodes or attribute values; tag and attribute names come only from
// NAMES, the module's fixed list (a host test keeps it equal to markup.rs's).
// `mount`, `show` and `open` are the banner UI's plumbing; what each event
// means stays in the module.

const NAMES = "div,section,h2,h3,p,a,button,dialog,span,label,input,table,thead,tbody,tr,th,td,id,lang,data-layout,data-theme,dir,class,aria-hidden,hidden,data-cg,role,aria-label,data-mode,href,aria-modal,aria-labelledby,type,data-action,closedby,for,data-category,data-service,data-section,aria-describedby,scope,data-consent-gate,data-granted,data-decided,checked,disabled,consent-gate,bar,bar-top,box,modal,auto,light,dark,rtl,spacer,true,false,banner,region,opt-out,text,note,gpc,policy,actions,actions foot,accept-all,reject-all,do-not-sell,preferences,save,close,cg-dialog-title,head,body,wall,none,cat,row,switch,checkbox,on,svc,cookies,col,status".split(",");
const utf8 = new TextDecoder();

/**
 * Runs `program` (bytes: see src/model/markup.rs for the opcodes) under
 * `parent` (null: the first element stays detached) and returns the elements
 * it keeps, in program order. Throws on an opcode it does not know.
 */
export function build(parent, program) {
  const kept = [];
  const open = [];
  let e = parent;
  let i = 0;
  const name = () => NAMES[program[i++]];
  // A string runs to its 0xFF, a byte UTF-8 never contains.
  const string = () => utf8.decode(program.subarray(i, (i = program.indexOf(255, i) + 1) - 1));
  while (i < program.length) {
    const op = program[i++];
    if (op == 0) e = open.pop();
    else if (op == 1) e.appendChild(document.createTextNode(string()));
    else if (op == 2) e.setAttribute(name(), string());
    else if (op == 3) e.setAttribute(name(), name());
    else if (op == 4) kept.push(e);
    else if (op == 5) e[name()] = true;
    else if (op == 6) e.textContent = "";
    else if (op == 7) {
      const child = document.createElement(name());
      if (e) e.appendChild(child);
      open.push(e);
      e = child;
    } else throw new Error("Consent Gate: markup opcode " + op);
  }
  return kept;
}

// The banner UI's plumbing. What each event means stays in the module (its
// `uiEvent` export, `on` here): which action a button is, keeping switches in
// step, what "Save" reads.

/** Where focus was when the preferences dialog opened. */
let back;

/**
 * Mounts the banner UI and returns the elements `program` keeps, or null when
 * the page has no body or refuses a shadow root. The host (built detached
 * from `hostProgram`) gets an open shadow root styled by one constructable
 * sheet of `css` (CSP-safe: no <style>, no style attribute), `program` is
 * built into it, then the host goes first (`top`) or last in <body>.
 * A click on a `[data-action]` button calls `on(action, dialog)`, a switch
 * change `on("", switch)`; closing the dialog gives focus back; the blocking
 * wall (if any) cannot be dismissed with Escape while the banner shows; the
 * spacer (and, for the bars, the page's scroll `padding` property) follows
 * the banner's height.
 */
export function mount(hostProgram, css, program, top, padding, on) {
  const body = document.body;
  if (!body) return null;
  const [host] = build(null, hostProgram);
  let root;
  try {
    root = host.attachShadow({ mode: "open" });
  } catch {
    return null;
  }
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // unstyled rather than absent
  }
  const kept = build(root, program);
  const [banner, dialog] = kept.slice(-3);
  const wall = kept.length > 4 && kept[1];
  const spacer = kept[0];
  const listen = (target, type, f) => target.addEventListener(type, f);
  listen(root, "click", (event) => {
    const button = event.target.closest?.("[data-action]");
    if (button) on(button.getAttribute("data-action"), dialog);
  });
  listen(root, "change", (event) => on("", event.target));
  listen(dialog, "close", () => {
    back?.focus();
    back = null;
  });
  if (wall) {
    // Chromium honours preventDefault() on cancel only with fresh user
    // activation (closedby="none" covers new browsers): reopen it instead.
    listen(wall, "cancel", (event) => event.preventDefault());
    listen(wall, "close", () => banner.hidden || modal(wall));
  }
  // CSSOM writes are allowed under a strict style-src; style attributes in markup are not.
  try {
    new ResizeObserver(() => {
      const height = banner.clientHeight + "px";
      spacer.style.setProperty("height", height);
      if (padding) document.documentElement.style.setProperty(padding, height);
    }).observe(banner);
  } catch {
    // no ResizeObserver: the spacer stays at its CSS height
  }
  if (top) body.prepend(host);
  else body.appendChild(host);
  return kept;
}

/** Shows or hides the banner and its spacer, and opens or closes the wall (if any). */
export function show(banner, spacer, wall, visible) {
  banner.hidden = spacer.hidden = !visible;
  if (wall && wall.open != visible) visible ? modal(wall) : wall.close();
}

/**
 * Builds `program` into `list` (the dialog's category list), then opens
 * `dialog` as a modal dialog unless it is open, remembering where focus was.
 */
export function open(list, program, dialog) {
  build(list, program);
  if (!dialog.open) {
    back = dialog.getRootNode().activeElement || document.activeElement;
    modal(dialog);
  }
}

function modal(dialog) {
  try {
    dialog.showModal();
  } catch {
    // disconnected by the page: nothing to show
  }
}

// The consent cookie, read and written in one place each: reading or writing
// document.cookie throws in a sandboxed document, which means "no cookie".

/** `document.cookie`, or "" where reading it throws. */
export function cookies() {
  try {
    return document.cookie;
  } catch {
    return "";
  }
}

/** `document.cookie = cookie`, ignored where the document refuses it. */
export function setCookie(cookie) {
  try {
    document.cookie = cookie;
  } catch {
    // the decision is then not kept: storage.rs checks by reading it back
  }
}

// The decision's localStorage mirror (and what a withdrawal deletes): using
// storage throws where it is disabled, sandboxed or full, which means "no storage".

/** `localStorage.getItem(key)`, or null where storage throws. */
export function getItem(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** `localStorage.setItem(key, value)`, or `removeItem(key)` when `value` is null; ignored where storage throws. */
export function setItem(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // no mirror: the cookie alone holds the decision
  }
}
