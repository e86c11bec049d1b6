// test_ui.mjs: the web UI in a real browser against the real server.
// Roles sign in; an NGO volunteer submits an event (with the live checker
// when the server has it, markup in the place included); a contact person
// approves it in two clicks; submitted HTML and script stay text; every
// main page passes axe-core; the form works with the keyboard alone; 360 px
// and 200 % zoom.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, axe, shot, env, STEP_TIMEOUT_MS } from './lib/browser.mjs';
import { Client, dropDrafts } from './lib/api.mjs';

const W = env.world;
let browser;
const problems = [];

const pad = (n) => String(n).padStart(2, '0');
function helsinkiDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return p; // YYYY-MM-DD
}

async function page() {
  return newPage(browser.context, problems);
}

function noProblems() {
  const p = problems.splice(0).filter((x) => !/status of 401/.test(x)); // the sign-in page asks /me first
  assert.deepEqual(p, []);
}

async function checkerAvailable() {
  const c = new Client(env.base);
  await c.login('aino@muisti.fi', W.password);
  try {
    await c.req('POST', '/check', { lang: 'fi', plain: true, kind: 'bulletin', title: 'Testi', body: 'Testi.' });
    return true;
  } catch (e) {
    return !(e.status === 404 || e.status === 405);
  }
}

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
});

// A form left unsent is kept as a draft and comes back: each test starts
// from an empty form.
beforeEach(async () => {
  await dropDrafts(env.base, 'aino@muisti.fi', W.password);
});

test('each role signs in and lands on its own start page; a wrong password is told next to the field', async () => {
  const p = await page();
  await p.goto(`${env.base}/`);
  await p.getByLabel('Sähköpostiosoite').fill('aino@muisti.fi');
  await p.getByLabel('Salasana').fill('väärä salasana');
  await p.getByRole('button', { name: 'Kirjaudu' }).click();
  await p.locator('.error-summary').waitFor();
  assert.match(await p.locator('#password-error').textContent(), /\S/);
  assert.equal(await p.locator('#password').getAttribute('aria-invalid'), 'true');
  await shot(p, 'signin-error');
  problems.splice(0); // the failed login is a 401 on purpose

  for (const [email, pw, home, heading] of [
    ['aino@muisti.fi', W.password, 'items.html', 'Omat ilmoitukset'],
    ['tuula@pohde.fi', W.password, 'queue.html', 'Hyväksyttävät'],
    [env.coordinator.email, env.coordinator.password, 'queue.html', 'Hyväksyttävät'],
  ]) {
    await signIn(p, email, pw);
    assert.ok(p.url().endsWith(home), `${email} -> ${p.url()}`);
    assert.equal(await p.locator('h1').first().textContent(), heading);
    await p.getByRole('button', { name: 'Kirjaudu ulos' }).click();
    await p.waitForURL(/index\.html\?signedout=1/);
    await p.getByText('Olet kirjautunut ulos.').waitFor();
  }
  await p.close();
  noProblems();
});

test('the language switch changes every text and is remembered', async () => {
  const p = await page();
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.getByRole('button', { name: 'Svenska' }).click();
  assert.equal(await p.locator('html').getAttribute('lang'), 'sv');
  assert.equal(await p.locator('h1').textContent(), 'Mina meddelanden');
  await p.goto(`${env.base}/item.html`);
  assert.equal(await p.locator('h1').textContent(), 'Nytt meddelande');
  assert.equal(await p.locator('html').getAttribute('lang'), 'sv');
  await p.getByRole('button', { name: 'English' }).click();
  assert.equal(await p.locator('h1').textContent(), 'New notice');
  await p.getByRole('button', { name: 'Suomi' }).click();
  assert.equal(await p.locator('h1').textContent(), 'Uusi ilmoitus');
  await p.close();
  noProblems();
});

