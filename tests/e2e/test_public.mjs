// test_public.mjs: a centre's public pages in a real browser (docs/
// public-page.md): what a person who cannot read the screen opens from the
// card's QR code. In Finnish and in Swedish, on a 1280 px window, on a
// 390 px phone and at 400 % zoom (a 320 CSS px wide viewport): axe finds
// nothing, nothing scrolls sideways, there is one h1 and real landmarks,
// every text in another language than the page's says so, the keyboard
// reaches the skip link and every link with a visible focus; an item's own
// page, the feeds, and a withdrawn item's page in words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, axe, shot, env } from './lib/browser.mjs';
import { Client } from './lib/api.mjs';

const W = env.world;
let b;
const problems = [];
let itemId;
let bulletinId;
let withdrawnId;
let client;
let alertId;

// Titles no other file's test looks for ('Muistikahvila', 'Vesikatko'
// are test_ui's, and the e2e files share one server).
const TITLE_FI = 'Kahvila kirjastossa';
const TITLE_SV = 'Kafé i biblioteket';

// Tomorrow (UTC) at hour h UTC, whole hours: the event's time of day must
// not depend on when the test runs. An event at iso(26) begun in the
// evening ran past midnight, and "Huomenna sunnuntaina 6.12. kello 23.03 –
// maanantaina 7.12. kello 1.03" takes two lines of the 55" screen at 3 m:
// a memory café does not meet at midnight, and the card lost its body line.
function tomorrowAt(h) {
  const d = new Date(Date.now() + 86400000);
  d.setUTCHours(h, 0, 0, 0);
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

function iso(offsetHours) {
  return new Date(Math.round((Date.now() + offsetHours * 3600000) / 60000) * 60000).toISOString().replace(/\.\d+Z$/, 'Z');
}

before(async () => {
  const c = new Client(env.base);
  client = c;
  await c.login(env.coordinator.email, env.coordinator.password);
  // An event in Finnish and Swedish, a notice only in Finnish, an alert;
  // approved at Tuira (fi, sv). And one approved, then withdrawn.
  const mk = async (body) => (await c.req('POST', '/items', { organisation_id: W.muisti, centres: [W.tuira], category: 'ihmissuhteet', ...body })).id;
  itemId = await mk({
    kind: 'event', starts_at: tomorrowAt(11), ends_at: tomorrowAt(13), free: true, step_free: true, induction_loop: true,
    link: 'https://muisti.example.fi/kahvila', display_until: tomorrowAt(13),
    texts: [
      // The screens show the short text: on the 55" screens read from 3 m
      // an event's facts, its QR code and the credit line leave room for
      // one line of it (one card, one page); the page shows the whole text.
      // (A contact too would take the credit line out of the footer and
      // the card to a second page: the page's contact is a unit test's.)
      { lang: 'fi', plain: true, title: TITLE_FI, summary: 'Tule juttelemaan ja juomaan kahvia.', body: 'Tule juttelemaan ja juomaan kahvia.\nVoit tuoda läheisen mukaan.', place: 'Tuiran kirjasto' },
      { lang: 'sv', plain: true, title: TITLE_SV, summary: 'Kom och prata.', body: 'Kom och prata och drick kaffe.', place: 'Tuira bibliotek' },
    ],
  });
  bulletinId = await mk({
    kind: 'bulletin', display_until: iso(24 * 7),
    texts: [{ lang: 'fi', plain: true, title: 'Vertaistukiryhmä aloittaa', body: 'Ryhmä kokoontuu keskiviikkoisin. Tervetuloa mukaan!' }],
  });
  withdrawnId = await mk({
    kind: 'bulletin', display_until: iso(24 * 7),
    texts: [{ lang: 'fi', plain: true, title: 'Peruttu ilmoitus', body: 'Tämä poistuu.' }],
  });
  for (const id of [itemId, bulletinId, withdrawnId]) {
    const it = await c.req('GET', `/items/${id}`);
    const p = it.placements.find((x) => x.centre_id === W.tuira);
    await c.req('POST', `/placements/${p.id}/approve`, { item_version: it.version });
  }
  await c.req('POST', `/items/${withdrawnId}/withdraw`, {});
  alertId = (await c.req('POST', '/alerts', {
    centre_id: W.tuira, ends_at: iso(5),
    texts: [{ lang: 'fi', title: 'Lämmityskatko', body: 'Lämmitys on poikki kello 13 asti.' }, { lang: 'sv', title: 'Värmeavbrott', body: 'Värmen är avstängd till klockan 13.' }],
  })).id;
  b = await launchBrowser();
});

after(async () => {
  if (b) await b.close();
  // The e2e files share one server: test_ui expects Tuira to have no
  // urgent notice once it ends its own.
  if (alertId) await client.req('POST', `/alerts/${alertId}/end`, {});
});

function noProblems() {
  assert.deepEqual(problems.splice(0), []);
}

// The checks every public page must pass, wherever it is shown.
async function checkPage(p, lang, name) {
  assert.equal(await p.locator('html').getAttribute('lang'), lang);
  assert.equal(await p.locator('h1').count(), 1, 'one h1');
  assert.equal(await p.$eval('main h1, main h2', (h) => h.tagName), 'H1', 'the h1 opens the main content');
  assert.equal(await p.locator('main').count(), 1);
  assert.equal(await p.locator('header').count(), 1);
  assert.equal(await p.locator('footer').count(), 1);
  // Headings do not skip a level.
  const levels = await p.$$eval('h1, h2, h3, h4', (hs) => hs.map((h) => Number(h.tagName[1])));
  for (let i = 1; i < levels.length; i++) assert.ok(levels[i] <= levels[i - 1] + 1, `heading levels ${levels}`);
  // Nothing scrolls sideways, whatever the width.
  const over = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `${name}: ${over} px of sideways scroll`);
  const v = await axe(p);
  assert.deepEqual(v, [], `${name}: ${JSON.stringify(v, null, 1)}`);
  await shot(p, name);
}

