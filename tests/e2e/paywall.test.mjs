// The metered paywall in a real browser (Debian's Chromium driven by
// playwright-core): an anonymous reader clicks from the front page through
// metered articles, sees the meter count down, then meets the wall after the
// lead-in; in English and in Japanese (Accept-Language), with the
// subscription wall and with the registration wall.
//
// tests/e2e/run serves two demo sites for these journeys, both with
// anonymous_free = 3, lead_in_paragraphs = 1 and locales en-GB and ja-JP:
//   E2E_PAYWALL_URL   registration_wall = false: "Get unlimited access"
//   E2E_REGISTER_URL  registration_wall = true: "Register to keep reading"
// Which articles are metered, and their text, come from demo/articles/*.md.
// The subscription wall shows the paywall's current offer from the database
// (the demo's dated intro offer, `masthead init --demo`), not the configured
// offer_headline. Both servers' time is the instant in their clock file
// (E2E_CLOCK_START, 2 December 2026, while that offer runs). The journeys
// check the wall's links but do not follow them: subscription.test.mjs does.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const SERVERS = {
  paywall: (process.env.E2E_PAYWALL_URL || '').replace(/\/$/, ''),
  register: (process.env.E2E_REGISTER_URL || '').replace(/\/$/, ''),
};
if (!SERVERS.paywall || !SERVERS.register) {
  throw new Error('E2E_PAYWALL_URL and E2E_REGISTER_URL are not set: run these tests with tests/e2e/run PATH_TO_MASTHEAD');
}
const ARTIFACTS = process.env.E2E_ARTIFACTS || path.join(here, 'artifacts');
const DEMO_ARTICLES = path.join(here, '..', '..', 'demo', 'articles');
const PUBLICATION = 'The Meridian Ledger';
const FREE_PER_MONTH = 3;   // [paywall] anonymous_free in tests/e2e/run
const REGISTERED_FREE = 10; // [paywall] registered_free (the default)
const LEAD_IN = 1;          // [paywall] lead_in_paragraphs
// The paywall's offer: the demo's "first-month" offer on Digital monthly
// (src/app/billing_cli.h), in the reader's language, and where it leads.
const OFFER_URL = '/offers#offer-first-month';
// The registration wall's link brings the reader back to the article.
const REGISTER_BACK = /^\/register\?next=%2F[a-z-]+%2F[a-z0-9-]+$/;
const OFFER = {
  en: 'Digital monthly: Your first month for £1, then £9/month · Offer ends 31 January 2027',
  ja: 'デジタル（月額）: 最初の1か月は£1/月、その後は£9/月 · オファーは2027年1月31日まで',
};
const TEST_TIMEOUT = 120_000;
const WAIT = 15_000;

const LAUNCH_OPTIONS = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-proxy-server',
  ],
};

// What a reader reads on screen, per language (locales/en.toml, ja.toml).
const TEXT = {
  en: {
    contextLocale: 'en-GB',
    lang: 'en',
    left: (n) => `You have ${n} free ${n === 1 ? 'article' : 'articles'} left this month`,
    last: 'This is your last free article this month',
    none: 'You have no free articles left this month',
    paywall: {
      title: 'Get unlimited access',
      body: `You have read your free articles for this month. Subscribe to keep reading ${PUBLICATION}.`,
      links: [['Subscribe', OFFER_URL], ['See all offers', '/offers']],
      offer: OFFER.en,
    },
    register: {
      title: 'Register to keep reading',
      body: `You have read your free articles for this month. Register for free to read ${REGISTERED_FREE - FREE_PER_MONTH} more articles this month (${REGISTERED_FREE} a month in all).`,
      links: [['Register for free', REGISTER_BACK], ['Already registered? Log in', '/login']],
    },
  },
  ja: {
    contextLocale: 'ja-JP',
    lang: 'ja',
    left: (n) => `今月の無料記事は残り${n}本です`,
    last: 'これが今月最後の無料記事です',
    none: '今月の無料記事は残っていません',
    paywall: {
      title: 'すべての記事を読み放題に',
      body: `今月の無料記事をすべて読みました。${PUBLICATION}を引き続きお読みいただくには購読してください。`,
      links: [['購読する', OFFER_URL], ['すべてのプランを見る', '/offers']],
      offer: OFFER.ja,
    },
    register: {
      title: '続きを読むには登録してください',
      body: `今月の無料記事をすべて読みました。無料登録すると今月あと${REGISTERED_FREE - FREE_PER_MONTH}本読めます（1か月に${REGISTERED_FREE}本まで）。`,
      links: [['無料で登録する', REGISTER_BACK], ['登録済みの方はログイン', '/login']],
    },
  },
};

