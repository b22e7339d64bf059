// Subscriptions in a real browser (Debian's Chromium driven by
// playwright-core): a reader goes from the paywall to a paid subscription
// with the built-in test gateway and back to "full access expired"; a trial
// runs out; a declined card subscribes nobody.
//
// tests/e2e/run serves one demo site per journey (E2E_OFFER_URL,
// E2E_TRIAL_URL, E2E_DECLINE_URL, E2E_MONEY_URL), each configured alike
// (but "money", which has the registration wall and 4 free articles a month
// once registered): accounts over plain
// HTTP (secure_cookies = false), the test gateway, the subscription wall
// (registration_wall = false), 2 free articles a month for anonymous readers
// and none for registered ones, a lead-in of 1 paragraph, en-GB. A server's
// time is the instant in its clock file (E2E_*_CLOCK, `serve --clock-file`,
// read on every use): it starts at E2E_CLOCK_START (2 December 2026,
// 10:00 UTC, while the demo's dated intro offer runs), and the journeys
// rewrite it to step past the end of a paid period or a trial.
//
// The demo's plans and offers (`masthead init --demo`, src/app/billing_cli.h):
//   Digital monthly  £9/month   web, apps
//   Digital annual   £90/year   web, apps, print
//   first-month      £1 for the first month of Digital monthly, until the end
//                    of 31 January 2027, new subscribers only, the paywall's offer
//   annual-trial     14 days free on Digital annual, new subscribers only
// Which articles are metered, and their text, come from demo/articles/*.md.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
function server(name) {
  const url = (process.env[`E2E_${name}_URL`] || '').replace(/\/$/, '');
  const clock = process.env[`E2E_${name}_CLOCK`] || '';
  if (!url || !clock) {
    throw new Error(`E2E_${name}_URL and E2E_${name}_CLOCK are not set: run these tests with tests/e2e/run PATH_TO_MASTHEAD`);
  }
  return { url, clock };
}
const SERVERS = {
  offer: server('OFFER'), trial: server('TRIAL'), decline: server('DECLINE'), money: server('MONEY'),
};
const MONEY_REGISTERED_FREE = 4;  // the "money" server's [paywall] registered_free
const CLOCK_START = new Date(process.env.E2E_CLOCK_START || '2026-12-02T10:00:00Z');
const ARTIFACTS = process.env.E2E_ARTIFACTS || path.join(here, 'artifacts');
const DEMO_ARTICLES = path.join(here, '..', '..', 'demo', 'articles');
const PUBLICATION = 'The Meridian Ledger';   // [site] name in tests/e2e/run
const ANONYMOUS_FREE = 2;                     // [paywall] anonymous_free
const LEAD_IN = 1;                            // [paywall] lead_in_paragraphs
const TEST_TIMEOUT = 180_000;
const WAIT = 15_000;
const DAY = 24 * 60 * 60 * 1000;

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

// The demo catalogue as readers see it (en-GB: locales/en.toml, dates
// "31 January", "2 January 2027").
const MONTHLY = {
  name: 'Digital monthly',
  price: '£9/month',
  includes: 'Includes the website and the apps',
};
const ANNUAL = {
  name: 'Digital annual',
  price: '£90/year',
  includes: 'Includes the website, the apps and the printed edition',
};
const INTRO_OFFER = {
  code: 'first-month',
  terms: 'Your first month for £1, then £9/month',
  ends: 'Offer ends 31 January 2027',
  eligibility: 'New subscribers only',
  button: 'Start for £1',
};
const TRIAL_OFFER = {
  code: 'annual-trial',
  terms: '14 days free, then £90/year',
  eligibility: 'New subscribers only',
  button: 'Start your 14-day free trial',
};
const TEST_CARD_OK = '4242 4242 4242 4242';
const TEST_CARD_DECLINED = '4000 0000 0000 0002';

