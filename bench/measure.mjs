// One measured visit: a fresh browser context (a first visit: no cookies, no cache),
// optionally at a CPU slowdown, the bench page of one library, then:
//   - the library files the page requested (for the payload),
//   - time from navigation start to the banner being visible, first contentful paint,
//     total long-task time, cumulative layout shift, JS heap after a GC (and the
//     WebAssembly linear memory, which the JS heap does not include),
//   - from a click on "accept all" until the gated analytics stub has run,
//   - nanoseconds per "is analytics granted?" call (optional).
import { route } from "./server.mjs";

// Re-exported for bench/run.mjs: the one source is webdriver.json (scripts/chromium.mjs).
export { CHROMIUM, CHROMIUM_ARGS } from "../scripts/chromium.mjs";

const LOCALES = { en: "en-US", de: "de-DE" };
/** How long after the banner (and the load event) long tasks and shifts are still counted. */
const SETTLE_MS = 300;
/**
 * What the page logs (console.debug) once the banner is visible. The harness waits
 * for it and reads the figures through the DevTools protocol: Playwright's
 * waitForFunction and evaluate would first compile their helper scripts in the
 * page (waitForFunction's is large: a 20-30 ms task at normal speed, ×4 at 4×),
 * at the load event, in the middle of any library whose banner comes after it.
 */
const BANNER_SIGNAL = "__bench_banner_visible__";

/**
 * In-page instrumentation, installed before any script of the page runs. Observers
 * for paint, long tasks and layout shifts (buffered, so nothing before them is lost),
 * and a requestAnimationFrame poll that records performance.now() in the first frame
 * in which the banner is visible (checkVisibility with opacity and visibility, a
 * non-empty box, inside the viewport). A frame is the smallest unit a visitor can see.
 */
function instrumentation(bannerExpr) {
  return `(() => {
  const B = (window.__bench = { fcp: null, longTaskMs: 0, longTasks: 0, cls: 0, bannerAt: null, loadAt: null });
  const observe = (type, fn) => {
    try { new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true }); } catch {}
  };
  observe("paint", (e) => { if (e.name === "first-contentful-paint") B.fcp = e.startTime; });
  observe("longtask", (e) => { B.longTaskMs += e.duration; B.longTasks += 1; });
  observe("layout-shift", (e) => { if (!e.hadRecentInput) B.cls += e.value; });
  addEventListener("load", () => { B.loadAt = performance.now(); });
  ${bannerExpr ? `
  const find = () => { try { return ${bannerExpr}; } catch { return null; } };
  const visible = (el) => {
    if (!el || !el.isConnected || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  };
  const tick = () => {
    if (visible(find())) {
      B.bannerAt = performance.now();
      console.debug(${JSON.stringify(BANNER_SIGNAL)});
    } else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);` : ""}
})();`;
}

/**
 * Measures one visit. `peer` is an entry of peers.mjs (or the control page).
 * Options: cpu (throttling rate, 1 = none), lang ("en"/"de"), accept (click "accept
 * all" and time the stub), queryCalls (0 = skip), timeoutMs (for the banner).
 * Returns the figures, or `{ error }` with whatever was measured until then.
 */
export async function measureVisit(browser, server, peer, opts = {}) {
  const { cpu = 1, lang = "en", accept = true, queryCalls = 0, timeoutMs = 15000 } = opts;
  const context = await browser.newContext({
    locale: LOCALES[lang],
    viewport: { width: 1280, height: 800 },
    serviceWorkers: "block",
  });
  const out = { peer: peer.id, cpu, lang, requests: [] };
  try {
    await context.addInitScript({ content: instrumentation(peer.banner) });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (cpu !== 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpu });

    const origin = new URL(server.url).origin;
    page.on("response", (response) => {
      const url = new URL(response.url());
      if (url.origin === origin) out.requests.push({ path: url.pathname, status: response.status() });
    });
    const errors = [];
    page.on("pageerror", (err) => errors.push(String(err.message || err)));
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push("console: " + msg.text());
    });
    page.on("requestfailed", (request) => errors.push("request failed: " + request.url()));
    out.errors = errors;

    const shown =
      peer.banner &&
      page.waitForEvent("console", { predicate: (msg) => msg.text() === BANNER_SIGNAL, timeout: timeoutMs * 3 });
    shown?.catch(() => {}); // awaited below; a timeout is reported there
    await page.goto(`${server.url}/page/${peer.id}.html?lang=${lang}`, { waitUntil: "load", timeout: timeoutMs * 2 });
    if (shown) await shown;
    if (peer.acceptHasOwnListener) out.acceptReadyMs = await waitForClickListener(cdp, peer.accept, timeoutMs);
    // Let what the banner started settle (a long task or a shift just after still counts).
    await new Promise((ok) => setTimeout(ok, SETTLE_MS * cpu));
    const read = await cdp.send("Runtime.evaluate", {
      expression: "(({ bannerAt, fcp, longTaskMs, longTasks, cls, loadAt }) => ({ bannerMs: bannerAt, fcpMs: fcp, longTaskMs, longTasks, cls, loadMs: loadAt }))(window.__bench)",
      returnByValue: true,
    });
    Object.assign(out, read.result.value);

    await cdp.send("HeapProfiler.collectGarbage");
    const heap = await cdp.send("Runtime.getHeapUsage");
    out.heapBytes = heap.usedSize;
    out.backingStoreBytes = heap.backingStorageSize ?? null;
    out.wasmMemoryBytes = await wasmMemoryBytes(cdp);

    if (accept && peer.accept) {
      out.acceptToStubMs = await page.evaluate(
        ({ expr, limit }) =>
          new Promise((resolve, reject) => {
            const button = new Function(`return ${expr};`)();
            if (!button) return reject(new Error("no accept button"));
            const timer = setTimeout(() => resolve(null), limit);
            let t0 = 0;
            window.__onStub = () => {
              clearTimeout(timer);
              resolve(window.__stubRanAt - t0);
            };
            t0 = performance.now();
            button.click();
          }),
        { expr: peer.accept, limit: timeoutMs },
      );
      if (out.acceptToStubMs === null) throw new Error("the gated stub did not run after accept all");
    }

    if (queryCalls > 0 && peer.query) {
      const q = await page.evaluate(
        async ({ expr, n }) => {
          const query = new Function(`return (${expr});`)();
          // One loop in its own function, run for the warm-up and for the
          // measurement. A warm-up loop in the measuring function itself gets
          // compiled mid-loop (on-stack replacement) and then thrown away
          // where that function goes on to code that has never run (V8:
          // "insufficient type feedback"), so the measured loop started over
          // in the interpreter whenever that compile landed before the
          // warm-up ended: 2 or 8 ns for one library from visit to visit.
          const round = (calls) => {
            let granted = 0;
            const t0 = performance.now();
            for (let i = 0; i < calls; i++) if (query()) granted++;
            return [performance.now() - t0, granted];
          };
          for (let w = 0; w < 3; w++) round(20000); // warm up (JIT)
          // Let the optimizing compiler, which runs in the background, finish.
          await new Promise((ok) => setTimeout(ok, 50));
          // The median of five rounds: a round of a million calls lasts about
          // a millisecond, which one preemption or garbage collection can double.
          const rounds = [];
          let granted = n;
          for (let r = 0; r < 5; r++) {
            const [ms, g] = round(n);
            rounds.push(ms);
            granted = Math.min(granted, g);
          }
          rounds.sort((a, b) => a - b);
          return { nsPerCall: (rounds[2] * 1e6) / n, granted };
        },
        { expr: peer.query, n: queryCalls },
      );
      out.nsPerCall = q.nsPerCall;
      out.queryGranted = q.granted === queryCalls;
    }
  } catch (err) {
    out.error = String(err.message || err).split("\n")[0];
  } finally {
    await context.close().catch(() => {});
  }
  return out;
}