// --- The demo articles' sources ---------------------------------------------

// Markdown without inline syntax: what the reader sees of a paragraph.
function plain(markdown) {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// The renderer makes quotes typographic; compare text without that.
function straightQuotes(s) {
  return s.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
}

// Six consecutive words of plain ASCII from a paragraph (no quotes or
// dashes a renderer might turn typographic), or null.
function phraseOf(paragraph) {
  const words = plain(paragraph).split(' ');
  for (let i = 0; i + 6 <= words.length; i++) {
    const run = words.slice(i, i + 6);
    if (run.every((w) => /^[A-Za-z0-9][A-Za-z0-9,.;:]*$/.test(w))) return run.join(' ');
  }
  return null;
}

async function loadDemoArticles() {
  const articles = [];
  for (const file of (await readdir(DEMO_ARTICLES)).filter((f) => f.endsWith('.md')).sort()) {
    const source = await readFile(path.join(DEMO_ARTICLES, file), 'utf8');
    const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source);
    assert.ok(m, `${file} has front matter`);
    const meta = {};
    for (const line of m[1].split('\n')) {
      const kv = /^([a-z_]+):\s*(.*)$/.exec(line);
      if (kv) meta[kv[1]] = kv[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
    }
    // Paragraphs: blocks that are not headings, lists, quotes, code or HTML.
    const paragraphs = m[2]
      .split(/\n\s*\n/)
      .map((b) => b.trim())
      .filter((b) => b && !/^(#|[-*+] |\d+\. |>|<|```|\|)/.test(b));
    articles.push({
      file,
      path: `/${meta.section}/${meta.slug}`,
      headline: meta.headline,
      free: meta.free === 'true',
      sponsored: Boolean(meta.sponsored_by),
      paragraphs,
    });
  }
  return articles;
}

// --- Browser plumbing (as in reader.test.mjs) -----------------------------

let browser;
let demo;
let problems = [];
let contexts = [];

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  demo = await loadDemoArticles();
  browser = await chromium.launch(LAUNCH_OPTIONS);
});

after(async () => {
  await browser?.close();
});

beforeEach(() => {
  problems = [];
  contexts = [];
});

afterEach(async () => {
  for (const context of contexts) await context.close();
});

// A page in a fresh context (no cookies: a new reader) whose console errors,
// uncaught exceptions, failed requests and 4xx/5xx answers go to `problems`.
async function openPage(contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
  contexts.push(context);
  context.setDefaultTimeout(WAIT);
  context.setDefaultNavigationTimeout(WAIT * 2);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const source = message.location()?.url || '';
    problems.push(`console error on ${page.url()}: ${message.text()}${source ? ` (${source})` : ''}`);
  });
  page.on('pageerror', (error) => {
    problems.push(`uncaught exception on ${page.url()}: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  return { page, context };
}

function assertNoProblems() {
  assert.deepEqual(problems, [], 'the browser reported errors');
}

// Clicks a link the way a reader does; returns the document's response.
async function follow(page, link) {
  const href = await link.getAttribute('href');
  assert.ok(href, 'the link has an href');
  const target = new URL(href, page.url()).href;
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === target && r.request().isNavigationRequest()),
    link.click(),
  ]);
  await page.waitForURL(target, { waitUntil: 'load' });
  assert.equal(response.status(), 200, `GET ${new URL(target).pathname}`);
  return response;
}

async function assertVisible(locator, what) {
  await locator.waitFor({ state: 'visible' }).catch(() => {});
  assert.equal(await locator.isVisible(), true, `${what} should be visible`);
}

async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

async function loadAllImages(page) {
  await page.evaluate(async () => {
    const images = [...document.images];
    for (const img of images) img.loading = 'eager';
    await Promise.all(
      images
        .filter((img) => !img.complete)
        .map((img) => new Promise((resolve) => {
          img.addEventListener('load', resolve);
          img.addEventListener('error', resolve);
        })),
    );
  });
}

// --- What a reader sees -----------------------------------------------------

// Back to the front page by the publication's name in the header.
async function home(page) {
  await follow(page, page.getByRole('banner').getByRole('link', { name: PUBLICATION, exact: true }));
  assert.equal(await page.title(), PUBLICATION, 'front page title');
}

// Opens `article` from the front page by its headline.
async function openFromFront(page, article) {
  const link = page.getByRole('main').getByRole('link', { name: article.headline, exact: true }).first();
  await assertVisible(link, `the front-page link "${article.headline}"`);
  const response = await follow(page, link);
  assert.equal(new URL(page.url()).pathname, article.path, 'the headline opened its article');
  assert.equal(await text(page.getByRole('heading', { level: 1 })), article.headline, 'the h1');
  return response;
}

// Paragraphs of the article body (list items aside).
function bodyParagraphs(page) {
  return page.locator('.article-body p:not(li p)');
}

async function assertMeter(page, expected) {
  const meter = page.getByRole('status');
  assert.equal(await meter.count(), 1, `one meter message ("${expected}")`);
  await assertVisible(meter, 'the meter message');
  assert.equal(await text(meter), expected, 'the meter message');
}

async function assertNoMeter(page, why) {
  assert.equal(await page.getByRole('status').count(), 0, `no meter message ${why}`);
}

async function assertFullText(page, article) {
  const expected = article.paragraphs.length;
  assert.equal(await bodyParagraphs(page).count(), expected,
    `the full body of ${article.file}: ${expected} paragraphs`);
  const third = phraseOf(article.paragraphs[2]);
  assert.ok(third, `a phrase from the 3rd paragraph of ${article.file}`);
  assert.ok((await text(page.locator('.article-body'))).includes(third),
    `the full body shows the 3rd paragraph ("${third}")`);
  await assertVisible(bodyParagraphs(page).last(), 'the last paragraph');
  assert.equal(await page.locator('.wall').count(), 0, 'no wall with the full text');
}

// Only the lead-in: no word of the rest is on the page, not even hidden.
async function assertLeadInOnly(page, article) {
  assert.equal(await bodyParagraphs(page).count(), LEAD_IN, `the body is the lead-in: ${LEAD_IN} paragraph`);
  assert.equal(straightQuotes(await text(bodyParagraphs(page).first())), straightQuotes(plain(article.paragraphs[0])),
    'the lead-in is the first paragraph');
  assert.equal(await page.locator('.paywalled-content').count(), 0, 'no paywalled-content element');
  const html = await page.content();
  const shown = await text(page.locator('body'));
  const third = phraseOf(article.paragraphs[2]);
  assert.ok(third, `a phrase from the 3rd paragraph of ${article.file}`);
  for (const [i, paragraph] of article.paragraphs.entries()) {
    if (i < LEAD_IN) continue;
    const phrase = phraseOf(paragraph);
    if (!phrase) continue;
    assert.ok(!shown.includes(phrase), `paragraph ${i + 1} ("${phrase}") is not on screen`);
    assert.ok(!html.includes(phrase), `paragraph ${i + 1} ("${phrase}") is not in the HTML`);
  }
}

async function assertWall(page, wall) {
  const region = page.getByRole('region', { name: wall.title, exact: true });
  await assertVisible(region, `the wall "${wall.title}"`);
  const heading = region.getByRole('heading', { level: 2, name: wall.title, exact: true });
  await assertVisible(heading, 'the wall heading');
  assert.equal(await text(region.locator('.wall-body')), wall.body, 'the wall text');
  if (wall.offer) assert.equal(await text(region.locator('.wall-offer')), wall.offer, 'the offer headline');
  else assert.equal(await region.locator('.wall-offer').count(), 0, 'no offer on the registration wall');
  for (const [name, href] of wall.links) {
    const link = region.getByRole('link', { name, exact: true });
    assert.equal(await link.count(), 1, `one link "${name}" in the wall`);
    await assertVisible(link, `the wall link "${name}"`);
    if (href instanceof RegExp) assert.match(await link.getAttribute('href'), href, `"${name}" leads to ${href}`);
    else assert.equal(await link.getAttribute('href'), href, `"${name}" leads to ${href}`);
  }
  // The wall comes after the lead-in, not above it.
  const [leadBottom, wallTop] = await Promise.all([
    bodyParagraphs(page).first().evaluate((e) => e.getBoundingClientRect().bottom + scrollY),
    region.evaluate((e) => e.getBoundingClientRect().top + scrollY),
  ]);
  assert.ok(wallTop >= leadBottom, 'the wall is below the lead-in');
  return region;
}

function assertPersonal(response, what) {
  const headers = response.headers();
  assert.equal(headers['cache-control'], 'private, no-cache', `${what}: Cache-Control`);
  assert.match(headers.vary || '', /\bCookie\b/, `${what}: Vary names Cookie`);
}

async function readerCookie(context) {
  return (await context.cookies()).find((c) => c.name === 'reader');
}

// --- The journey --------------------------------------------------------------

async function meterJourney({ language, wallKind, screenshot, meterScreenshot }) {
  const t = TEXT[language];
  const wall = t[wallKind];
  const base = SERVERS[wallKind];
  const { page, context } = await openPage({ locale: t.contextLocale });

  const response = await page.goto(`${base}/`, { waitUntil: 'load' });
  assert.equal(response?.status(), 200, 'GET /');
  assert.equal(await page.getAttribute('html', 'lang'), t.lang, 'the page language');
  assert.equal(await readerCookie(context), undefined, 'the front page sets no reader cookie');

  // The front page's stories, in its order, split by how the paywall treats them.
  const names = (await page.getByRole('main').getByRole('link').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
  const onFront = [...new Set(names)].map((n) => demo.find((a) => a.headline === n)).filter(Boolean);
  const metered = onFront.filter((a) => !a.free && !a.sponsored && a.paragraphs.length >= 3);
  const free = onFront.find((a) => a.free && !a.sponsored && a.paragraphs.length >= 3);
  assert.ok(metered.length >= FREE_PER_MONTH + 1, `the front page links ${FREE_PER_MONTH + 1} metered articles`);
  assert.ok(free, 'the front page links a free article');
  const [first, ...others] = metered;

  // 1st metered article: the meter, the full text, and a reader cookie.
  const firstResponse = await openFromFront(page, first);
  assertPersonal(firstResponse, first.path);
  await assertMeter(page, t.left(FREE_PER_MONTH - 1));
  await assertFullText(page, first);
  const cookie = await readerCookie(context);
  assert.ok(cookie, 'a metered article sets the reader cookie');
  assert.equal(cookie.httpOnly, true, 'the reader cookie is HttpOnly');
  assert.equal(cookie.sameSite, 'Lax', 'the reader cookie is SameSite=Lax');
  assert.equal(await page.evaluate(() => document.cookie.includes('reader=')), false, 'scripts cannot read it');

  // Reloading is not another view.
  await page.reload({ waitUntil: 'load' });
  await assertMeter(page, t.left(FREE_PER_MONTH - 1));

  // A free article shows no meter and costs nothing.
  await home(page);
  const freeResponse = await openFromFront(page, free);
  assert.equal(freeResponse.headers()['cache-control'], 'public, max-age=60', 'a free article is a public page');
  await assertNoMeter(page, 'on a free article');
  await assertFullText(page, free);

  // 2nd and 3rd metered articles: the meter counts down to the last one.
  await home(page);
  await openFromFront(page, others[0]);
  await assertMeter(page, t.left(FREE_PER_MONTH - 2));
  await assertFullText(page, others[0]);
  await home(page);
  await openFromFront(page, others[1]);
  await assertMeter(page, t.last);
  await assertFullText(page, others[1]);
  if (meterScreenshot) {
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(ARTIFACTS, meterScreenshot) });
  }

  // 4th metered article: the lead-in, then the wall.
  const walled = others[2];
  await home(page);
  const walledResponse = await openFromFront(page, walled);
  assertPersonal(walledResponse, walled.path);
  await assertNoMeter(page, 'above the wall');
  await assertLeadInOnly(page, walled);
  const region = await assertWall(page, wall);

  await page.mouse.move(0, 0);
  await loadAllImages(page);
  await region.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, screenshot), fullPage: true });

  // Its print view gives away no more than the page.
  const print = await page.goto(`${base}${walled.path}/print`, { waitUntil: 'load' });
  assert.equal(print?.status(), 200, 'the print view');
  await assertLeadInOnly(page, walled);

  // An article read earlier in the month can still be read in full.
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await openFromFront(page, first);
  await assertMeter(page, t.none);
  await assertFullText(page, first);

  assertNoProblems();
}

describe('metered paywall journeys', { timeout: TEST_TIMEOUT * 5 }, () => {
  test('English reader: meter counts down, then the subscription wall', { timeout: TEST_TIMEOUT }, () =>
    meterJourney({ language: 'en', wallKind: 'paywall', screenshot: 'paywall-en.png', meterScreenshot: 'meter-en.png' }));

  test('English reader: meter counts down, then the registration wall', { timeout: TEST_TIMEOUT }, () =>
    meterJourney({ language: 'en', wallKind: 'register', screenshot: 'register-en.png' }));

  test('Japanese reader (Accept-Language ja-JP): meter and registration wall in Japanese', { timeout: TEST_TIMEOUT }, () =>
    meterJourney({ language: 'ja', wallKind: 'register', screenshot: 'paywall-ja.png', meterScreenshot: 'meter-ja.png' }));

  test('Japanese reader (Accept-Language ja-JP): meter and subscription wall in Japanese', { timeout: TEST_TIMEOUT }, () =>
    meterJourney({ language: 'ja', wallKind: 'paywall', screenshot: 'subscribe-ja.png' }));
});