// What a reader reads on screen (locales/en.toml).
const TEXT = {
  left: (n) => `You have ${n} free ${n === 1 ? 'article' : 'articles'} left this month`,
  last: 'This is your last free article this month',
  // datedOffer: the wall offers the dated intro offer. Only pinned for new
  // readers: it is for new subscribers only, which a reader whose trial or
  // subscription has ended is not, so the expired walls should not offer it.
  paywall: {
    title: 'Get unlimited access',
    body: `You have read your free articles for this month. Subscribe to keep reading ${PUBLICATION}.`,
    datedOffer: true,
  },
  expired: {
    title: `Your full access to ${PUBLICATION} has expired`,
    body: 'Renew your subscription to keep reading.',
  },
  trialExpired: {
    title: 'Your trial period has expired',
    body: `Subscribe to keep reading ${PUBLICATION}.`,
  },
  wallLinks: { offer: 'Subscribe', all: 'See all offers' },
  offersHeading: `Subscribe to ${PUBLICATION}`,
  featured: 'Featured offer',
  trialUsed: 'You have already had a trial.',
  notEligible: 'This offer is for new subscribers only.',
  subscribe: 'Subscribe for £9/month',
  register: { heading: 'Register', email: 'E-mail address', password: 'Password', submit: 'Register' },
  login: { heading: 'Log in', submit: 'Log in', toRegister: 'New here? Register for free' },
  checkout: {
    title: `Test checkout — ${PUBLICATION}`,
    banner: `Test checkout — no real payment is taken. This page stands in for a payment provider while ${PUBLICATION} runs with its built-in test gateway. Never enter a real card number here.`,
    heading: (plan) => `Pay for ${plan}`,
    card: 'Card number',
    pay: 'Pay £1 and subscribe',
    cardsHeading: 'Test card numbers',
    cards: [`${TEST_CARD_OK} succeeds`, `${TEST_CARD_DECLINED} is declined`],
    declined: 'Your card was declined. No payment was taken. Try another card.',
  },
  account: {
    title: `Your account — ${PUBLICATION}`,
    heading: 'Your account',
    section: 'Your subscription',
    none: 'You have no subscription.',
    active: (date) => `Active — renews on ${date}`,
    cancelling: (date) => `Cancelled — access until ${date}`,
    trialing: (date) => `Trial — ends on ${date}`,
    trialExpired: 'Your trial period has expired',
    expired: `Your full access to ${PUBLICATION} has expired`,
    plan: (plan) => `${plan.name}, ${plan.price}`,
    cancel: 'Cancel subscription',
    cancelTitle: 'Cancel your subscription?',
    cancelConfirm: 'Yes, cancel my subscription',
    cancelled: 'Your subscription is cancelled. You keep full access until the end of the period you paid for; a confirmation is on its way by e-mail.',
    resume: 'Resume subscription',
    offers: 'See our offers',
  },
};

// --- Dates as the site writes them (en-GB, Europe/London) -------------------

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

// "2 January 2027" for a UTC calendar day (London is on UTC in winter).
function longDate(date) {
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

// The same calendar day one month or `days` days later (UTC).
function plusMonths(date, months) {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}
function plusDays(date, days) {
  return new Date(date.getTime() + days * DAY);
}

// --- The server's clock ------------------------------------------------------

// Sets a server's time: the clock file is replaced whole (never half
// written). The server reads it on every use of its clock, so the next
// request sees the new instant: nothing to wait for.
async function setClock(srv, instant) {
  const temp = `${srv.clock}.${process.pid}.tmp`;
  await writeFile(temp, `${instant.toISOString().replace(/\.\d{3}Z$/, 'Z')}\n`);
  await rename(temp, srv.clock);
}

// --- The demo articles' sources (as in paywall.test.mjs) -------------------

function plain(markdown) {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function straightQuotes(s) {
  return s.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
}

// Six consecutive words of plain ASCII from a paragraph, or null.
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

// --- Browser plumbing ----------------------------------------------------------

let browser;
let demo;
let problems = [];
let contexts = [];
// Answers >= 400 a journey asks for on purpose (a declined card is 402):
// { method, pathname, status }, each allowed once.
let expectedErrors = [];

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
  expectedErrors = [];
});

afterEach(async () => {
  for (const context of contexts) await context.close();
});