test('the form takes its limits from the server: maxlength is /api/v1/limits', async () => {
  const p = await page();
  await signIn(p, 'aino@muisti.fi', W.password);
  const limits = (await (await fetch(`${env.base}/api/v1/limits`)).json()).fields;
  await p.goto(`${env.base}/item.html`);
  for (const [id, key] of [['#fi-title', 'title'], ['#fi-body', 'body'], ['#fi-place', 'place'], ['#fi-price', 'price'],
    ['#fi-registration', 'registration'], ['#fi-contact', 'contact'], ['#fi-alt', 'image_alt'], ['#link', 'link']]) {
    assert.equal(await p.locator(id).getAttribute('maxlength'), String(limits[key].max_chars), id);
  }
  await p.close();
  noProblems();
});

const TITLE = 'Muistikahvila';
const LONG = 'Yhdistyksemme järjestää kaikille alueen asukkaille ja heidän läheisilleen tarkoitetun avoimen ja maksuttoman kahvitilaisuuden, jossa voi keskustella muistiin liittyvistä asioista ja saada tietoa yhdistyksen toiminnasta sekä tulevista tapahtumista.';
const SHORT = 'Tule juttelemaan ja juomaan kahvia. Voit tuoda läheisen mukaan.';

test('an NGO volunteer submits an event for two centres; the checker flags a long sentence until it is fixed', async (t) => {
  const p = await page();
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.getByRole('link', { name: 'Uusi ilmoitus', exact: true }).click();
  await p.locator('h1', { hasText: 'Uusi ilmoitus' }).waitFor();
  await p.getByLabel('Tapahtuma, jolla on alkamis- ja päättymisaika').check();
  await p.getByLabel('Tuiran hyvinvointikeskus').check();
  await p.getByLabel('Kaakkurin sote-keskus').check();
  await p.getByLabel('Aihe').selectOption('ihmissuhteet');
  await p.locator('#fi-title').fill(TITLE);
  const day = helsinkiDay(7);
  await p.locator('#start-date').fill(day);
  await p.locator('#start-time').fill('14:00');
  await p.locator('#end-date').fill(day);
  await p.locator('#end-time').fill('16:00');
  await p.locator('#end-time').dispatchEvent('change');
  await p.locator('#fi-place').fill('Seurakuntatalo');
  await p.getByLabel('Esteetön (pyörätuolilla pääsee)').check();
  await p.locator('#link').fill('https://muisti.example.fi/kahvila');
  assert.equal(await p.locator('#until-date').inputValue(), day, 'display end defaults to the event end');

  const submit = p.getByRole('button', { name: 'Lähetä hyväksyttäväksi' });
  if (await checkerAvailable()) {
    await p.locator('#fi-body').fill(LONG);
    const finding = p.locator('#panel-fi .findings li.sev-error', { hasText: 'sanaa' });
    await finding.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.match(await finding.first().textContent(), /Lause on pitkä/);
    assert.ok(await p.locator('#panel-fi .hl-mirror mark.sev-error').count() > 0, 'the span is underlined');
    // the volunteer gets the words; the figures behind them are the approver's (the queue's "Lisätiedot")
    assert.equal(await p.locator('#panel-fi .findings li details, #panel-fi .finding-details').count(), 0, 'no figures in the form');
    assert.equal(await p.locator('#fi-plain').isChecked(), false, 'plain language is a choice, not a default');
    assert.equal(await submit.getAttribute('aria-disabled'), 'true');
    assert.match(await p.locator('#submit-why').textContent(), /Et voi vielä lähettää/);
    await shot(p, 'form-checker-red');
    await submit.click({ force: true }); // aria-disabled: still clickable, and says why
    await p.waitForTimeout(300);
    assert.ok(p.url().includes('item.html'), 'a blocked submit stays on the form');
    await p.locator('#fi-body').fill(SHORT);
    await p.waitForFunction(() => !document.querySelector('#panel-fi .findings li.sev-error'), null, { timeout: STEP_TIMEOUT_MS });
    assert.equal(await submit.getAttribute('aria-disabled'), 'false');
    await shot(p, 'form-checker-fixed');
    // Markup in the place is a finding about the place: choosing it selects the tag there.
    await p.locator('#fi-place').fill('<b>Seurakuntatalo</b>');
    const tag = p.locator('#panel-fi .findings li.sev-error button', { hasText: '<b>' });
    await tag.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.equal(await submit.getAttribute('aria-disabled'), 'true');
    await tag.first().click();
    assert.deepEqual(await p.evaluate(() => {
      const a = document.activeElement;
      return [a.id, a.selectionStart, a.selectionEnd];
    }), ['fi-place', 0, 3]);
    await p.locator('#fi-place').fill('Seurakuntatalo');
    await p.waitForFunction(() => !document.querySelector('#panel-fi .findings li.sev-error'), null, { timeout: STEP_TIMEOUT_MS });
    assert.equal(await submit.getAttribute('aria-disabled'), 'false');
  } else {
    t.diagnostic('POST /api/v1/check is not on this server: the checker panel stays hidden');
    await p.locator('#fi-body').fill(SHORT);
    assert.equal(await p.locator('#panel-fi .check-area').isHidden(), true);
  }
  await shot(p, 'form-filled');
  await submit.click();
  await p.waitForURL(/items\.html\?saved=/);
  await p.getByText('Ilmoitus on lähetetty hyväksyttäväksi.').waitFor();
  const card = p.locator('li.card', { hasText: TITLE });
  assert.equal(await card.locator('.state-submitted').count(), 2, 'waiting at both centres');
  await shot(p, 'items-submitted');
  await p.close();
  noProblems();
});

