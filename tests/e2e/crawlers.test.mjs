// Contract section 1, Crawlers: with `hideFromBots` (default true) a visitor
// whose user agent identifies as a crawler (README, "Crawlers", gives the
// pattern) sees no banner, nothing optional is granted, the API answers as
// undecided and `ready` resolves. Headless Chromium as the tests run it, and
// real browsers, are not crawlers. `hideFromBots: false` turns this off.
import {
  assert,
  assertNoErrors,
  banner,
  bannerShown,
  getRecord,
  it,
  newPage,
  ran,
  readyOutcome,
  sleep,
  useBrowser,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();

const CRAWLERS = {
  Googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "Googlebot smartphone":
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  Bingbot: "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
  DuckDuckBot: "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
  Baiduspider: "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
  YandexBot: "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
  Applebot:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
  facebookexternalhit: "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  Twitterbot: "Twitterbot/1.0",
  LinkedInBot: "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
  Slackbot: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  Discordbot: "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
  WhatsApp: "WhatsApp/2.23.20.0 A",
  TelegramBot: "TelegramBot (like TwitterBot)",
  Pinterest: "Pinterest/0.2 (+https://www.pinterest.com/bot.html)",
  Embedly: "Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)",
};

const FIXTURE = "/fixtures/integrations.html";
const withConfig = (config) => FIXTURE + "?config=" + encodeURIComponent(JSON.stringify(config));

/** A page in a fresh context whose user agent is `userAgent`. */
async function openAs(userAgent, path = FIXTURE) {
  const context = await env.browser.newContext({ baseURL: env.server.url, userAgent });
  context.setDefaultTimeout(10_000);
  const page = await newPage(context);
  await page.goto(env.url(path), { waitUntil: "load" });
  return { context, page };
}

async function assertUndecidedAndHidden(page, what) {
  assert.equal(await readyOutcome(page), "resolved", `${what}: ready resolves`);
  await sleep(QUIET_MS);
  assert.equal(await banner(page).count(), 0, `${what}: no banner at all`);
  const answers = await page.evaluate(() => ({
    essential: window.ConsentGate.accepted("essential"),
    performance: window.ConsentGate.accepted("performance"),
    functional: window.ConsentGate.accepted("functional"),
    marketing: window.ConsentGate.accepted("marketing"),
    service: window.ConsentGate.accepted("google-analytics"),
  }));
  assert.deepEqual(
    answers,
    { essential: true, performance: false, functional: false, marketing: false, service: false },
    what
  );
  assert.equal(await getRecord(page), null, `${what}: get() is null`);
  assert.deepEqual(await ran(page), ["essential"], `${what}: only the essential gated script ran`);
  assertNoErrors(page, what);
}

it("search engines and link previewers get no banner and nothing optional", async () => {
  for (const [name, userAgent] of Object.entries(CRAWLERS)) {
    const { context, page } = await openAs(userAgent);
    assert.equal(await page.evaluate(() => navigator.userAgent), userAgent);
    await assertUndecidedAndHidden(page, name);
    assert.equal((await context.cookies()).length, 0, `${name}: nothing stored`);
    await context.close();
  }
});

it("a crawler in an opt-out region is still granted nothing optional", async () => {
  env.onRequest = (req, res, url) => {
    if (url.pathname !== "/crawler-region") return;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head>
<script src="/fixtures/integrations-config.js"></script>
<script src="/consent-gate/consent-gate.js" data-region="US-CA"></script>
<link rel="icon" href="/favicon.svg">
<script type="text/plain" data-category="essential" src="/fixtures/probe.js?name=essential"></script>
<script type="text/plain" data-category="performance" src="/fixtures/probe.js?name=analytics"></script>
</head><body><h1>Crawler in an opt-out region</h1></body></html>`);
    return true;
  };
  const config = encodeURIComponent(JSON.stringify({ regions: { US: "opt-out" } }));
  const { context, page } = await openAs(CRAWLERS.Googlebot, "/crawler-region?config=" + config);
  await assertUndecidedAndHidden(page, "Googlebot in US-CA");
  await context.close();
  // The same page for a browser: opt-out, so performance counts as granted.
  const browser = await env.open("/crawler-region?config=" + config);
  await waitReady(browser);
  assert.equal(await browser.evaluate(() => window.ConsentGate.accepted("performance")), true);
});

it("calls from the page do not show a banner to a crawler", async () => {
  const { context, page } = await openAs(CRAWLERS.Bingbot);
  await waitReady(page);
  await page.evaluate(() => Promise.all([window.ConsentGate.showBanner(), window.ConsentGate.showPreferences()]));
  await sleep(QUIET_MS);
  assert.equal(await page.locator("#consent-gate").count(), 0);
  assertNoErrors(page);
  await context.close();
});

it("HeadlessChrome (the tests' own browser) is not a crawler", async () => {
  const page = await env.open(FIXTURE);
  assert.match(await page.evaluate(() => navigator.userAgent), /HeadlessChrome/);
  await bannerShown(page);
  assertNoErrors(page);
});

it("real browsers are not crawlers", async () => {
  for (const userAgent of [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]",
    "Mozilla/5.0 (Linux; Android 13; CUBOT KingKong 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
  ]) {
    const { context, page } = await openAs(userAgent);
    await bannerShown(page);
    assertNoErrors(page, userAgent);
    await context.close();
  }
});

it("hideFromBots: false shows crawlers the banner like anyone else", async () => {
  const { context, page } = await openAs(CRAWLERS.Googlebot, withConfig({ hideFromBots: false }));
  await bannerShown(page);
  assert.equal(await page.evaluate(() => window.ConsentGate.accepted("performance")), false);
  assertNoErrors(page);
  await context.close();
});
