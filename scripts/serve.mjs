#!/usr/bin/env node
// The demo and test web server: static files only, no dependencies (node:http).
//
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1]
//
//   /                 www/           the demo site
//   /consent-gate/    pkg/           the built package (`make build`)
//   POST /consent-log                records JSON bodies (proof of consent), answers 204
//   GET  /consent-log                the recorded bodies as a JSON array
//
// The tests import `startServer()` and add their own roots (e.g. /fixtures/).
//
// CSP: an .html file containing `__CSP_NONCE__` gets a fresh random nonce in
// place of every marker on each response. A line `<!-- csp: POLICY -->` in an
// .html file is sent as the `Content-Security-Policy` header (with the same
// nonce) and removed from the body, so the nonce only reaches the page through
// attributes, as on a real site.
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NONCE_MARKER = "__CSP_NONCE__";
const CSP_LINE = /^[ \t]*<!--\s*csp:\s*(.*?)\s*-->[ \t]*\r?\n?/m;
const LOG_LIMIT = 64 * 1024;

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

/** The MIME type the server sends for a file name. */
export function mimeType(file) {
  return MIME[extname(file).toLowerCase()] || "application/octet-stream";
}

/**
 * Starts the server. Resolves once it listens.
 *
 * @param {object} [options]
 * @param {number} [options.port=0]           0 picks a free port
 * @param {string} [options.host="127.0.0.1"]
 * @param {string} [options.root]             served at `/` (default: www/)
 * @param {string} [options.pkgDir]           served at `/consent-gate/` (default: pkg/)
 * @param {Record<string,string>} [options.extraRoots]  more mounts, e.g. `{ "/fixtures/": dir }`
 * @param {(req, res, url: URL) => boolean|void|Promise<boolean|void>} [options.onRequest]
 *        called first for every request; it may delay (return a Promise) or answer
 *        the request itself (return true, or end the response)
 * @param {(line: string) => void} [options.log]  one line per request (CLI only by default)
 * @returns {Promise<{ url: string, port: number, host: string, close(): Promise<void>,
 *           requests: Array<{method: string, path: string, url: string, status?: number}>,
 *           logs: unknown[] }>}
 */