test('a contact person approves it in two clicks; the volunteer sees it approved', async () => {
  const p = await page();
  await signIn(p, 'tuula@pohde.fi', W.password);
  await p.goto(`${env.base}/screens.html`);
  await p.locator('h1').waitFor();
  // Click 1: the queue. Click 2: approve.
  await p.getByRole('link', { name: 'Hyväksyttävät' }).click();
  const card = p.locator('li.card', { hasText: TITLE });
  await card.waitFor();
  await shot(p, 'queue');
  assert.equal(await card.getByText('Kaakkurin sote-keskus').count(), 0, 'only her own centre');
  await card.getByRole('button', { name: /^Hyväksy/ }).click();
  await card.locator('.state-approved').waitFor();
  assert.match(await card.textContent(), /Hyväksytty/);
  await shot(p, 'queue-approved');
  await p.close();

  const a = await page();
  await signIn(a, 'aino@muisti.fi', W.password);
  const mine = a.locator('li.card', { hasText: TITLE });
  await mine.waitFor();
  assert.match(await mine.textContent(), /Tuiran hyvinvointikeskus: Hyväksytty/);
  assert.match(await mine.textContent(), /Kaakkurin sote-keskus: Odottaa hyväksyntää/);
  await a.close();
  noProblems();
});

test('sent back with a reason; the edit shows the contact person what changed', async () => {
  const p = await page();
  await signIn(p, 'kalle@pohde.fi', W.password);
  const card = p.locator('li.card', { hasText: TITLE });
  await card.waitFor();
  await card.getByText('Pyydä muutoksia tai hylkää').click();
  await card.getByRole('button', { name: 'Pyydä muutoksia' }).click();
  await card.locator('.error-summary').waitFor();
  assert.match(await card.locator('.has-error .error-message').textContent(), /Kirjoita syy/);
  await card.getByLabel('Syy').fill('Kahvila on klo 15–17. Korjaa aika.');
  // The server's answer first: if this step fails, say what it answered.
  const [answer] = await Promise.all([
    p.waitForResponse((r) => r.url().includes('/request-changes') && r.request().method() === 'POST'),
    card.getByRole('button', { name: 'Pyydä muutoksia' }).click(),
  ]);
  assert.equal(answer.status(), 200, `request-changes answered ${answer.status()}: ${await answer.text()}`);
  await card.locator('.state-changes_requested').waitFor();
  await p.close();

  const a = await page();
  await signIn(a, 'aino@muisti.fi', W.password);
  const mine = a.locator('li.card', { hasText: TITLE });
  await mine.waitFor();
  assert.match(await mine.textContent(), /Palautettu muutettavaksi/);
  assert.match(await mine.textContent(), /Kahvila on klo 15–17\. Korjaa aika\./);
  await a.getByText('ilmoitus on palautettu sinulle', { exact: false }).waitFor();
  await shot(a, 'items-sent-back');
  await mine.getByRole('link', { name: 'Muokkaa' }).click();
  await a.locator('#edit-notice').waitFor();
  assert.match(await a.locator('#edit-notice').textContent(), /palauttaa ilmoituksen hyväksyttäväksi/);
  await a.locator('#start-time').fill('15:00');
  await a.locator('#end-time').fill('17:00');
  await a.locator('#until-time').fill('17:00');
  await a.getByRole('button', { name: 'Tallenna ja lähetä uudelleen hyväksyttäväksi' }).click();
  await a.waitForURL(/items\.html\?saved=/);
  await a.close();

  const t2 = await page();
  await signIn(t2, 'tuula@pohde.fi', W.password);
  const again = t2.locator('li.card', { hasText: TITLE });
  await again.waitFor();
  const changed = again.locator('.changes');
  await changed.waitFor();
  assert.match(await changed.textContent(), /14\.00–16\.00.*15\.00–17\.00/s);
  await shot(t2, 'queue-changed');
  await again.getByRole('button', { name: /^Hyväksy/ }).click();
  await again.locator('.state-approved').waitFor();
  await t2.close();
  noProblems();
});