/**
 * Waits until the element of `expr` has a click listener of its own (polled through
 * the DevTools protocol, which the page cannot see); returns the page's
 * performance.now() at that moment.
 */
async function waitForClickListener(cdp, expr, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { result } = await cdp.send("Runtime.evaluate", { expression: expr, objectGroup: "bench" });
    if (result.objectId) {
      const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId });
      if (listeners.some((l) => l.type === "click")) {
        const now = await cdp.send("Runtime.evaluate", { expression: "performance.now()", returnByValue: true });
        await cdp.send("Runtime.releaseObjectGroup", { objectGroup: "bench" });
        return now.result.value;
      }
    }
    await cdp.send("Runtime.releaseObjectGroup", { objectGroup: "bench" });
    if (Date.now() > end) throw new Error("the accept button never got a click listener");
    await new Promise((ok) => setTimeout(ok, 10));
  }
}

/**
 * The bytes of every live WebAssembly.Memory (linear memory is not part of the JS
 * heap): found with Runtime.queryObjects, which the page cannot see.
 */
async function wasmMemoryBytes(cdp) {
  const group = "bench-memory";
  try {
    const proto = await cdp.send("Runtime.evaluate", { expression: "WebAssembly.Memory.prototype", objectGroup: group });
    const { objects } = await cdp.send("Runtime.queryObjects", { prototypeObjectId: proto.result.objectId, objectGroup: group });
    const sum = await cdp.send("Runtime.callFunctionOn", {
      objectId: objects.objectId,
      functionDeclaration: "function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }",
      returnByValue: true,
    });
    return sum.result.value;
  } finally {
    await cdp.send("Runtime.releaseObjectGroup", { objectGroup: group });
  }
}

/** The library files a visit requested (unique paths, served OK): what a site must send. */
export function libraryFiles(visit, peerPackages) {
  const files = new Map();
  for (const r of visit.requests) {
    const where = route(r.path, peerPackages);
    if (where && where.kind === "library" && r.status === 200) files.set(r.path, where.file);
  }
  return [...files].map(([path, file]) => ({ path, file }));
}