test('the centre page in Finnish and Swedish, on a wide window', async () => {
  const ctx = await b.newContext();
  const p = await newPage(ctx, problems);
  const res = await p.goto(`${env.base}/public/centres/${W.tuira}`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['cache-control'], /no-cache/);
  assert.ok(res.headers().etag);
  await checkPage(p, 'fi', 'public-centre-fi');
  // The alert first, then the event, then the notice; not the withdrawn.
  const text = await p.locator('main').innerText();
  assert.ok(text.indexOf('Lämmityskatko') < text.indexOf(TITLE_FI), 'the alert is on top');
  assert.ok(text.indexOf(TITLE_FI) < text.indexOf('Vertaistukiryhmä aloittaa'));
  assert.ok(!text.includes('Peruttu ilmoitus'), 'a withdrawn item is not shown');
  assert.match(text, /Maksuton/);
  assert.match(text, /Esteetön kulku/);
  assert.match(text, /Induktiosilmukka/);
  assert.match(text, /Voit tuoda läheisen mukaan/); // the whole text, not the screen's
  // Swedish page: the Swedish version where there is one; the Finnish
  // notice marked as Finnish.
  await p.getByRole('link', { name: 'På svenska' }).click();
  await p.waitForURL(/lang=sv/);
  await checkPage(p, 'sv', 'public-centre-sv');
  assert.ok(await p.getByRole('heading', { name: TITLE_SV }).count());
  assert.equal(await p.locator('article', { hasText: 'Vertaistukiryhmä aloittaa' }).getAttribute('lang'), 'fi');
  assert.match(await p.locator('main').innerText(), /Värmeavbrott/);
  await ctx.close();
  noProblems();
});

