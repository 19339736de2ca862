// Placeholders for blocked embeds (contract section 3): a gated <iframe>, or
// any gated element with data-placeholder, whose category is not granted is
// covered by a placeholder naming what it holds, with "Load once" and
// "Always allow". Built into pkg/consent-gate-placeholders.js, which the
// banner module imports only on a page that has such an element (now or
// later), so pages without embeds never download it.
//
// What a placeholder says: the service's label from the config, else the
// host of data-src, in the visitor's language (the banner module's texts).
// "Always allow" grants the element's service (when the config declares it
// in the element's category), else its category: a decision of the visitor
// through the banner module, like the dialog's. A data-service the config
// does not declare can never run, so that placeholder offers "Load once" only.
//
// - Each placeholder is a <consent-gate-placeholder> with an open shadow
//   root, styled by a constructable stylesheet (no style attribute, no
//   <style>: it renders under `style-src 'self'`). Texts go in as text.
// - An element with a box (an iframe, an image) keeps it: it is only made
//   invisible, and the placeholder lies over it, absolutely positioned at its
//   own place and sized to it by a ResizeObserver. So the placeholder follows
//   the element when the page is resized, and nothing moves when it turns
//   into the real frame. A script (no box) gets an in-flow placeholder.
// - The DOM is the state: a placeholder's element is the host's next sibling.
//   `update` drops the placeholders whose element loaded, was granted or went
//   away, and adds the missing ones; it runs on every change to the page's
//   elements or their `src` (a MutationObserver), so later elements get one too.
// - data-placeholder="off": no placeholder; the element is not displayed
//   until it loads.

/** Gated elements that may need a placeholder: not loaded or run yet. */
export const SELECTOR =
  'iframe[data-category][data-src]:not([src]),[data-placeholder][data-category][data-src]:not([src]),script[type="text/plain" i][data-placeholder][data-category]';
const HOST = "consent-gate-placeholder";

// The banner's colours and font (the same --cg-* custom properties and defaults).
const LIGHT = "--bg:var(--cg-bg,#fff);--fg:var(--cg-fg,#1f2328);--muted:var(--cg-muted,#4b535c);--accent:var(--cg-accent,#0b57d0);--on-accent:var(--cg-accent-fg,#fff);--line:var(--cg-border,#8c959f)";
const DARK = "--bg:var(--cg-bg-dark,#1c2128);--fg:var(--cg-fg-dark,#e6edf3);--muted:var(--cg-muted-dark,#b1bac4);--accent:var(--cg-accent-dark,#8ab4f8);--on-accent:var(--cg-accent-fg-dark,#0d1117);--line:var(--cg-border-dark,#6e7681)";
const CSS = `:host{all:initial;position:absolute;display:inline-block;overflow:hidden;${LIGHT};--radius:var(--cg-radius,10px);font:var(--cg-font,15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--fg)}
:host([data-theme=dark]){${DARK}}
@media (prefers-color-scheme:dark){:host([data-theme=auto]){${DARK}}}
:host([data-mode=flow]){position:static;display:block;min-height:200px}
*{box-sizing:border-box}
.ph{width:100%;height:100%;overflow:auto;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:6px;padding:12px;text-align:center;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:var(--radius)}
p{margin:0}
.n{font-weight:700;overflow-wrap:anywhere}
.x{color:var(--muted);font-size:.875em;max-width:36em}
.a{display:flex;flex-wrap:wrap;justify-content:center;gap:8px;margin-top:4px}
button{font:inherit;font-weight:700;cursor:pointer;min-height:44px;padding:.5em 1.1em;border-radius:calc(var(--radius)*.6);border:2px solid var(--accent);background:var(--accent);color:var(--on-accent)}
button:hover{filter:brightness(1.1)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}`;

/**
 * Starts the placeholders. `config`: the page's config as parsed;
 * `names`: the category names (`categoryNames()`); `texts`: the visitor's
 * placeholderTitle, placeholderText, loadOnce and alwaysAllow, joined by NUL
 * (what the banner module's `start` returns); `set(json)`: a decision of the
 * visitor (as `ConsentGate.set`); `load(element)`: the loader runs one
 * element now. Returns `update`.
 */