// Holds every POST /preview of page p until the returned release() is
// called; asked resolves when the first one is held.
async function holdPreviews(p) {
  let release;
  const gate = new Promise((r) => { release = r; });
  let asked;
  const first = new Promise((r) => { asked = r; });
  await p.route('**/api/v1/preview/screens', async (route) => {
    asked();
    await gate;
    await route.continue();
  });
  return { first, release };
}

// Resolves when `panel` shows a preview (its screens drawn: the list is
// put in whole, its pictures drawn first) and its status line is empty.
async function drawnSince(panel) {
  await panel.page().waitForFunction((el) => el.querySelectorAll('canvas').length > 0
    && el.querySelector('[role="status"]').textContent === '', await panel.elementHandle());
}

test('nothing moves under the pointer when a preview arrives: the queue\'s buttons and the form\'s send stay put', async () => {
  // A notice in Kalle's queue, its previews made slowly (held here): the
  // decision buttons must be where they were when the pictures come. A
  // button that moves between the press and the release gets no click.
  const c = new Client(env.base);
  await c.login('aino@muisti.fi', W.password);
  const until = new Date(Date.now() + 5 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  await c.req('POST', '/items', {
    organisation_id: W.muisti, kind: 'bulletin', category: 'osallisuus', centres: [W.kaakkuri], display_until: until,
    texts: [{ lang: 'fi', plain: true, title: 'Lukupiiri', body: 'Luemme kirjan yhdessä. Tule mukaan.' }],
  });
  const p = await page();
  const held = await holdPreviews(p);
  await signIn(p, 'kalle@pohde.fi', W.password);
  const card = p.locator('li.card', { hasText: 'Lukupiiri' });
  await card.waitFor();
  await held.first;
  const panel = card.locator('.preview');
  await panel.getByText('Esikatselua tehdään…').waitFor();
  const approve = card.getByRole('button', { name: /^Hyväksy/ });
  const sendBack = card.getByText('Pyydä muutoksia tai hylkää');
  const where = async () => ({ approve: (await approve.boundingBox()).y, sendBack: (await sendBack.boundingBox()).y });
  const before = await where();
  held.release();
  await drawnSince(panel);
  assert.equal(await panel.locator('[role="status"]').textContent(), '');
  assert.deepEqual(await where(), before, 'the buttons stay where they were');
  // The decision still works as a click, with the reason kept.
  await sendBack.click();
  await card.getByLabel('Syy').fill('Lisää paikka ja aika.');
  await card.getByRole('button', { name: 'Hylkää' }).click();
  await card.locator('.state-rejected').waitFor();
  await p.close();

  // The form: the preview sits right above "Lähetä hyväksyttäväksi".
  const f = await page();
  const heldForm = await holdPreviews(f);
  await signIn(f, 'aino@muisti.fi', W.password);
  await f.goto(`${env.base}/item.html`);
  await f.locator('h1', { hasText: 'Uusi ilmoitus' }).waitFor();
  const formPanel = f.locator('.preview');
  const send = f.getByRole('button', { name: 'Lähetä hyväksyttäväksi' });
  await formPanel.getByText('Esikatselu näkyy, kun olet kirjoittanut otsikon ja tekstin.').waitFor();
  await f.locator('#fi-title').fill('Lukupiiri');
  await f.locator('#fi-body').fill('Luemme kirjan yhdessä. Tule mukaan.');
  await heldForm.first;
  await formPanel.getByText('Esikatselua tehdään…').waitFor();
  // The checker has answered: what it shows above the button is settled.
  if (await checkerAvailable()) await f.locator('#panel-fi [data-light]').waitFor();
  // Measured from the panel's top: the checker's findings above it may
  // still change; what is between the panel and the button may not.
  const gap = async () => (await send.boundingBox()).y - (await formPanel.boundingBox()).y;
  const gapBefore = await gap();
  heldForm.release();
  await drawnSince(formPanel);
  assert.equal(await formPanel.locator('[role="status"]').textContent(), '');
  assert.equal(await gap(), gapBefore, 'the send button stays where it was below the preview');
  await f.close();
  noProblems();
});

test('HTML and script typed into fields are shown as text everywhere', async () => {
  const evil = '<script>alert("xss")</script>';
  const img = '<img src=x onerror=alert(1)>';
  // Names are stored as typed, and every page must show them as text. The
  // checker refuses markup in every text of a version (title, body, place,
  // price, registration, contact, image text); a server without the checker
  // stores them, and the queue must show them as text.
  const coord = new Client(env.base);
  await coord.login(env.coordinator.email, env.coordinator.password);
  await coord.req('POST', '/organisations', { name: `${evil} ry`, kind: 'ngo' });
  const c = new Client(env.base);
  await c.login('aino@muisti.fi', W.password);
  const day = new Date(Date.now() + 5 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  const refused = await c.req('POST', '/items', {
    organisation_id: W.muisti, kind: 'event', category: 'osallisuus', centres: [W.tuira],
    starts_at: day, ends_at: new Date(Date.parse(day) + 7200000).toISOString().replace(/\.\d+Z$/, 'Z'), display_until: day,
    texts: [{ lang: 'fi', plain: true, title: 'Avoin ilta', body: 'Tule mukaan.', place: evil, registration: img, contact: '<b>lihava</b>' }],
  }).then(() => null, (e) => e);
  const pages = [[env.coordinator.email, 'organisations.html']];
  if (await checkerAvailable()) {
    assert.equal(refused && refused.status, 422, 'markup in place, registration and contact is refused');
    const fields = refused.data.checks[0].findings.map((f) => f.field);
    for (const f of ['place', 'registration', 'contact']) assert.ok(fields.includes(f), `a finding in ${f}`);
  } else {
    assert.equal(refused, null);
    pages.unshift(['tuula@pohde.fi', 'queue.html']);
  }
  for (const [who, path] of pages) {
    const p = await page();
    await signIn(p, who, who === env.coordinator.email ? env.coordinator.password : W.password);
    await p.goto(`${env.base}/${path}`);
    await p.getByText(evil, { exact: false }).first().waitFor();
    if (path === 'queue.html') await p.getByText(img, { exact: true }).first().waitFor();
    assert.equal(await p.locator('img[src="x"], b:text("lihava"), script:not([src])').count(), 0, 'no element from the text');
    await shot(p, `xss-${path.replace('.html', '')}`);
    await p.close();
  }
  // Typed into the form: the checker's findings quote it, as text.
  const p = await page();
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.goto(`${env.base}/item.html`);
  await p.locator('#fi-title').fill(evil);
  await p.locator('#fi-body').fill(`${img} Tule mukaan.`);
  await p.locator('#fi-contact').fill('<b>lihava</b>');
  if (await checkerAvailable()) {
    await p.locator('#panel-fi .findings q', { hasText: '<script>' }).first().waitFor();
    await p.locator('#panel-fi .hl-mirror mark', { hasText: '<img' }).first().waitFor();
    await p.locator('#panel-fi .findings q', { hasText: '</b>' }).first().waitFor();
  }
  assert.equal(await p.locator('img[src="x"], b:text("lihava")').count(), 0);
  await shot(p, 'xss-form');
  await p.close();
  noProblems(); // no dialog fired
});

test('every main page passes axe-core (WCAG 2.1 A and AA) with no violations', async () => {
  const pages = [
    [null, ['index']],
    ['aino@muisti.fi', ['items', 'item']],
    ['tuula@pohde.fi', ['queue', 'screens', 'alerts']],
    [env.coordinator.email, ['centres', 'organisations', 'users', 'audit', 'screens', 'queue', 'items']],
  ];
  const found = {};
  for (const [who, list] of pages) {
    const p = await page();
    await p.context().clearCookies();
    if (who) await signIn(p, who, who === env.coordinator.email ? env.coordinator.password : W.password);
    for (const name of list) {
      await p.goto(`${env.base}/${name}.html`);
      await p.locator('h1').first().waitFor();
      await p.waitForTimeout(300);
      const v = await axe(p);
      if (v.length) found[`${who || 'anonymous'} ${name}`] = v;
      await shot(p, `page-${name}${who ? `-${who.split('@')[0]}` : ''}`);
    }
    await p.close();
  }
  // The form with errors showing, and in Swedish.
  const p = await page();
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.goto(`${env.base}/item.html`);
  await p.getByRole('button', { name: 'Lähetä hyväksyttäväksi' }).click();
  await p.locator('.error-summary').waitFor();
  let v = await axe(p);
  if (v.length) found['item with errors'] = v;
  await shot(p, 'form-errors');
  await p.getByRole('button', { name: 'Svenska' }).click();
  v = await axe(p);
  if (v.length) found['item in Swedish'] = v;
  await p.close();
  assert.deepEqual(found, {});
  noProblems();
});

// Presses Tab until the focus is on `selector` (at most 150 presses).
async function tabTo(p, selector) {
  for (let i = 0; i < 150; i++) {
    if (await p.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return;
    await p.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('the item form can be filled and sent with the keyboard alone, with a visible focus', async () => {
  const p = await page();
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.goto(`${env.base}/item.html`);
  await p.locator('h1').waitFor();
  await p.keyboard.press('Tab'); // the skip link comes first
  assert.equal(await p.evaluate(() => document.activeElement.className), 'skip-link');
  await p.keyboard.press('Enter');
  await tabTo(p, '#kind-bulletin');
  const ring = await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(ring, 'none', 'focus is visible');
  await tabTo(p, `#centre-${W.kaakkuri}`);
  await p.keyboard.press('Space');
  await tabTo(p, '#category');
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('ArrowDown');
  assert.notEqual(await p.locator('#category').inputValue(), '');
  await tabTo(p, '#tab-fi');
  await p.keyboard.press('ArrowRight');
  assert.equal(await p.locator('#tab-sv').getAttribute('aria-selected'), 'true');
  await p.keyboard.press('ArrowLeft');
  await tabTo(p, '#fi-title');
  await p.keyboard.type('Kävelyryhmä');
  await tabTo(p, '#fi-body');
  await p.keyboard.type('Kävelemme yhdessä joka tiistai. Lähtö on pääovelta.');
  await tabTo(p, '#until-date');
  const until = helsinkiDay(10);
  await p.keyboard.type(until.split('-').reverse().join('')); // dd mm yyyy in a Finnish browser
  if ((await p.locator('#until-date').inputValue()) !== until) {
    // This Chromium orders the date month first: clear the three parts
    // (Backspace, ArrowLeft) and type it in that order.
    for (let i = 0; i < 3; i++) {
      await p.keyboard.press('Backspace');
      await p.keyboard.press('ArrowLeft');
    }
    const [y, m, d] = until.split('-');
    await p.keyboard.type(`${m}${d}${y}`);
  }
  assert.equal(await p.locator('#until-date').inputValue(), until);
  await tabTo(p, '#until-time');
  await p.keyboard.type('1800');
  if ((await p.locator('#until-time').inputValue()) !== '18:00') await p.keyboard.type('P');
  await tabTo(p, 'button[type=submit]');
  // The checker has answered, without errors: its light is set and not red.
  if (await checkerAvailable()) {
    await p.locator('#panel-fi [data-light]:not([data-light="red"])').waitFor();
  }
  await p.keyboard.press('Enter');
  await p.waitForURL(/items\.html\?saved=/);
  await p.locator('li.card', { hasText: 'Kävelyryhmä' }).waitFor();
  await p.close();
  noProblems();
});

test('an urgent notice is published for a centre and ended', async () => {
  const p = await page();
  await signIn(p, 'tuula@pohde.fi', W.password);
  await p.getByRole('link', { name: 'Tärkeä tiedote' }).click();
  await p.getByLabel('Otsikko', { exact: true }).fill('Vesikatko');
  await p.getByLabel('Teksti', { exact: true }).fill('Vesi on poikki kello 13 asti.');
  await p.locator('#a-end-time').fill('23:55');
  await p.locator('#a-end-date').fill(helsinkiDay(1));
  await p.getByRole('button', { name: 'Julkaise heti' }).click();
  const card = p.locator('li.card', { hasText: 'Vesikatko' });
  await card.waitFor();
  assert.match(await card.textContent(), /Tuiran hyvinvointikeskus/);
  await shot(p, 'alerts');
  await card.getByRole('button', { name: /Lopeta nyt/ }).click();
  await p.getByText('Ei voimassa olevia tärkeitä tiedotteita.').waitFor();
  await p.close();
  noProblems();
});

test('the coordinator adds a screen and sees its token and player settings once', async () => {
  const p = await page();
  await signIn(p, env.coordinator.email, env.coordinator.password);
  await p.goto(`${env.base}/screens.html`);
  await p.getByLabel('Toimipiste', { exact: true }).selectOption(String(W.kaakkuri));
  await p.getByLabel('Näytön nimi').fill('Käytävä');
  await p.getByRole('button', { name: 'Lisää näyttö' }).click();
  const token = p.locator('#new-token');
  await token.waitFor();
  assert.match(await token.inputValue(), /^tss_/);
  if (await p.locator('#new-config').count()) assert.match(await p.locator('#new-config').inputValue(), /screen_token/);
  await p.locator('th', { hasText: 'Käytävä' }).waitFor();
  await shot(p, 'screens-created');
  await p.reload();
  await p.locator('th', { hasText: 'Käytävä' }).waitFor();
  assert.equal(await p.locator('#new-token').count(), 0, 'shown once');
  assert.match(await p.locator('body').textContent(), /Ei yhteyttä/);
  await p.close();
  noProblems();
});

test('the pages work at 360 px and at 200 % zoom without sideways scrolling', async () => {
  const sizes = [['360', { width: 360, height: 780 }, 1], ['zoom200', { width: 640, height: 450 }, 2]];
  for (const [tag, viewport, scale] of sizes) {
    const ctx = await browser.context.browser();
    void ctx;
    const p = await page();
    await p.setViewportSize(viewport);
    await signIn(p, 'tuula@pohde.fi', W.password);
    for (const name of ['queue', 'screens', 'alerts']) {
      await p.goto(`${env.base}/${name}.html`);
      await p.locator('h1').first().waitFor();
      await p.waitForTimeout(300);
      const over = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 1, `${name} at ${tag}: ${over}px sideways`);
      await shot(p, `${tag}-${name}`);
    }
    await p.close();
    const a = await page();
    await a.setViewportSize(viewport);
    await signIn(a, 'aino@muisti.fi', W.password);
    for (const name of ['items', 'item']) {
      await a.goto(`${env.base}/${name}.html`);
      await a.locator('h1').first().waitFor();
      await a.waitForTimeout(300);
      const over = await a.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 1, `${name} at ${tag}: ${over}px sideways`);
      await shot(a, `${tag}-${name}`);
    }
    await a.close();
    void scale;
  }
  noProblems();
});
