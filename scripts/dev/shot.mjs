// Dev aid: screenshots a demo page (and optionally its preferences dialog).
// Usage: node scripts/dev/shot.mjs /index.html out.png [dialog] [width] [height]
import { chromium } from "playwright-core";
import { startServer } from "../serve.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "../chromium.mjs";

const [path = "/index.html", out = "/tmp/shot.png", mode = "", w = "1280", h = "800"] = process.argv.slice(2);
const server = await startServer({ port: 0, root: new URL("../../www", import.meta.url).pathname, pkgDir: new URL("../../pkg", import.meta.url).pathname });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) } });
page.on("console", (m) => console.log("console." + m.type(), m.text()));
await page.goto(server.url + path);
await page.evaluate(() => ConsentGate.ready.catch(() => {}));
if (mode === "dialog") await page.evaluate(() => ConsentGate.showPreferences());
await page.waitForTimeout(300);
await page.screenshot({ path: out });
await browser.close();
await server.close();