export function start(config, names, texts, set, load) {
  const [title, why, once, always] = texts.split("\0");
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  const resize = new ResizeObserver(() => {
    for (const host of document.querySelectorAll(HOST)) if (host.nextElementSibling) fit(host, host.nextElementSibling);
  });
  const groups = names.split(",").map((group) => group.split(" "));
  // A category id from a name or alias (case and surrounding spaces ignored), or undefined.
  const category = (name) => groups.find((group) => group.includes(name.trim().toLowerCase()))?.[0];
  const accepted = window.ConsentGate.accepted;
  const own = (o, key) => (o && typeof o === "object" && Object.hasOwn(o, key) ? o[key] : undefined);

  // What e's placeholder shows: [title, name, text, "Load once", "Always
  // allow", the name "Always allow" grants ("" when granting could not make
  // it run)], or null when e needs none: it runs now (granted: the loader is
  // about to run it), always (essential) or never (an unknown category).
  function view(e) {
    const id = category(e.getAttribute("data-category") || "");
    const service = (e.getAttribute("data-service") || "").trim();
    if (!id || id === "essential" || (accepted(id) && (!service || accepted(service)))) return null;
    // The service, when the config declares it in that category.
    let declared;
    const categories = own(config, "categories") || {};
    for (const key of Object.keys(categories))
      if (category(key) === id && own(own(categories[key], "services"), service)) declared = own(categories[key].services, service);
    let name = service && declared ? own(declared, "label") || service : "";
    if (!name)
      try {
        name = new URL(e.getAttribute("data-src") || "", document.baseURI).hostname;
      } catch {
        // no readable URL: no name beyond the title
      }
    return [title, name, why, once, always, service ? (declared ? service : "") : id];
  }

  function update() {
    for (const host of document.querySelectorAll(HOST)) {
      const e = host.nextElementSibling;
      if (e && e.matches(SELECTOR) && view(e)) continue;
      const focused = host.shadowRoot?.activeElement;
      host.remove();
      if (!e) continue;
      restore(e, "visibility");
      resize.unobserve(e);
      // "Load once" had the focus: it goes to what was loaded.
      if (focused) e.focus?.();
    }
    // A hidden element shows again once it loads.
    for (const e of document.querySelectorAll("[data-placeholder=off][src]")) restore(e, "display");
    for (const e of document.querySelectorAll(SELECTOR)) {
      if (e.previousElementSibling?.localName === HOST) continue;
      const v = view(e);
      if (!v) continue;
      if (e.getAttribute("data-placeholder") === "off") e.style.setProperty("display", "none", "important");
      else add(e, v);
    }
  }

  function add(e, [title, name, text, once, always, grant]) {
    const host = document.createElement(HOST);
    // The banner's language, direction and theme.
    const banner = document.getElementById("consent-gate");
    for (const a of ["lang", "dir", "data-theme"]) {
      const value = banner?.getAttribute(a);
      if (value) host.setAttribute(a, value);
    }
    const root = host.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [sheet];
    const group = el("div", "ph");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", title + ": " + name);
    group.setAttribute("data-cg", "placeholder");
    group.append(el("p", "t", title), el("p", "n", name), el("p", "x", text));
    const row = el("div", "a");
    row.append(
      button("load-once", once, () => {
        // Automatic blocking lets a marked element through; nothing is stored.
        e.setAttribute("data-consent-gate-once", "");
        load(e);
      })
    );
    if (grant) row.append(button("always-allow", always, () => set(JSON.stringify({ [grant]: true }))));
    group.append(row);
    root.append(group);
    const boxed = e.localName !== "script" && e.getClientRects().length > 0;
    host.setAttribute("data-mode", boxed ? "box" : "flow");
    e.before(host);
    if (boxed) {
      e.style.setProperty("visibility", "hidden", "important");
      fit(host, e);
      resize.observe(e);
    }
  }

  new MutationObserver(update).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributeFilter: ["src"],
  });
  update();
  return update;
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(action, text, onClick) {
  const b = el("button", "", text);
  b.type = "button";
  b.setAttribute("data-action", action);
  b.addEventListener("click", onClick);
  return b;
}

/** Sizes `host` to `e`'s border box and lays it exactly over `e`. */
function fit(host, e) {
  const box = e.getBoundingClientRect();
  host.style.width = box.width + "px";
  host.style.height = box.height + "px";
  host.style.translate = "";
  // From its static place, which differs from e's by e's margins or a line's alignment.
  const at = host.getBoundingClientRect();
  host.style.translate = box.left - at.left + "px " + (box.top - at.top) + "px";
}

/** Takes back an `!important` value set on a page element's `property`. */
function restore(e, property) {
  if (e.style?.getPropertyPriority(property) === "important") e.style.removeProperty(property);
}