export async function startServer({
  port = 0,
  host = "127.0.0.1",
  root = join(REPO, "www"),
  pkgDir = join(REPO, "pkg"),
  extraRoots = {},
  onRequest,
  log,
} = {}) {
  const mounts = [["/consent-gate/", pkgDir, "pkg"]];
  for (const [prefix, dir] of Object.entries(extraRoots)) {
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new Error(`extraRoots: a prefix must start and end with "/" (got ${JSON.stringify(prefix)})`);
    }
    mounts.push([prefix, dir, prefix]);
  }
  // Longest prefix first, the site root last.
  mounts.sort((a, b) => b[0].length - a[0].length);
  mounts.push(["/", root, "www"]);

  const requests = [];
  const logs = [];

  const server = createServer(async (req, res) => {
    const entry = { method: req.method, url: req.url, path: "", status: undefined };
    requests.push(entry);
    res.on("finish", () => {
      entry.status = res.statusCode;
      if (log) log(`${req.method} ${req.url} ${res.statusCode}`);
    });
    try {
      let url;
      try {
        url = new URL(req.url, "http://localhost");
      } catch {
        return send(res, 400, "bad request");
      }
      entry.path = url.pathname;
      if (onRequest && ((await onRequest(req, res, url)) === true || res.writableEnded)) return;
      if (url.pathname === "/consent-log") return consentLog(req, res, logs);
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.setHeader("Allow", "GET, HEAD");
        return send(res, 405, "method not allowed");
      }
      await serveStatic(req, res, url, mounts);
    } catch (error) {
      if (!res.headersSent) send(res, 500, `server error: ${error.message}`);
      else res.destroy();
    }
  });

  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      ok();
    });
  });
  const actual = server.address().port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actual}`,
    port: actual,
    host,
    requests,
    logs,
    server,
    close() {
      return new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
    },
  };
}

function send(res, status, text, headers = {}) {
  const body = Buffer.from(text + "\n");
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": body.length,
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

function consentLog(req, res, logs) {
  if (req.method === "GET" || req.method === "HEAD") {
    const body = Buffer.from(JSON.stringify(logs));
    res.writeHead(200, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": body.length,
      "Cache-Control": "no-store",
    });
    return res.end(req.method === "HEAD" ? undefined : body);
  }
  if (req.method === "DELETE") {
    logs.length = 0;
    res.writeHead(204, { "Cache-Control": "no-store" });
    return res.end();
  }
  if (req.method !== "POST") {
    res.setHeader("Allow", "GET, HEAD, POST, DELETE");
    return send(res, 405, "method not allowed");
  }
  return new Promise((done) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > LOG_LIMIT) {
        send(res, 413, "too large");
        req.destroy();
        return done();
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (res.writableEnded) return done();
      // sendBeacon posts text/plain, fetch usually application/json: read the body either way.
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        send(res, 400, "the body is not JSON");
        return done();
      }
      logs.push(body);
      res.writeHead(204, { "Cache-Control": "no-store" });
      res.end();
      done();
    });
    req.on("error", () => done());
  });
}

async function serveStatic(req, res, url, mounts) {
  let pathname;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return send(res, 400, "bad path encoding");
  }
  if (pathname.includes("\0") || pathname.includes("\\")) return send(res, 400, "bad path");
  // "/fixtures" means "/fixtures/": redirect so relative links keep working.
  for (const [prefix] of mounts) {
    if (prefix !== "/" && pathname === prefix.slice(0, -1)) {
      return send(res, 301, "moved", { Location: prefix + url.search });
    }
  }
  const [prefix, dir, name] = mounts.find(([p]) => pathname.startsWith(p));
  const base = resolve(dir);
  const rel = pathname.slice(prefix.length);
  if (rel.split("/").includes("..")) return send(res, 403, "forbidden");
  let file = resolve(base, "." + sep + rel);
  if (file !== base && !file.startsWith(base + sep)) return send(res, 403, "forbidden");

  if (name === "pkg" && !existsSync(base)) {
    return send(res, 404, "pkg/ is missing: run `make build` to build the Consent Gate package");
  }
  let info = await stat(file).catch(() => null);
  if (info && info.isDirectory()) {
    if (!pathname.endsWith("/")) return send(res, 301, "moved", { Location: url.pathname + "/" + url.search });
    file = join(file, "index.html");
    info = await stat(file).catch(() => null);
  }
  if (!info || !info.isFile()) return send(res, 404, `not found: ${pathname}`);

  const type = mimeType(file);
  const headers = {
    "Content-Type": type,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
  let body = await readFile(file);
  if (type.startsWith("text/html")) {
    let html = body.toString("utf8");
    const nonce = randomBytes(16).toString("base64");
    const csp = html.match(CSP_LINE);
    if (csp) {
      headers["Content-Security-Policy"] = csp[1].split(NONCE_MARKER).join(nonce);
      html = html.replace(CSP_LINE, "");
    }
    if (html.includes(NONCE_MARKER)) html = html.split(NONCE_MARKER).join(nonce);
    body = Buffer.from(html, "utf8");
  }
  headers["Content-Length"] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

function parseArgs(argv) {
  const options = { port: 8080, host: "127.0.0.1" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [key, inline] = arg.split("=", 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (key === "--port" || key === "-p") options.port = Number(value());
    else if (key === "--host") options.host = value();
    else if (key === "--help" || key === "-h") options.help = true;
    else throw new Error(`unknown argument: ${arg}`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error("--port needs a number between 0 and 65535");
  }
  if (!options.host) throw new Error("--host needs a value");
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`serve.mjs: ${error.message}\nusage: node scripts/serve.mjs [--port 8080] [--host 127.0.0.1]`);
    process.exit(2);
  }
  if (options.help) {
    console.log("usage: node scripts/serve.mjs [--port 8080] [--host 127.0.0.1]");
    return;
  }
  const pkgDir = join(REPO, "pkg");
  if (!existsSync(join(pkgDir, "consent-gate.js"))) {
    console.warn("pkg/ is not built yet: /consent-gate/ answers 404 until you run `make build`.");
  }
  let server;
  try {
    server = await startServer({
      port: options.port,
      host: options.host,
      pkgDir,
      log: process.env.QUIET ? undefined : (line) => console.log(`  ${line}`),
    });
  } catch (error) {
    const hint = error.code === "EADDRINUSE" ? ` (port ${options.port} is in use; try --port 8081)` : "";
    console.error(`serve.mjs: cannot listen on ${options.host}:${options.port}: ${error.message}${hint}`);
    process.exit(1);
  }
  console.log(`Consent Gate demo: ${server.url}/`);
  console.log("Press Ctrl-C to stop.");
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