test('on a 390 px phone and at 400 % zoom the page reflows', async () => {
  for (const [w, h, name] of [[390, 844, 'public-centre-390'], [320, 256, 'public-centre-zoom400']]) {
    const ctx = await b.browser.newContext({ viewport: { width: w, height: h }, locale: 'fi-FI', timezoneId: 'Europe/Helsinki' });
    const p = await newPage(ctx, problems);
    await p.goto(`${env.base}/public/centres/${W.tuira}`);
    await checkPage(p, 'fi', name);
    // Text is not clipped: every paragraph fits the viewport's width.
    const wide = await p.$$eval('p, h1, h2, h3, li, dd, dt', (els, vw) => els.filter((e) => e.getBoundingClientRect().right > vw + 1).map((e) => e.textContent.slice(0, 40)), w);
    assert.deepEqual(wide, [], `${name}: wider than ${w} px`);
    await ctx.close();
  }
  noProblems();
});

test('the keyboard reaches the skip link and every link, the focus visible', async () => {
  const ctx = await b.newContext();
  const p = await newPage(ctx, problems);
  await p.goto(`${env.base}/public/centres/${W.tuira}`);
  await p.keyboard.press('Tab');
  assert.equal(await p.evaluate(() => document.activeElement.className), 'skip');
  assert.ok(await p.evaluate(() => document.activeElement.getBoundingClientRect().top >= 0), 'the skip link shows when focused');
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => location.hash === '#main');
  const links = await p.locator('a[href]').count();
  const seen = new Set();
  for (let i = 0; i < links + 2; i++) {
    await p.keyboard.press('Tab');
    const f = await p.evaluate(() => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      return { href: el.getAttribute('href'), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    });
    if (f.href) {
      seen.add(f.href);
      assert.ok(f.outline, `the focus on ${f.href} is visible`);
    }
  }
  assert.ok(seen.has(`/public/centres/${W.tuira}/items/${itemId}?lang=fi`), 'the item link is reachable');
  assert.ok(seen.has('https://muisti.example.fi/kahvila'), 'the item\'s own link is reachable');
  await ctx.close();
  noProblems();
});

test('an item\'s own page (the QR code\'s) in both languages', async () => {
  const ctx = await b.newContext();
  const p = await newPage(ctx, problems);
  await p.goto(`${env.base}/public/centres/${W.tuira}`);
  await p.getByRole('link', { name: TITLE_FI }).click();
  await p.waitForURL(new RegExp(`/items/${itemId}`));
  await checkPage(p, 'fi', 'public-item-fi');
  assert.equal(await p.locator('h1').innerText(), TITLE_FI);
  assert.match(await p.locator('main').innerText(), /Lisätietoja: https:\/\/muisti\.example\.fi\/kahvila/);
  await p.goto(`${env.base}/public/centres/${W.tuira}/items/${itemId}?lang=sv`);
  await checkPage(p, 'sv', 'public-item-sv');
  assert.equal(await p.locator('h1').innerText(), TITLE_SV);
  // A withdrawn item: a page in words, 404.
  const res = await p.goto(`${env.base}/public/centres/${W.tuira}/items/${withdrawnId}`);
  assert.equal(res.status(), 404);
  await checkPage(p, 'fi', 'public-item-gone');
  assert.match(await p.locator('h1').innerText(), /ei enää näytetä/);
  await ctx.close();
  noProblems();
});

test('the feeds: iCalendar and Atom, cached by ETag', async () => {
  const ics = await fetch(`${env.base}/public/centres/${W.tuira}/calendar.ics?lang=sv`);
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  const body = await ics.text();
  assert.match(body, /^BEGIN:VCALENDAR\r\n/);
  assert.match(body, new RegExp(`SUMMARY:${TITLE_SV}\\r\\n`));
  for (const line of body.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
  const again = await fetch(`${env.base}/public/centres/${W.tuira}/calendar.ics?lang=sv`, { headers: { 'If-None-Match': ics.headers.get('etag') } });
  assert.equal(again.status, 304);
  const atom = await fetch(`${env.base}/public/centres/${W.tuira}/feed.atom`);
  assert.equal(atom.status, 200);
  const a = await atom.text();
  assert.match(a, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom" xml:lang="fi">/);
  assert.equal((a.match(/<entry/g) || []).length, 2);
});
