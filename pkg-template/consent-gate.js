/*! Consent Gate | MIT OR Apache-2.0 */
// The loader. It runs synchronously as the first script of the page: it defines
// `window.ConsentGate`, pushes the Consent Mode default and wires "Cookie
// settings" links, then starts two WebAssembly modules without holding the page up:
//
// - consent-gate.wasm, the core, for every visitor: it decodes the consent
//   cookie, decides whether it still holds, says what is granted and which
//   gated elements may run. A returning visitor needs nothing else.
// - consent-gate-ui.js + consent-gate-ui.wasm, the banner module, only when it
//   must be shown or used: no valid decision, a cookie declaration on the page,
//   or a call such as showPreferences() or acceptAll().
//
// Usually the core comes first. On a first visit (the config known at once,
// no consent cookie, cookies not refused) the banner module comes first and
// the core only once it has started: nothing stored can grant, so the banner
// shows without waiting for the core. Until the core runs nothing optional
// is granted and no gated element runs.
//
// The rules live in the modules (the core imports nothing); this file is its
// browser edge (the cookie, the mirror, finding and running gated elements),
// the API, and what must happen before any module loads: the checks that make
// a bad argument throw at once, and the Consent Mode default.
(function (window, document) {
  "use strict";

  // Loaded twice (two tags, or a tag plus a bundle): keep the first.
  if (window.ConsentGate?.version) return;

  var console = window.console;
  var script = document.currentScript;
  // Taken now: page code that replaces JSON.parse later cannot forge the core's answer.
  var parse = JSON.parse;
  // A grant is this private object, never `true`: whatever another script puts
  // on Object.prototype cannot equal it, so `accepted()` stays one property read.
  var YES = {};
  var EVENTS = { change: [], consent: [] };
  var ESSENTIAL = { essential: YES, necessary: YES };

  // What `accepted()` reads: own properties only, so nothing on a prototype
  // can grant. Replaced from the core's answer on every change.
  var grants = ESSENTIAL;
  var record = null; // the consent record, or null while undecided
  var core = null; // the core's exports, once running
  var ui = null; // the banner module's exports, once running
  var uiLoading = null; // the banner module's entry, once asked for
  var uiStarting = null; // its start, once asked for
  var heard; // set once the banner module has published state
  // What an undecided visitor in an opt-out region is granted meanwhile (a
  // cookie value from the banner module, never stored), else "".
  var assumed = "";
  var failed = null; // the reason, once the module could not start
  var queue = []; // calls for the banner module, in order
  var config = null; // the parsed config, once read
  var configText = "{}";
  var cookieName = "consent_gate";
  var consentMode = false;
  var channel = null;
  var settle;
  var ready = new Promise((resolve, reject) => {
    settle = [resolve, reject];
  });
  // A failure is reported once with console.error; awaiting code still sees
  // the rejection. (`String` is a handler that does nothing here.)
  ready["catch"](String);

  // Fails closed: every grant the page could see is taken back, nothing more runs.
  function fail(reason) {
    if (failed) return;
    failed = reason;
    queue = [];
    grants = ESSENTIAL;
    record = null;
    core = null;
    console.error("Consent Gate: " + reason + ". Failing closed: nothing optional runs.");
    settle[1](new Error(reason));
  }

  function argError(argument, message) {
    return new TypeError("ConsentGate: `" + argument + "` " + message);
  }

  // A deep copy of the record (or null).
  function copy(value) {
    return parse(JSON.stringify(value));
  }

  // --- storage: the cookie (the record of truth) and its localStorage mirror ---

  // The first value of cookie `name` (browsers list the most specific path
  // first), or undefined: none, or a document.cookie that throws.
  function readCookie(name) {
    try {
      return ("; " + document.cookie).split("; " + name + "=")[1].split(";")[0];
    } catch (error) {}
  }

  // Storage that throws (disabled, sandboxed, full) is silently no storage.
  function mirror(write) {
    try {
      var storage = window.localStorage;
      if (write === undefined) return parse(storage.getItem(cookieName)).value;
      if (write) storage.setItem(cookieName, JSON.stringify(write));
      else storage.removeItem(cookieName);
    } catch (error) {}
  }

  // --- the core module ---

  // Text in and out of the core's scratch buffer, UTF-8. Returns the bytes
  // written, or -1 when `s` does not fit in `room`.
  function put(s, at, room) {
    var done = new TextEncoder().encodeInto(s, new Uint8Array(core.memory.buffer, core.cg_buf() + at, room));
    return done.read < s.length ? -1 : done.written;
  }
  function take(len) {
    return new TextDecoder().decode(new Uint8Array(core.memory.buffer, core.cg_buf(), len));
  }

  // Re-reads the stored decision through the core and publishes it. `kind`:
  // undefined when another tab or the back/forward cache may have changed it;
  // else the banner module's word (0 started, 1 first decision, 2 a later one, 3 reset).
  var answered = ""; // the core's last answer, as text
  var kept; // the valid cookie value the mirror keeps, if any
  function sync(kind) {
    if (!core) return;
    var before = record;
    var held = grants;
    var enabled = navigator.cookieEnabled !== false;
    // Only where the browser refuses cookies does the mirror stand alone.
    var value = String((enabled ? readCookie(cookieName) : mirror()) || "");
    var text = take(core.cg_load(Math.max(put(value || assumed, 0, 3073), 0), Date.now() / 1000));
    var changed = text !== answered;
    try {
      // The record's dates (decidedAt, updatedAt, expiresAt: the only keys
      // ending in "At") come as Unix seconds.
      var answer = parse((answered = text), (key, value) => {
        return /At$/.test(key) ? new Date(value * 1000).toISOString() : value;
      });
    } catch (error) {
      return fail("the consent state cannot be read (" + error.message + ")");
    }
    // Granted from `assumed`, nothing is decided: get() stays null.
    record = value ? answer[0] : null;
    grants = answer[1];
    Object.keys(grants).forEach((name) => {
      grants[name] = grants[name] === true && YES;
    });
    kept = enabled && record ? value : undefined;
    // Every decision is published; otherwise only a change.
    if (changed || kind & 3) publish(kind, before, held);
    // The mirror never grants by itself: rewritten from a valid cookie, else
    // removed (after the gated scripts' requests have gone out; from the
    // state now, which a listener or a script may have changed meanwhile).
    if (enabled && mirror() !== kept) mirror(kept && { v: 1, value: kept, record: record });
  }

  // Announces what sync() read: Consent Mode, the page's listeners, the other
  // tabs; runs what is now granted.
  function publish(kind, before, held) {
    // Only the banner module's own decisions are told to the other tabs.
    var tell = kind && channel;
    if (kind === undefined) {
      // Changed elsewhere. Something granted before is not any more: scripts
      // that ran cannot be unloaded, so start the page afresh (unless told not to).
      for (var name in held)
        if (held[name] === YES && grants[name] !== YES && config.reloadOnWithdraw !== false) return window.location.reload();
      kind = record ? (before ? 2 : 1) : 0;
      if (ui) ui.refresh();
    }
    consentModeUpdate();
    if (kind === 1) emit("consent", record);
    if (kind === 1 || kind === 2) {
      emit("change", record);
      window.dispatchEvent(new CustomEvent("consentgate:change", { detail: copy(record) }));
    }
    pump();
    // Tell the other tabs; the message carries nothing, so a forged one can
    // at most make a tab re-read its own cookie.
    if (tell) channel.postMessage(1);
  }

  // --- gated elements: the core decides, this runs them ---

  var busy = false; // an ordered external script is loading: the pump waits
  // Trusted Types: the policy "consent-gate", made once when first needed (0
  // where there is none: no Trusted Types, or the page's CSP refuses the name;
  // an enforcing page then blocks the script, which is reported once).
  var policy;
  var blocked;

  // Runs, in document order, every gated element the core allows (while an
  // ordered script loads, later ones wait for the next pass). One that is not
  // allowed and shows a placeholder (an iframe, or data-placeholder) needs the
  // banner module, which draws it (its placeholders file).
  function pump() {
    if (!core) return;
    // GATED: gated scripts, and elements with a data-src not loaded yet.
    for (var e of document.querySelectorAll('script[type="text/plain" i][data-category],[data-category][data-src]:not([src])')) {
      // data-service goes to 4096, where the core reads it (src/core_abi.rs, HALF).
      var category = put(e.getAttribute("data-category") || "", 0, 4096);
      var service = put(e.getAttribute("data-service") || "", 4096, 4096);
      // Detached meanwhile (a script run by this pass re-entered the pump), or
      // an attribute too long to be any name: skipped.
      if (e.isConnected && category >= 0 && service >= 0 && core.cg_gate(category, service)) busy || activate(e);
      else if (e.tagName == "IFRAME" || e.hasAttribute("data-placeholder")) ui ? ui.embeds() : loadUi();
    }
  }

  // Runs a gated script (a live copy with every attribute) or loads an
  // element's data-src. An external script without async holds the pump
  // until it has loaded or failed, so later gated scripts keep the author's order.
  function activate(old) {
    try {
      if (old.tagName !== "SCRIPT") {
        var srcset = old.getAttribute("data-srcset");
        if (srcset !== null) old.setAttribute("srcset", srcset);
        return old.setAttribute("src", old.getAttribute("data-src"));
      }
      if (policy === undefined)
        try {
          policy = trustedTypes.createPolicy("consent-gate", { createScript: String, createScriptURL: String });
        } catch (error) {
          policy = 0;
        }
      var live = document.createElement("script");
      for (var a of old.attributes) {
        if (a.name !== "type" && a.name !== "data-type")
          // (src needs a TrustedScriptURL; any other attribute takes it as text)
          live.setAttribute(a.name, policy ? policy.createScriptURL(a.value) : a.value);
      }
      var type = old.getAttribute("data-type");
      if (type !== null) live.setAttribute("type", type);
      // Browsers hide the nonce attribute's value once parsed; the property keeps it.
      live.nonce = old.nonce;
      var external = old.hasAttribute("src");
      var wait = external && !old.hasAttribute("async");
      if (external) live.async = !wait;
      else live.text = policy ? policy.createScript(old.text) : old.text;
      var done = () => {
        busy = false;
        pump();
      };
      if (wait) {
        live.addEventListener("load", done);
        live.addEventListener("error", done);
      }
      old.replaceWith(live);
      busy = wait;
    } catch (error) {
      // Blocked (Trusted Types without our policy, a detached element): not run.
      blocked || console.error("Consent Gate: a gated script did not run (" + error.message + ")");
      blocked = 1;
    }
  }

  // --- Consent Mode v2 ---

  // Each Consent Mode type and the category it follows ("" = always granted once decided).
  var TYPES = {
    ad_storage: "marketing",
    ad_user_data: "marketing",
    ad_personalization: "marketing",
    analytics_storage: "performance",
    functionality_storage: "functional",
    personalization_storage: "functional",
    security_storage: ""
  };
  // Pushes to dataLayer the way gtag.js expects (an `arguments` object), or
  // calls the site's own `gtag` when it defined one. `categories`: null for the default.
  function gtag(kind, categories, extra) {
    var states = extra || {};
    for (var type in TYPES)
      states[type] = categories && (!TYPES[type] || categories[TYPES[type]]) ? "granted" : "denied";
    var args = ["consent", kind, states];
    if (typeof window.gtag === "function") window.gtag(...args);
    else
      (window.dataLayer = window.dataLayer || []).push(
        (function () {
          return arguments;
        })(...args)
      );
  }
  // The default, once the config (an object) is read. This is the rule that
  // acts, here because it must act before any module loads; the config reader
  // (`consent_mode` in src/model/config/read.rs) holds the same rule to report
  // a bad value, and tests/e2e/consent-mode.test.mjs checks that both agree:
  // `true` or an object (not an array) turns it on; `waitForUpdate` counts
  // only as a whole number of ms from 0 to 60000 (`>>> 0` keeps exactly those
  // of 0 to 2^32 - 1; strings and booleans are never `===` a number).
  function consentModeDefault(option) {
    if (option !== true && (typeof option !== "object" || !option || Array.isArray(option))) return;
    consentMode = true;
    var wait = option.waitForUpdate;
    gtag("default", null, wait >>> 0 === wait && wait <= 60000 ? { wait_for_update: wait } : null);
  }
  // Also for an undecided visitor in an opt-out region, from what is granted meanwhile.
  function consentModeUpdate() {
    if (consentMode && (record || assumed)) gtag("update", grants);
  }

  function emit(name, detail) {
    var list = EVENTS[name].slice();
    for (var i = 0; i < list.length; i++) {
      try {
        list[i](copy(detail));
      } catch (error) {
        // One broken listener must not stop the others.
        (window.reportError || console.error)(error);
      }
    }
  }

  // --- the banner module, on demand ---

  // Calls for the banner module: run now when it runs, else queued (and the
  // module asked for, once the core runs). Resolves once the call has run.
  function invoke(name, args) {
    if (failed) {
      console.error("Consent Gate: " + name + "() ignored: " + failed);
      return Promise.resolve();
    }
    if (ui) {
      ui[name].apply(null, args);
      return Promise.resolve();
    }
    return new Promise((done) => {
      queue.push([name, args, done]);
      if (core) loadUi();
    });
  }

  // The banner module's entry (its glue and its start), imported once.
  function uiModule() {
    return uiLoading || (uiLoading = import(urls.ui));
  }

  // Starts the banner module once the state is known, then runs what was queued.
  function loadUi() {
    return (
      uiStarting ||
      (uiStarting = uiModule()
        .then((entry) =>
          // `kind`: what changed (with `value`, the provisional grants of an
          // opt-out region); or an element a placeholder's "Load once" runs.
          entry.boot(
            urls.uiWasm,
            configText,
            (kind, value) => {
              if (kind?.nodeType) return activate(kind);
              heard = 1;
              assumed = value || "";
              // (Started before the core: it is fetched now, and `boot` reads
              // what was published meanwhile from the cookie.)
              loadCore();
              sync(kind);
            },
            script,
            // Whether the core has found a valid decision (the banner stays hidden).
            record != null
          )
        )
        .then(
          (exports) => {
            // (Gated embeds still waiting get their placeholders now.)
            if (!failed) (ui = exports), pump();
            replay();
          },
          (error) => {
            // Without the banner module nothing new can be decided; what the
            // core granted from a valid cookie still holds, unless the module
            // had already published state (and maybe written it): then nothing does.
            uiLoading = uiStarting = null;
            var reason = "consent-gate-ui could not be loaded from " + urls.ui + " (" + error?.message + ")";
            if (!record || heard) fail(reason);
            else console.error("Consent Gate: " + reason);
            replay();
          }
        ))
    );
  }

  function replay() {
    var calls = queue;
    queue = [];
    for (var i = 0; i < calls.length; i++) {
      try {
        if (ui) ui[calls[i][0]].apply(null, calls[i][1]);
      } catch (error) {
        console.error("Consent Gate: queued " + calls[i][0] + "() failed: " + error.message);
      }
      calls[i][2]();
    }
  }

  var api = {
    /** The package version; also marks the API as Consent Gate's own.
     * (scripts/build.sh defines it from Cargo.toml, the version's one source.) */
    version: CONSENT_GATE_VERSION,
    ready: ready,
    accepted: (category) => {
      if (typeof category !== "string") throw argError("category", "must be a string such as \"performance\"");
      return grants[category] === YES;
    },
    get: () => {
      return copy(record);
    },
    set: (choices) => {
      var text, keys;
      // The argument is read once, own properties only: what is checked is what
      // is stored. A Proxy or getter that throws is a bad argument like any other.
      try {
        keys = typeof choices === "object" && !Array.isArray(choices) && Object.keys(choices);
      } catch (error) {}
      if (!keys) throw argError("choices", "must be an object such as { performance: true }");
      var own = {};
      for (var i = 0; i < keys.length; i++) {
        var value = 0;
        try {
          value = choices[keys[i]];
        } catch (error) {}
        if (typeof value !== "boolean") throw argError("choices." + keys[i], "must be true or false");
        own[keys[i]] = value;
      }
      text = JSON.stringify(own);
      // The shape checks above are the only ones (src/model/decision.rs
      // relies on them); the banner module checks the names (categories,
      // aliases, services), which need the config.
      if (ui && !failed) {
        ui.set(text);
        return Promise.resolve();
      }
      return invoke("set", [text]);
    },
    hide: () => {
      // Nothing is shown before the banner module runs.
      if (ui) ui.hide();
      return Promise.resolve();
    },
    on: (event, callback) => {
      if (event !== "change" && event !== "consent") throw argError("event", "must be \"change\" or \"consent\"");
      if (typeof callback !== "function") throw argError("callback", "must be a function");
      EVENTS[event].push(callback);
      return () => {
        var list = EVENTS[event];
        var at = list.indexOf(callback);
        if (at >= 0) list.splice(at, 1);
      };
    }
  };
  // Decisions and UI calls for the banner module.
  ["acceptAll", "rejectAll", "showBanner", "showPreferences", "reset"].forEach((name) => {
    api[name] = () => {
      return invoke(name, []);
    };
  });
  window.ConsentGate = api;

  // "Cookie settings" links anywhere on the page, now or later.
  document.addEventListener("click", (event) => {
    // (The target may be the document itself, which has no closest().)
    var link = event.target.closest?.('[data-consent-gate="preferences"]');
    if (!link) return;
    event.preventDefault();
    api.showPreferences();
  });

  // Where the package lives: next to this script, or each file where a bundler
  // emitted it under a hashed name (told by locate.mjs). `new URL` cannot throw here.
  var base = new URL(script?.src || "consent-gate/consent-gate.js", document.baseURI);
  var urls = {
    core: window.__consentGateWasm || new URL("consent-gate.wasm", base).href,
    ui: window.__consentGateUi || new URL("consent-gate-ui.js", base).href,
    uiWasm: window.__consentGateUiWasm || new URL("consent-gate-ui.wasm", base).href
  };
  var configUrl = script?.getAttribute("data-config");

  // The config, first match wins: inline JSON block, data-config URL, global object.
  // `then(config)` runs once it is known.
  function readConfig(then) {
    var block = document.getElementById("consent-gate-config");
    if (!block && configUrl) {
      // (Relative to the document, with credentials for the same origin: fetch's defaults.)
      return fetch(configUrl)
        .then(ok)
        .then((response) => {
          return response.json();
        })
        .then(then, (error) => {
          fail("the config at data-config=\"" + configUrl + "\" could not be loaded (" + error.message + ")");
        });
    }
    // Not JSON, or a getter or Proxy that throws.
    try {
      var value = block ? parse(block.textContent) : window.ConsentGateConfig;
    } catch (error) {
      return fail("the config cannot be read (" + error.message + ")");
    }
    then(value);
  }

  // The configured `cookie.name` as the page gave it ("" when absent or not text).
  function nameIn(config) {
    var name = config.cookie?.name;
    return typeof name === "string" ? name : "";
  }

  // Keeps the config as JSON text for the banner module and, read back from
  // that text, as plain data for the loader (no getters, no prototypes).
  function useConfig(value) {
    if (config || failed) return;
    try {
      configText = JSON.stringify(value === undefined ? {} : value);
      config = parse(configText);
    } catch (error) {
      return fail("the config cannot be read (" + error.message + ")");
    }
    if (Object(config) !== config || Array.isArray(config)) return fail("the config must be a JSON object");
    consentModeDefault(config.googleConsentMode);
    // Automatic blocking, only for a config that asks for it: consent-gate-block.js
    // takes the config from a global. While the parser waits for this tag, it
    // comes as a parser-blocking tag right after it (in place before the page's
    // next tag); else (data-config, async, defer, Trusted Types) as soon as the
    // config is known. If it cannot load, nothing optional runs.
    if (config.autoBlock || config.blockHosts) {
      window.__consentGateBlock = config;
      var block = new URL("consent-gate-block.js", base).href;
      try {
        if (document.currentScript != script || script.async || script.defer) throw 0;
        document.write('<script src="' + block + '"></script>');
      } catch (error) {
        import(block)["catch"](fail);
      }
    }
  }

  // The Consent Mode default must precede every other tag, so push it now when
  // the config is already readable (inline block before this tag, or global object).
  if (!configUrl || document.getElementById("consent-gate-config")) readConfig(useConfig);

  if (typeof WebAssembly !== "object") fail("this browser has no WebAssembly");
  // Failed already (a config that cannot be read, no WebAssembly): no module
  // is downloaded, since none could grant anything.
  if (failed) return;

  // A fetch's response, or an error naming its HTTP status.
  function ok(response) {
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response;
  }

  function whenBody(then) {
    if (document.body) then();
    else document.addEventListener("DOMContentLoaded", then);
  }

  // Fetches and compiles the core, once; starts it once the config is known
  // and <body> exists.
  var loading;
  function loadCore() {
    loading ||= fetch(urls.core)
      .then(ok)
      .then((response) => {
        return response.arrayBuffer();
      })
      .then(WebAssembly.instantiate)
      .then(
        (module) => {
          whenBody(() => {
            readConfig((value) => {
              useConfig(value);
              if (!failed) boot(module.instance.exports);
            });
          });
        },
        (error) => {
          fail("consent-gate.wasm could not be loaded from " + urls.core + " (" + error?.message + ")");
        }
      );
  }
  // What the loader fetches, and the cookie read that chooses it, wait for
  // the task after this script: the parser (and the page's first paint) does
  // not wait for them. (Interleaved A/B on the bench page, 21 visits a side,
  // medians: first paint 92 -> 80 ms at normal speed, 228 -> 200 ms at 4x
  // CPU; the banner 98 -> 91 ms and 282 -> 292 ms.) Where the browser has
  // `cookieStore` (https, localhost) that read does not block the main thread
  // either: `begin` gets the value once the browser answers. (Interleaved A/B,
  // 61 visits a side at 4x CPU: first paint 236 -> 228 ms, the banner 318 ->
  // 312 ms; first paint 8-16 ms earlier in each of five runs.)
  var store = window.cookieStore;
  if (store && config)
    // (A promise, so that even a cookieStore that throws only means "read it
    // the usual way".)
    new Promise((read) => read(store.get(nameIn(config) || cookieName))).then(
      (cookie) => begin(cookie ? cookie.value : ""),
      () => begin()
    );
  else setTimeout(begin);
  // `value`: the cookie's value as cookieStore read it ("" for none), or
  // undefined: read it from document.cookie.
  function begin(value) {
    // (Failed meanwhile: nothing is fetched.)
    if (failed) return;
    // No consent cookie at all: the banner will be needed, so fetch its module
    // now, its entry and its .wasm side by side. (Interleaved A/B on the bench
    // page, 2 x 15 runs a side: the banner 8 ms later to 150 ms earlier, first
    // paint within noise; before the core moved after the banner it measured
    // no gain.)
    if (config && !(value ?? readCookie(nameIn(config) || cookieName))) {
      // Compiled off the main thread while the entry is fetched and evaluated.
      var early = fetch(urls.uiWasm)
        .then(ok)
        .then((response) => {
          return response.arrayBuffer();
        })
        .then(WebAssembly.compile);
      // (Handled where it is used; this only keeps a failure unused, when the
      // entry itself cannot load, from being reported twice.)
      early["catch"](String);
      uiModule()
        .then((entry) => {
          return entry.prepare(urls.uiWasm, early);
        })
        ["catch"](String);
      // Where cookies work, nothing is stored that the core could grant from:
      // the banner starts first (the core is not among the bytes before it
      // shows) and its first word fetches the core. Where they are refused,
      // the mirror may hold a decision only the core reads: the core first.
      if (navigator.cookieEnabled !== false) return whenBody(loadUi);
    }
    loadCore();
  }

  function boot(exports) {
    if (core || failed) return;
    core = exports;
    // The core takes each only when the banner module's config reader would.
    var revision = typeof config.revision === "number" ? config.revision : NaN;
    cookieName = take(core.cg_setup(Math.max(put(nameIn(config), 0, 256), 0), revision));
    // The banner module came first (and may have published a decision, or
    // another tab stored one): read as a change from elsewhere, so that a
    // decision found now is announced and the banner re-reads it.
    sync(heard ? undefined : 0);
    if (!core) return;
    // Gated elements inserted later (a tag manager, a framework) are gated too:
    // one pass per batch of insertions (a native query, cheaper than looking
    // through every inserted subtree first).
    new MutationObserver(pump).observe(document.documentElement, { childList: true, subtree: true });
    // Every tab agrees: another tab's decision, or a page restored from the
    // back/forward cache, re-reads the cookie.
    if (window.BroadcastChannel) {
      channel = new BroadcastChannel("consent-gate");
      channel.onmessage = () => {
        sync();
      };
      // A decision stored before the core ran (here or in another tab): told now.
      if (heard && record) channel.postMessage(1);
    }
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) sync();
    });
    var done = () => {
      if (!failed) settle[0](api);
    };
    // The banner module comes now only when it must be shown (or it came first).
    if (!record || heard || document.querySelector('[data-consent-gate="declaration"]')) loadUi().then(done);
    else {
      done();
      if (queue.length) loadUi();
    }
  }
})(window, document);