// A page in a fresh context (a new reader: no cookies) whose console errors,
// uncaught exceptions, failed requests and 4xx/5xx answers go to `problems`.
async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  contexts.push(context);
  context.setDefaultTimeout(WAIT);
  context.setDefaultNavigationTimeout(WAIT * 2);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const source = message.location()?.url || '';
    if (expectedConsoleError(source, message.text())) return;
    problems.push(`console error on ${page.url()}: ${message.text()}${source ? ` (${source})` : ''}`);
  });
  page.on('pageerror', (error) => {
    problems.push(`uncaught exception on ${page.url()}: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const { pathname } = new URL(response.url());
    const i = expectedErrors.findIndex((e) => !e.seen && e.method === response.request().method()
      && e.pathname === pathname && e.status === response.status());
    if (i >= 0) {
      expectedErrors[i].seen = true;
      return;
    }
    problems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
  });
  return { page, context };
}

// Chromium logs "Failed to load resource: ... status of 402" for a document
// answered with an error status; that is expected for an expected answer.
function expectedConsoleError(source, message) {
  if (!source) return false;
  let pathname;
  try {
    pathname = new URL(source).pathname;
  } catch {
    return false;
  }
  return expectedErrors.some((e) => e.pathname === pathname && message.includes(`status of ${e.status}`));
}

function assertNoProblems() {
  assert.deepEqual(problems, [], 'the browser reported errors');
  for (const e of expectedErrors) assert.ok(e.seen, `the expected HTTP ${e.status} for ${e.method} ${e.pathname}`);
}

function pathOf(page) {
  return new URL(page.url()).pathname;
}

async function assertVisible(locator, what) {
  await locator.waitFor({ state: 'visible' }).catch(() => {});
  assert.equal(await locator.isVisible(), true, `${what} should be visible`);
}

async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

// Clicks a link or a form's button the way a reader does and waits for the
// page it leads to (after any redirects); returns that document's response,
// whose status must be `status`.
async function go(page, target, { status = 200 } = {}) {
  const name = (await target.innerText().catch(() => '?')).replace(/\s+/g, ' ').trim();
  await assertVisible(target, `"${name}"`);
  const frame = page.mainFrame();
  const answered = page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().frame() === frame
    && (r.status() < 300 || r.status() >= 400));
  const committed = page.waitForEvent('framenavigated', { predicate: (f) => f === frame });
  await target.click();
  const [response] = await Promise.all([answered, committed]);
  await page.waitForLoadState('load');
  let origin = response.request();
  while (origin.redirectedFrom()) origin = origin.redirectedFrom();
  assert.equal(response.status(), status,
    `"${name}": ${origin.method()} ${new URL(origin.url()).pathname} ended in ${new URL(response.url()).pathname}`);
  return response;
}

// A link: it has an href, and leads to a page.
async function follow(page, link, options) {
  assert.ok(await link.getAttribute('href'), 'the link has an href');
  return go(page, link, options);
}

// A form's submit button.
const submit = go;

// --- What a reader sees ----------------------------------------------------------

async function home(page) {
  await follow(page, page.getByRole('banner').getByRole('link', { name: PUBLICATION, exact: true }));
  assert.equal(await page.title(), PUBLICATION, 'front page title');
}

// The front page's metered stories, in its order (at least `count`).
async function meteredOnFront(page, count) {
  const names = (await page.getByRole('main').getByRole('link').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
  const onFront = [...new Set(names)].map((n) => demo.find((a) => a.headline === n)).filter(Boolean);
  const metered = onFront.filter((a) => !a.free && !a.sponsored && a.paragraphs.length >= 3);
  assert.ok(metered.length >= count, `the front page links ${count} metered articles (found ${metered.length})`);
  return metered;
}

async function openFromFront(page, article) {
  const link = page.getByRole('main').getByRole('link', { name: article.headline, exact: true }).first();
  await assertVisible(link, `the front-page link "${article.headline}"`);
  const response = await follow(page, link);
  assert.equal(pathOf(page), article.path, 'the headline opened its article');
  assert.equal(await text(page.getByRole('heading', { level: 1 })), article.headline, 'the h1');
  return response;
}

// Back to the front page, then `article` by its headline.
async function read(page, article) {
  await home(page);
  return openFromFront(page, article);
}

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
  const status = page.getByRole('status');
  assert.equal(await status.count(), 0, `no meter message ${why} (found: "${await status.allInnerTexts()}")`);
}

async function assertFullText(page, article) {
  const expected = article.paragraphs.length;
  assert.equal(await bodyParagraphs(page).count(), expected,
    `the full body of ${article.file}: ${expected} paragraphs`);
  const third = phraseOf(article.paragraphs[2]);
  assert.ok(third, `a phrase from the 3rd paragraph of ${article.file}`);
  const thirdOnScreen = page.locator('.article-body').getByText(third);
  await assertVisible(thirdOnScreen.first(), `the 3rd paragraph's "${third}"`);
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
  for (const [i, paragraph] of article.paragraphs.entries()) {
    if (i < LEAD_IN) continue;
    const phrase = phraseOf(paragraph);
    if (phrase) assert.ok(!html.includes(phrase), `paragraph ${i + 1} ("${phrase}") is not in the page`);
  }
}

// The wall after the lead-in: a region named by its h2, with its text, the
// paywall's offer and the two links. Returns { region, offerLink, allLink }.
async function assertWall(page, wall) {
  const region = page.getByRole('region', { name: wall.title, exact: true });
  await assertVisible(region, `the wall "${wall.title}"`);
  await assertVisible(region.getByRole('heading', { level: 2, name: wall.title, exact: true }), 'the wall heading');
  assert.equal(await text(region.locator('.wall-body')), wall.body, 'the wall text');
  const offerLink = region.getByRole('link', { name: TEXT.wallLinks.offer, exact: true });
  const allLink = region.getByRole('link', { name: TEXT.wallLinks.all, exact: true });
  await assertVisible(offerLink, `the wall link "${TEXT.wallLinks.offer}"`);
  await assertVisible(allLink, `the wall link "${TEXT.wallLinks.all}"`);
  assert.match(await offerLink.getAttribute('href'), /^\/offers(#|$)/, 'the offer link leads to /offers');
  assert.equal(await allLink.getAttribute('href'), '/offers', 'the "See all offers" link');
  if (wall.datedOffer) {
    // A new reader's wall offers the demo's dated intro offer, with its end date.
    assert.equal(await text(region.locator('.wall-offer')), `${MONTHLY.name}: ${INTRO_OFFER.terms} · ${INTRO_OFFER.ends}`,
      'the wall shows the dated offer');
    assert.equal(await offerLink.getAttribute('href'), `/offers#offer-${INTRO_OFFER.code}`, 'the offer link');
  }
  const [leadBottom, wallTop] = await Promise.all([
    bodyParagraphs(page).first().evaluate((e) => e.getBoundingClientRect().bottom + scrollY),
    region.evaluate((e) => e.getBoundingClientRect().top + scrollY),
  ]);
  assert.ok(wallTop >= leadBottom, 'the wall is below the lead-in');
  return { region, offerLink, allLink };
}

// The article is walled for this reader: no meter, the lead-in, the wall.
async function assertWalled(page, article, wall) {
  await assertNoMeter(page, `above the wall "${wall.title}"`);
  await assertLeadInOnly(page, article);
  return assertWall(page, wall);
}

// A plan on /offers: the list item named by the plan's heading.
async function offersPlan(page, plan) {
  const item = page.getByRole('main').getByRole('listitem', { name: plan.name, exact: true });
  await assertVisible(item, `the plan "${plan.name}"`);
  assert.equal(await text(item.locator('.plan-price')), plan.price, `${plan.name}: price`);
  assert.equal(await text(item.locator('.plan-includes')), plan.includes, `${plan.name}: what it includes`);
  return item;
}

function offerBox(plan, offer) {
  return plan.locator(`#offer-${offer.code}`);
}

async function assertOffersPage(page) {
  assert.equal(pathOf(page), '/offers', 'on the offers page');
  assert.equal(await page.title(), `Subscribe — ${PUBLICATION}`, 'offers page title');
  assert.equal(await text(page.getByRole('heading', { level: 1 })), TEXT.offersHeading, 'offers h1');
}

// The register form, filled in by its labels; the page it leads to.
async function register(page, email, password) {
  assert.equal(pathOf(page), '/register', 'on the register page');
  assert.equal(await text(page.getByRole('heading', { level: 1 })), TEXT.register.heading, 'register h1');
  const main = page.getByRole('main');
  await main.getByLabel(TEXT.register.email, { exact: true }).fill(email);
  await main.getByLabel(TEXT.register.password, { exact: true }).fill(password);
  return submit(page, main.getByRole('button', { name: TEXT.register.submit, exact: true }));
}

// After the session ended: the header's Account link asks to log in (and
// to come back to /account); the login form, filled in by its labels.
async function logInAgain(page, email, password) {
  await openAccount(page);
  assert.equal(pathOf(page), '/login', 'the session has ended: /account asks to log in');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/account', 'and comes back to /account');
  assert.equal(await text(page.getByRole('heading', { level: 1 })), TEXT.login.heading, 'login h1');
  const main = page.getByRole('main');
  await main.getByLabel(TEXT.register.email, { exact: true }).fill(email);
  await main.getByLabel(TEXT.register.password, { exact: true }).fill(password);
  await submit(page, main.getByRole('button', { name: TEXT.login.submit, exact: true }));
  assert.equal(pathOf(page), '/account', 'logged in, back on /account');
}

// A new address per reader and run (letters, digits and dots only).
function newEmail(who) {
  return `${who}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.org`;
}
const PASSWORD = 'ledger reader loves long walks 42';

// The subscription section of /account.
function subscriptionSection(page) {
  return page.getByRole('region', { name: TEXT.account.section, exact: true });
}

async function assertAccount(page, { state, detail }) {
  assert.equal(pathOf(page), '/account', 'on the account page');
  assert.equal(await page.title(), TEXT.account.title, 'account page title');
  assert.equal(await text(page.getByRole('heading', { level: 1 })), TEXT.account.heading, 'account h1');
  const section = subscriptionSection(page);
  await assertVisible(section, 'the subscription section');
  assert.equal(await text(section.locator('.subscription-state')), state, 'the subscription state');
  if (detail === undefined) assert.equal(await section.locator('.subscription-detail').count(), 0, 'no plan line');
  else assert.equal(await text(section.locator('.subscription-detail')), detail, 'the plan line');
  return section;
}

// /account from any page, by the header's "Account" link.
async function openAccount(page) {
  await follow(page, page.getByRole('banner').getByRole('link', { name: 'Account', exact: true }));
}

// The test checkout page: clearly a test, for `plan`, with the test cards.
async function assertTestCheckout(page, plan, terms) {
  assert.match(pathOf(page), /^\/checkout\/test\/[A-Za-z0-9_]+$/, 'on the test checkout page');
  assert.equal(await page.title(), TEXT.checkout.title, 'checkout page title');
  const banner = page.getByRole('note');
  await assertVisible(banner, 'the test banner');
  assert.equal(await text(banner), TEXT.checkout.banner, 'the banner says it is a test');
  const [bannerBottom, h1Top] = await Promise.all([
    banner.evaluate((e) => e.getBoundingClientRect().bottom),
    page.getByRole('heading', { level: 1 }).evaluate((e) => e.getBoundingClientRect().top),
  ]);
  assert.ok(bannerBottom <= h1Top, 'the test banner comes before the heading');
  assert.equal(await text(page.getByRole('heading', { level: 1 })), TEXT.checkout.heading(plan.name), 'checkout h1');
  assert.equal(await text(page.locator('.checkout-summary')), `${plan.name}: ${plan.price}`, 'the summary');
  if (terms) assert.equal(await text(page.locator('.checkout-terms')), terms, 'the offer terms');
  assert.equal(await text(page.getByRole('heading', { level: 2, name: TEXT.checkout.cardsHeading })),
    TEXT.checkout.cardsHeading, 'the test cards heading');
  const cards = (await page.locator('.test-cards li').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
  assert.deepEqual(cards, TEXT.checkout.cards, 'the test card numbers');
  const card = page.getByRole('main').getByLabel(TEXT.checkout.card, { exact: true });
  await assertVisible(card, 'the card number field');
  return card;
}

// Types a card number like a person and pays.
async function pay(page, number, options) {
  const card = page.getByRole('main').getByLabel(TEXT.checkout.card, { exact: true });
  await card.click();
  await card.pressSequentially(number);
  return submit(page, page.getByRole('main').getByRole('button', { name: TEXT.checkout.pay, exact: true }), options);
}

// The confirmation after paying: the heading, and the receipt's facts as
// label → value, in order.
async function assertConfirmation(page, facts) {
  assert.equal(pathOf(page), '/subscribe/done', 'on the confirmation page');
  assert.equal(await text(page.getByRole('heading', { level: 1 })), `Welcome to ${PUBLICATION}`, 'confirmation h1');
  const labels = (await page.locator('.receipt dt').allInnerTexts()).map((t) => t.trim());
  const values = (await page.locator('.receipt dd').allInnerTexts()).map((t) => t.trim());
  assert.deepEqual(Object.fromEntries(labels.map((l, i) => [l, values[i]])), facts, 'the receipt on the page');
}

// Cancel from the account page: the link, the question, the confirming button.
async function cancelSubscription(page) {
  await openAccount(page);
  await follow(page, subscriptionSection(page).getByRole('link', { name: TEXT.account.cancel, exact: true }));
  assert.equal(pathOf(page), '/account/cancel', 'cancelling asks first');
  assert.equal(await text(page.getByRole('heading', { level: 1 })), TEXT.account.cancelTitle, 'the question');
  await submit(page, page.getByRole('main').getByRole('button', { name: TEXT.account.cancelConfirm, exact: true }));
  assert.equal(await text(page.getByRole('main').getByRole('status')), TEXT.account.cancelled, 'the notice');
}

async function screenshot(page, name, options = {}) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true, ...options });
}

// --- The journeys ---------------------------------------------------------------

describe('subscription journeys', { timeout: TEST_TIMEOUT * 4 }, () => {
  test('dated offer: paywall → offer → register → test checkout → full access → cancel → period ends → expired',
    { timeout: TEST_TIMEOUT }, async () => {
      const srv = SERVERS.offer;
      await setClock(srv, CLOCK_START);
      const { page } = await openPage();
      const response = await page.goto(`${srv.url}/`, { waitUntil: 'load' });
      assert.equal(response?.status(), 200, 'GET /');
      const metered = await meteredOnFront(page, ANONYMOUS_FREE + 3);

      // An anonymous reader reads the free articles, then meets the paywall.
      await openFromFront(page, metered[0]);
      await assertMeter(page, TEXT.left(ANONYMOUS_FREE - 1));
      await assertFullText(page, metered[0]);
      await read(page, metered[1]);
      await assertMeter(page, TEXT.last);
      await assertFullText(page, metered[1]);
      const walled = metered[2];
      await read(page, walled);
      const wall = await assertWalled(page, walled, TEXT.paywall);

      // The wall's offer leads to it on /offers.
      await follow(page, wall.offerLink);
      await assertOffersPage(page);
      assert.equal(new URL(page.url()).hash, `#offer-${INTRO_OFFER.code}`, 'the offer link points at the offer');
      const monthly = await offersPlan(page, MONTHLY);
      await offersPlan(page, ANNUAL);
      const intro = offerBox(monthly, INTRO_OFFER);
      await assertVisible(intro, 'the dated intro offer');
      assert.equal(await text(intro.locator('.offer-badge')), TEXT.featured, 'the paywall\'s offer is featured');
      assert.equal(await text(intro.locator('.offer-terms')), INTRO_OFFER.terms, 'the intro offer\'s terms');
      assert.equal(await text(intro.locator('.offer-ends')), INTRO_OFFER.ends, 'the intro offer\'s end date');
      assert.equal(await text(intro.locator('.offer-eligibility')), INTRO_OFFER.eligibility, 'new subscribers only');
      await intro.scrollIntoViewIfNeeded();
      await screenshot(page, 'offers.png');

      // Taking it asks an anonymous reader to register, then back to the offers.
      await submit(page, intro.getByRole('button', { name: INTRO_OFFER.button, exact: true }));
      assert.equal(pathOf(page), '/register', 'taking an offer anonymously asks to register');
      const email = newEmail('offer');
      await register(page, email, PASSWORD);
      await assertOffersPage(page);

      // Now the offer goes to the test checkout.
      const introAgain = offerBox(await offersPlan(page, MONTHLY), INTRO_OFFER);
      await submit(page, introAgain.getByRole('button', { name: INTRO_OFFER.button, exact: true }));
      await assertTestCheckout(page, MONTHLY, INTRO_OFFER.terms);
      await screenshot(page, 'checkout-test.png');
      await pay(page, TEST_CARD_OK);

      // The confirmation: what was charged, the offer, the next payment.
      const periodEnd = plusMonths(CLOCK_START, 1);
      await assertConfirmation(page, {
        Plan: MONTHLY.name, 'Charged today': '£1', Offer: INTRO_OFFER.terms, 'Next payment': longDate(periodEnd),
      });
      await screenshot(page, 'subscribed.png', { fullPage: false });

      // A subscription: active until a month from today.
      await openAccount(page);
      const section = await assertAccount(page, {
        state: TEXT.account.active(longDate(periodEnd)),
        detail: TEXT.account.plan(MONTHLY),
      });
      await assertVisible(section.getByRole('link', { name: TEXT.account.cancel, exact: true }), 'the cancel link');
      await screenshot(page, 'account-active.png', { fullPage: false });

      // Full access: the walled article, a read one and a new one, in full, no meter.
      for (const article of [walled, metered[0], metered[3]]) {
        await read(page, article);
        await assertNoMeter(page, `for a subscriber on ${article.path}`);
        await assertFullText(page, article);
      }

      // Cancelling keeps access to the end of the period.
      await cancelSubscription(page);
      const cancelled = await assertAccount(page, {
        state: TEXT.account.cancelling(longDate(periodEnd)),
        detail: TEXT.account.plan(MONTHLY),
      });
      await assertVisible(cancelled.getByRole('button', { name: TEXT.account.resume, exact: true }), 'the resume button');
      assert.equal(await cancelled.getByRole('link', { name: TEXT.account.cancel, exact: true }).count(), 0,
        'no cancel button once cancelled');
      await read(page, metered[4]);
      await assertNoMeter(page, 'while a cancelled subscription runs');
      await assertFullText(page, metered[4]);

      // 40 days on, past the period's end. The reader comes back (the session
      // has ended long since: [accounts] session_absolute_hours) and logs in.
      const later = plusDays(CLOCK_START, 40);
      assert.ok(later > periodEnd, 'the clock moves past the period end');
      await setClock(srv, later);
      await logInAgain(page, email, PASSWORD);
      const expired = await assertAccount(page, { state: TEXT.account.expired, detail: TEXT.account.plan(MONTHLY) });
      assert.equal(await expired.getByRole('button').count(), 0, 'nothing to cancel or resume');
      const offersLink = expired.getByRole('link', { name: TEXT.account.offers, exact: true });
      await assertVisible(offersLink, `"${TEXT.account.offers}"`);
      assert.equal(await offersLink.getAttribute('href'), '/offers');

      // A metered article: the lead-in and "full access expired".
      await read(page, walled);
      const expiredWall = await assertWalled(page, walled, TEXT.expired);
      await expiredWall.region.scrollIntoViewIfNeeded();
      await screenshot(page, 'expired-wall.png');

      // All offers: the intro offer is for new subscribers, which this reader
      // is not any more; the regular price is there to renew at.
      await follow(page, expiredWall.allLink);
      await assertOffersPage(page);
      const monthlyNow = await offersPlan(page, MONTHLY);
      const introNow = offerBox(monthlyNow, INTRO_OFFER);
      assert.equal(await text(introNow.locator('.offer-note')), TEXT.notEligible, 'the intro offer is not for this reader');
      assert.equal(await introNow.getByRole('button').count(), 0, 'no "Take this offer" for a former subscriber');
      await assertVisible(monthlyNow.getByRole('button', { name: TEXT.subscribe, exact: true }), 'the regular "Subscribe"');

      assertNoProblems();
    });

  test('free trial on the annual plan: register → trial → full access → trial ends → trial expired',
    { timeout: TEST_TIMEOUT }, async () => {
      const srv = SERVERS.trial;
      await setClock(srv, CLOCK_START);
      const { page } = await openPage();
      const response = await page.goto(`${srv.url}/`, { waitUntil: 'load' });
      assert.equal(response?.status(), 200, 'GET /');
      const metered = await meteredOnFront(page, 2);

      // Register from the header's Account link (sign-in first, then "register").
      await openAccount(page);
      assert.equal(pathOf(page), '/login', '/account asks to log in');
      assert.equal(new URL(page.url()).searchParams.get('next'), '/account', 'and comes back to /account');
      await follow(page, page.getByRole('main').getByRole('link', { name: TEXT.login.toRegister, exact: true }));
      const email = newEmail('trial');
      await register(page, email, PASSWORD);
      await assertAccount(page, { state: TEXT.account.none });

      // No subscription: registered readers here get no free articles.
      await read(page, metered[0]);
      await assertWalled(page, metered[0], TEXT.paywall);

      // The annual plan's free trial, from the account page's offers link.
      await openAccount(page);
      await follow(page, subscriptionSection(page).getByRole('link', { name: TEXT.account.offers, exact: true }));
      await assertOffersPage(page);
      const annual = await offersPlan(page, ANNUAL);
      const trial = offerBox(annual, TRIAL_OFFER);
      await assertVisible(trial, 'the annual plan\'s trial');
      assert.equal(await text(trial.locator('.offer-terms')), TRIAL_OFFER.terms, 'the trial\'s terms');
      assert.equal(await text(trial.locator('.offer-eligibility')), TRIAL_OFFER.eligibility, 'new subscribers only');
      assert.equal(await trial.locator('.offer-ends').count(), 0, 'the trial has no end date');
      await submit(page, trial.getByRole('button', { name: TRIAL_OFFER.button, exact: true }));
      const trialEnd = plusDays(CLOCK_START, 14);
      await assertConfirmation(page, {
        Plan: ANNUAL.name, 'Charged today': '£0', Offer: TRIAL_OFFER.terms, 'Trial ends': longDate(trialEnd),
      });
      await openAccount(page);
      await assertAccount(page, { state: TEXT.account.trialing(longDate(trialEnd)), detail: TEXT.account.plan(ANNUAL) });

      // The trial is full access: the full text, no meter.
      for (const article of [metered[0], metered[1]]) {
        await read(page, article);
        await assertNoMeter(page, `during the trial on ${article.path}`);
        await assertFullText(page, article);
      }

      // 15 days on, the trial has ended unconverted. The reader logs in again
      // (the session has ended) and meets "trial expired".
      await setClock(srv, plusDays(CLOCK_START, 15));
      await logInAgain(page, email, PASSWORD);
      await assertAccount(page, { state: TEXT.account.trialExpired, detail: TEXT.account.plan(ANNUAL) });
      await read(page, metered[1]);
      await assertWalled(page, metered[1], TEXT.trialExpired);
      await openAccount(page);

      // A trial is once per reader.
      await follow(page, subscriptionSection(page).getByRole('link', { name: TEXT.account.offers, exact: true }));
      const again = offerBox(await offersPlan(page, ANNUAL), TRIAL_OFFER);
      assert.equal(await text(again.locator('.offer-note')), TEXT.trialUsed, 'the trial is not offered again');
      assert.equal(await again.getByRole('button').count(), 0, 'no trial button');

      assertNoProblems();
    });

  test('the money journey: registration wall → register → back on the article → offer → pay → confirmation → cancel, confirmed → logout notice',
    { timeout: TEST_TIMEOUT }, async () => {
      const srv = SERVERS.money;
      await setClock(srv, CLOCK_START);
      const { page } = await openPage();
      const response = await page.goto(`${srv.url}/`, { waitUntil: 'load' });
      assert.equal(response?.status(), 200, 'GET /');
      const metered = await meteredOnFront(page, ANONYMOUS_FREE + 3);
      const more = MONEY_REGISTERED_FREE - ANONYMOUS_FREE;

      // Two free articles, then the registration wall, which says what registering gives.
      await openFromFront(page, metered[0]);
      await read(page, metered[1]);
      await assertMeter(page, TEXT.last);
      const walled = metered[2];
      await read(page, walled);
      await assertNoMeter(page, 'above the registration wall');
      await assertLeadInOnly(page, walled);
      const wall = page.getByRole('region', { name: 'Register to keep reading', exact: true });
      await assertVisible(wall, 'the registration wall');
      assert.equal(await text(wall.locator('.wall-body')),
        `You have read your free articles for this month. Register for free to read ${more} more articles this month (${MONEY_REGISTERED_FREE} a month in all).`,
        'the wall promises what registering gives');
      await wall.scrollIntoViewIfNeeded();
      await screenshot(page, 'registration-wall.png');

      // Register from the wall: back on the same article, welcomed, reading it in full.
      await follow(page, wall.getByRole('link', { name: 'Register for free', exact: true }));
      assert.equal(new URL(page.url()).searchParams.get('next'), walled.path, 'the register link names the article');
      await register(page, newEmail('money'), PASSWORD);
      assert.equal(pathOf(page), walled.path, 'back on the article after registering');
      await assertVisible(page.locator('.site-notice'), 'the welcome notice');
      assert.equal(await text(page.locator('.site-notice')),
        `Welcome to ${PUBLICATION}. You are registered and signed in.`, 'the welcome notice');
      assert.equal(await text(page.locator('.meter')), TEXT.left(more - 1), 'the meter keeps the wall\'s promise');
      await assertFullText(page, walled);
      const banner = page.getByRole('banner');
      await assertVisible(banner.getByRole('button', { name: 'Log out', exact: true }), 'Log out in the header');
      await screenshot(page, 'welcome-back.png', { fullPage: false });

      // The last free article, then the subscription wall and its offer.
      await read(page, metered[3]);
      await assertMeter(page, TEXT.last);
      await read(page, metered[4]);
      const paywall = await assertWalled(page, metered[4], TEXT.paywall);
      await follow(page, paywall.offerLink);
      await assertOffersPage(page);
      const intro = offerBox(await offersPlan(page, MONTHLY), INTRO_OFFER);
      await submit(page, intro.getByRole('button', { name: INTRO_OFFER.button, exact: true }));
      await assertTestCheckout(page, MONTHLY, INTRO_OFFER.terms);
      await pay(page, TEST_CARD_OK);

      // The confirmation: what was charged, the offer, the next payment.
      const periodEnd = plusMonths(CLOCK_START, 1);
      await assertConfirmation(page, {
        Plan: MONTHLY.name, 'Charged today': '£1', Offer: INTRO_OFFER.terms, 'Next payment': longDate(periodEnd),
      });
      assert.equal(await page.getByRole('banner').getByRole('link', { name: 'Subscribe', exact: true }).count(), 0,
        'a subscriber\'s header does not ask them to subscribe');
      await assertVisible(page.getByRole('banner').getByRole('link', { name: 'Account', exact: true }), 'Account');
      await read(page, metered[4]);
      await assertNoMeter(page, 'for a subscriber');
      await assertFullText(page, metered[4]);

      // Cancel asks first, then confirms by a notice.
      await openAccount(page);
      await follow(page, subscriptionSection(page).getByRole('link', { name: TEXT.account.cancel, exact: true }));
      assert.equal(await text(page.getByRole('heading', { level: 1 })), TEXT.account.cancelTitle, 'cancel asks first');
      await screenshot(page, 'cancel-confirm.png', { fullPage: false });
      await submit(page, page.getByRole('main').getByRole('button', { name: TEXT.account.cancelConfirm, exact: true }));
      assert.equal(pathOf(page), '/account', 'back on the account page');
      assert.equal(await text(page.getByRole('main').getByRole('status')), TEXT.account.cancelled, 'the cancel notice');
      assert.equal(await text(subscriptionSection(page).locator('.subscription-state')),
        TEXT.account.cancelling(longDate(periodEnd)), 'cancelled at the period end');

      // Logging out from the header says so.
      await submit(page, page.getByRole('banner').getByRole('button', { name: 'Log out', exact: true }));
      assert.equal(pathOf(page), '/login', 'logged out: the login page');
      assert.equal(await text(page.getByRole('main').getByRole('status')), 'You have logged out.', 'the logout notice');
      assert.equal(await page.getByRole('banner').getByRole('button', { name: 'Log out', exact: true }).count(), 0,
        'no Log out once logged out');

      assertNoProblems();
    });

  test('declined test card: the decline message and no subscription', { timeout: TEST_TIMEOUT }, async () => {
    const srv = SERVERS.decline;
    await setClock(srv, CLOCK_START);
    const { page } = await openPage();
    const response = await page.goto(`${srv.url}/offers`, { waitUntil: 'load' });
    assert.equal(response?.status(), 200, 'GET /offers');
    await assertOffersPage(page);

    // Take the dated offer; register; take it again; the test checkout.
    const intro = offerBox(await offersPlan(page, MONTHLY), INTRO_OFFER);
    await submit(page, intro.getByRole('button', { name: INTRO_OFFER.button, exact: true }));
    await register(page, newEmail('declined'), PASSWORD);
    await assertOffersPage(page);
    await submit(page, offerBox(await offersPlan(page, MONTHLY), INTRO_OFFER)
      .getByRole('button', { name: INTRO_OFFER.button, exact: true }));
    await assertTestCheckout(page, MONTHLY, INTRO_OFFER.terms);
    const checkoutPath = pathOf(page);

    // The declining card: 402, the same checkout with the decline message.
    expectedErrors.push({ method: 'POST', pathname: checkoutPath, status: 402 });
    await pay(page, TEST_CARD_DECLINED, { status: 402 });
    assert.equal(pathOf(page), checkoutPath, 'still on the checkout');
    const alert = page.getByRole('main').getByRole('alert');
    await assertVisible(alert, 'the decline message');
    assert.equal(await text(alert), TEXT.checkout.declined, 'the decline message');
    await assertTestCheckout(page, MONTHLY, INTRO_OFFER.terms);
    await screenshot(page, 'checkout-declined.png', { fullPage: false });

    // No subscription, no access.
    await openAccount(page);
    await assertAccount(page, { state: TEXT.account.none });
    const metered = await (async () => {
      await home(page);
      return meteredOnFront(page, 1);
    })();
    await openFromFront(page, metered[0]);
    await assertWalled(page, metered[0], TEXT.paywall);

    assertNoProblems();
  });
});
