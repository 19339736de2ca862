// The Chromium that the tests, the benchmark and the screenshots launch, and
// its flags. The flags have one source, webdriver.json (the WebDriver form,
// for a wasm-bindgen-test-runner or chromedriver session run by hand);
// everything launched through Playwright reads them from there, minus
// --headless, which Playwright sets itself.
import { readFileSync } from "node:fs";

/** The browser: Debian's, or $CHROMIUM. */
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** No sandbox (we may run as root), no GPU, no background networking or updates. */
export const CHROMIUM_ARGS = JSON.parse(readFileSync(new URL("../webdriver.json", import.meta.url), "utf8"))[
  "goog:chromeOptions"
].args.filter((flag) => flag !== "--headless");
