// The banner module's DOM (imported by boot.mjs, which runs the module's ops).
// `build` is its one DOM builder: it runs a program written by
// src/model/markup.rs (one per view: the banner and dialog, the dialog's
// category list, a cookie declaration) with createElement, setAttribute and
// createTextNode only. Never markup: config and translation strings become
// text nodes or attribute values; tag and attribute names come only from
// NAMES, the module's fixed list (a host test keeps it equal to markup.rs's).
// `mount`, `show`, `open` and `close` are the banner UI's plumbing (what
// runs only after the banner is drawn is in late.mjs); what each click means
// stays in the module.

export const NAMES = "div,section,h2,h3,p,a,button,dialog,span,label,input,table,thead,tbody,tr,th,td,id,lang,data-layout,data-theme,dir,class,aria-hidden,hidden,data-cg,role,aria-label,data-mode,href,aria-modal,aria-labelledby,type,data-action,closedby,for,data-category,data-service,data-section,aria-describedby,scope,data-consent-gate,data-granted,data-decided,checked,disabled,consent-gate,bar,bar-top,box,modal,auto,light,dark,rtl,spacer,true,false,banner,region,opt-out,text,note,gpc,policy,actions,actions foot,accept-all,reject-all,do-not-sell,preferences,save,close,cg-dialog-title,head,body,wall,none,cat,row,switch,checkbox,on,svc,cookies,col,status".split(",");
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

// The banner UI's plumbing. What each click means stays in the module (its
// `cg_event` export, `on` here): which action a button is, what "Save" reads.

/** The mounted UI's shadow root and elements (the module has one UI at most). */
let root, banner, spacer, wall, dialog, list;
/** Where focus was when the preferences dialog opened. */
let back;

/**
 * Mounts the banner UI; 1 once mounted, 0 when the page has no body or
 * refuses a shadow root. The host (built detached from `hostProgram`) gets
 * an open shadow root styled by `css` (see `style`), `program` is built
 * into it, then the host goes first (`top`) or last in <body>. A click on a
 * `[data-action]` button calls `on(action)`; a category switch sets its
 * services, a service switch its category (on while any of its services
 * is); closing the dialog gives focus back; the blocking wall (if any)
 * cannot be dismissed with Escape while the banner shows; the spacer (and,
 * for the bars, the page's scroll `padding` property) follows the banner's
 * height.
 */
export function mount(hostProgram, css, program, top, padding, on) {
  const body = document.body;
  if (!body) return 0;
  const [host] = build(null, hostProgram);
  try {
    root = host.attachShadow({ mode: "open" });
  } catch {
    return 0;
  }
  style(css);
  const kept = build(root, program);
  [banner, dialog, list] = kept.slice(-3);
  wall = kept.length > 4 && kept[1];
  spacer = kept[0];
  const listen = (target, type, f) => target.addEventListener(type, f);
  listen(root, "click", (event) => {
    const button = event.target.closest?.("[data-action]");
    if (button) on(button.getAttribute("data-action"));
  });
  listen(root, "change", ({ target }) => {
    const section = target.closest?.("[data-section]");
    if (!section) return;
    const services = [...section.querySelectorAll("input[data-service]")];
    if (target.hasAttribute("data-category")) for (const s of services) s.checked = target.checked;
    else {
      const category = section.querySelector("input[data-category]");
      if (category) category.checked = services.some((s) => s.checked);
    }
  });
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
  return 1;
}

/** Shows or hides the banner and its spacer, and opens or closes the wall (if any). */
export function show(visible) {
  banner.hidden = spacer.hidden = !visible;
  if (wall && wall.open != visible) visible ? modal(wall) : wall.close();
}

/**
 * Builds `program` into the dialog's category list, then opens the dialog as
 * a modal dialog unless it is open, remembering where focus was.
 */
export function open(program) {
  build(list, program);
  if (!dialog.open) {
    back = dialog.getRootNode().activeElement || document.activeElement;
    modal(dialog);
  }
}

/** Closes the preferences dialog if it is open (focus goes back). */
export function close() {
  if (dialog?.open) dialog.close();
}

/**
 * Adds stylesheet `css` to the mounted UI's shadow root, after those it has:
 * one constructable sheet each (CSP-safe: no <style>, no style attribute).
 */
export function style(css) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    // unstyled rather than absent (or nothing mounted)
  }
}

/** The preferences dialog, once mounted (src/browser/late.mjs reads its switches). */
export const dialogOf = () => dialog;

function modal(dialog) {
  try {
    dialog.showModal();
  } catch {
    // disconnected by the page: nothing to show
  }
}
