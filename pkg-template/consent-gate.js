/*! Consent Gate | MIT OR Apache-2.0 */
// The loader. It runs synchronously as the first script of the page: it defines
// `window.ConsentGate`, pushes the Consent Mode default, wires "Cookie settings"
// links, and starts the WebAssembly module without holding the page up.
// `make build` splices wasm-bindgen's glue in place of the GLUE marker below,
// so a site loads exactly two files: this one and consent-gate.wasm.
(function (window, document) {
  "use strict";

  // Loaded twice (two tags, or a tag plus a bundle): keep the first.
  if (window.ConsentGate && window.ConsentGate.version) return;

  var console = window.console;
  var script = document.currentScript;
  var CONFIG_ID = "consent-gate-config";
  var EVENTS = { change: [], consent: [] };

  // What `accepted()` reads: a plain object, so a query is one property read.
  // The module replaces it on every decision (keys: ids, aliases, service ids).
  var grants = { essential: true, necessary: true };
  var record = null; // the consent record, or null while undecided
  var module = null; // the wasm exports, once running
  var failed = null; // the reason, once the module could not start
  var queue = []; // decisions and UI calls made before `ready`
  var consentMode = false;
  var settle;
  var ready = new Promise(function (resolve, reject) {
    settle = [resolve, reject];
  });
  // A failure is reported once with console.error; awaiting code still sees the rejection.
  ready["catch"](function () {});

  function fail(reason) {
    if (failed || module) return;
    failed = reason;
    queue = [];
    console.error("Consent Gate: " + reason + ". Nothing optional is granted and no gated element will run.");
    settle[1](new Error(reason));
  }

  function argError(argument, message) {
    return new TypeError("ConsentGate: `" + argument + "` " + message);
  }

  // Calls made before the module runs are queued and replayed in order once it does.
  function invoke(name, args) {
    if (module) return module[name].apply(null, args);
    if (failed) {
      console.error("Consent Gate: " + name + "() ignored: " + failed);
      return;
    }
    queue.push([name, args]);
  }

  function copy(value) {
    return value === null ? null : JSON.parse(JSON.stringify(value));
  }

  // Values cross into the module as JSON text: the browser's JSON.stringify is
  // far smaller than any Rust deserializer of JS values.
  function json(value) {
    try {
      return JSON.stringify(value) || "null";
    } catch (error) {
      return "null"; // cyclic or BigInt: reported by the module as a bad argument
    }
  }

  // Consent Mode v2: pushes to dataLayer the way gtag.js expects (an `arguments`
  // object), or calls the site's own `gtag` when it defined one.
  function gtag() {
    if (typeof window.gtag === "function") window.gtag.apply(window, arguments);
    else (window.dataLayer = window.dataLayer || []).push(arguments);
  }
  function state(on) {
    return on ? "granted" : "denied";
  }
  function consentModeDefault(config) {
    var option = config && config.googleConsentMode;
    // Mirrors the core's validation: only `true` or a plain object turns it on.
    var enabled = option === true || (option !== null && typeof option === "object" && !Array.isArray(option));
    if (consentMode || !enabled) return;
    consentMode = true;
    var defaults = {
      ad_storage: "denied",
      ad_user_data: "denied",
      ad_personalization: "denied",
      analytics_storage: "denied",
      functionality_storage: "denied",
      personalization_storage: "denied",
      security_storage: "denied"
    };
    var wait = option.waitForUpdate;
    if (Number.isInteger(wait) && wait >= 0 && wait <= 60000) defaults.wait_for_update = wait;
    gtag("consent", "default", defaults);
  }
  function consentModeUpdate() {
    if (!consentMode || !record) return;
    var c = record.categories;
    gtag("consent", "update", {
      ad_storage: state(c.marketing),
      ad_user_data: state(c.marketing),
      ad_personalization: state(c.marketing),
      analytics_storage: state(c.performance),
      functionality_storage: state(c.functional),
      personalization_storage: state(c.functional),
      security_storage: "granted"
    });
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

  // Called by the module whenever the state is known or changes.
  // kind: 0 = state loaded (no event), 1 = first decision, 2 = a later decision.
  function publish(nextRecord, nextGrants, kind) {
    record = nextRecord;
    grants = nextGrants;
    consentModeUpdate();
    if (!kind) return;
    if (kind === 1) emit("consent", record);
    emit("change", record);
    window.dispatchEvent(new CustomEvent("consentgate:change", { detail: copy(record) }));
  }

  var api = {
    /** The package version; also marks the API as Consent Gate's own. */
    version: "0.1.0",
    ready: ready,
    accepted: function (category) {
      if (typeof category !== "string") throw argError("category", "must be a string such as \"performance\"");
      return grants[category] === true;
    },
    get: function () {
      return copy(record);
    },
    acceptAll: function () {
      invoke("acceptAll", []);
    },
    rejectAll: function () {
      invoke("rejectAll", []);
    },
    set: function (choices) {
      if (module) return module.set(json(choices));
      // Before the module runs, check the shape now so the caller still gets its
      // TypeError; names are checked when the queued call is replayed.
      if (!choices || typeof choices !== "object" || Array.isArray(choices))
        throw argError("choices", "must be an object such as { performance: true }");
      for (var key in choices) {
        if (Object.prototype.hasOwnProperty.call(choices, key) && typeof choices[key] !== "boolean")
          throw argError("choices." + key, "must be true or false");
      }
      invoke("set", [json(choices)]);
    },
    showBanner: function () {
      invoke("showBanner", []);
    },
    showPreferences: function () {
      invoke("showPreferences", []);
    },
    hide: function () {
      invoke("hide", []);
    },
    reset: function () {
      invoke("reset", []);
    },
    on: function (event, callback) {
      if (!Object.prototype.hasOwnProperty.call(EVENTS, event))
        throw argError("event", "must be \"change\" or \"consent\"");
      if (typeof callback !== "function") throw argError("callback", "must be a function");
      EVENTS[event].push(callback);
      return function () {
        var list = EVENTS[event];
        var at = list.indexOf(callback);
        if (at >= 0) list.splice(at, 1);
      };
    }
  };
  window.ConsentGate = api;

  // "Cookie settings" links anywhere on the page, now or later.
  document.addEventListener("click", function (event) {
    var target = event.target;
    var link = target && target.closest && target.closest('[data-consent-gate="preferences"]');
    if (!link) return;
    event.preventDefault();
    api.showPreferences();
  });

  // Where the package lives: next to this script (or told by the bundler entry).
  var wasmUrl = window.__consentGateWasm;
  var base;
  try {
    base = new URL(wasmUrl || (script && script.src) || "consent-gate/consent-gate.js", document.baseURI);
    wasmUrl = wasmUrl || new URL("consent-gate.wasm", base).href;
  } catch (error) {
    fail("cannot work out where consent-gate.wasm is (" + error + ")");
    return;
  }
  var globalConfig = window.ConsentGateConfig;
  var configUrl = script && script.getAttribute("data-config");

  // The config, first match wins: inline JSON block, data-config URL, global object.
  // `then(config)` runs once it is known; `sync` says whether it could be read now.
  function readConfig(then) {
    var block = document.getElementById(CONFIG_ID);
    if (block) {
      try {
        return then(JSON.parse(block.textContent));
      } catch (error) {
        return fail("the config in #" + CONFIG_ID + " is not valid JSON (" + error.message + ")");
      }
    }
    if (configUrl) {
      return fetch(new URL(configUrl, document.baseURI).href, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(then, function (error) {
          fail("the config at data-config=\"" + configUrl + "\" could not be loaded (" + error.message + ")");
        });
    }
    then(globalConfig === undefined ? {} : globalConfig);
  }

  // The Consent Mode default must precede every other tag, so push it now when
  // the config is already readable (inline block before this tag, or global object).
  if (!configUrl || document.getElementById(CONFIG_ID)) readConfig(consentModeDefault);

  if (typeof WebAssembly !== "object") {
    fail("this browser has no WebAssembly");
    return;
  }

  /*@@GLUE@@*/

  function whenBody(then) {
    if (document.body) then();
    else document.addEventListener("DOMContentLoaded", then);
  }

  // Fetch and compile now; start once the config is known and <body> exists.
  var loading = wasm_bindgen({ module_or_path: wasmUrl });
  loading.then(function () {
    // A task boundary between instantiating the module and starting it: two short
    // tasks instead of one long one, so input is not held up on slow devices.
    setTimeout(whenBody, 0, function () {
      readConfig(function (config) {
        if (failed) return;
        consentModeDefault(config);
        // English is built in; another language is one small file next to the .wasm.
        var text;
        try {
          text = JSON.stringify(config === undefined ? {} : config);
        } catch (error) {
          return fail("the config cannot be read as JSON (" + error.message + ")");
        }
        var language = wasm_bindgen.languageFile(text);
        if (!language) return boot(text, null);
        fetch(new URL("lang/" + language + ".json", wasmUrl).href)
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.text();
          })
          .then(
            function (texts) {
              boot(text, texts);
            },
            function (error) {
              console.error("Consent Gate: lang/" + language + ".json could not be loaded (" + error.message + "); showing English.");
              boot(text, null);
            }
          );
      });
    });
  }, function (error) {
    fail("consent-gate.wasm could not be loaded from " + wasmUrl + " (" + (error && error.message) + ")");
  });

  function boot(config, texts) {
    if (failed || module) return;
    try {
      wasm_bindgen.start(config, publish, texts);
    } catch (error) {
      return fail(error && error.message ? error.message : String(error));
    }
    module = wasm_bindgen;
    var calls = queue;
    queue = [];
    for (var i = 0; i < calls.length; i++) {
      try {
        module[calls[i][0]].apply(null, calls[i][1]);
      } catch (error) {
        console.error("Consent Gate: queued " + calls[i][0] + "() failed: " + error.message);
      }
    }
    settle[0](api);
  }
})(window, document);
