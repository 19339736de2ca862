#!/usr/bin/env node
// `make demo`: the demo site with the consent-log receiver beside it.
//
//   node scripts/demo.mjs [--port 8080] [--log-port 8787] [--bin target/release/consent-gate] [--database sqlite:FILE]
//
// Starts `target/release/consent-gate log-server` (built by `make cli`) on
// 127.0.0.1:8787 with a SQLite file in target/, and the demo web server
// (scripts/serve.mjs) on --port, which forwards to the receiver:
//
//   POST /consent-log    the banner's decisions (same origin, so no CORS)
//   GET  /proof/<id>     every stored version of that consent id; the read
//                        token stays on the server, never in the page
//
// The privacy page shows the visitor's stored proof from /proof/<id>. Without
// the binary, the site still runs and the dev server records decisions itself.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./serve.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TOKEN = randomBytes(16).toString("hex");

/** The value after `--name` on the command line, else `fallback`. */
function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}
const port = Number(option("--port", 8080));
const LOG = { host: "127.0.0.1", port: Number(option("--log-port", 8787)) };
const BIN = resolve(option("--bin", join(REPO, "target", "release", "consent-gate")));
const DATABASE = option("--database", `sqlite:${join(REPO, "target", "demo-consent-log.db")}`);

/** Forwards `req` to the receiver at `path`, with `headers`; pipes the answer back. */
function forward(req, res, path, headers = {}) {
  return new Promise((done) => {
    const upstream = request(
      { ...LOG, method: req.method, path, headers: { "content-type": req.headers["content-type"] || "text/plain", ...headers } },
      (answer) => {
        res.writeHead(answer.statusCode, { "content-type": answer.headers["content-type"] || "text/plain", "cache-control": "no-store" });
        answer.pipe(res);
        answer.on("end", done);
      }
    );
    upstream.on("error", (error) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`the consent-log receiver is not answering (${error.message})\n`);
      done();
    });
    req.pipe(upstream);
  });
}

let receiver = null;
if (existsSync(BIN)) {
  receiver = spawn(
    BIN,
    ["log-server", "--listen", `${LOG.host}:${LOG.port}`, "--database", DATABASE],
    { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, CONSENT_GATE_LOG_TOKEN: TOKEN } }
  );
  receiver.on("exit", (code) => {
    if (code) console.error(`consent-log receiver exited with ${code}`);
    receiver = null;
  });
} else {
  console.warn("target/release/consent-gate is not built (make cli): decisions are kept by the dev server only.");
}

const server = await startServer({
  port,
  log: (line) => console.log(line),
  onRequest(req, res, url) {
    if (!receiver) return false;
    if (url.pathname === "/consent-log" && req.method === "POST") return forward(req, res, "/consent-log").then(() => true);
    const proof = url.pathname.match(/^\/proof\/([0-9a-f]{32})$/);
    if (proof && req.method === "GET") {
      return forward(req, res, `/consents/${proof[1]}`, { authorization: `Bearer ${TOKEN}` }).then(() => true);
    }
    return false;
  },
});
console.log(`Consent Gate demo: ${server.url}/  (consent log: ${receiver ? `http://${LOG.host}:${LOG.port}` : "dev server only"}; Ctrl-C stops)`);

function stop() {
  if (receiver) receiver.kill("SIGTERM");
  server.close().then(() => process.exit(0));
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
