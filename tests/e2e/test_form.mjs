// test_form.mjs: the volunteer's and the contact person's week, in a real
// browser against the real server, in Finnish and Swedish:
//  - drafts: what is typed is saved on the server as the user types (the
//    status line "Luonnos tallennettu klo 14.32" in a live region), comes
//    back when the form is opened again, is listed under "Omat
//    ilmoitukset", and goes when the item is sent; leaving with changes
//    asks first (the page's own dialog for its links, the browser's for
//    a reload or a closed tab);
//  - an organisation's defaults, set by its member on the organisation's
//    page, filled into a new item's form;
//  - "Kopioi": an earlier event as a new one, its dates moved a week on;
//  - the form's dates: "Näkyy viimeistään" is never taken from a year
//    being typed and never overwrites what the user set; a bulletin gets
//    four weeks, visible; a date error names its field in words; a date
//    fixed clears the checker's finding about it; the error summary at
//    the top follows the form as it is fixed; plain language is not
//    ticked until the volunteer says so;
//  - the queue on a phone (390 px): each entry's decision buttons near
//    its top, its parts folded, a possible duplicate flagged with a link
//    to it, in Finnish and Swedish.
// Everything runs at its own centre (Raahe) with its own volunteer and
// contact person, so the other files' queues and forms are not touched.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, signIn, axe, shot, env, STEP_TIMEOUT_MS } from './lib/browser.mjs';
import { Client, dropDrafts } from './lib/api.mjs';

const W = env.world;
const PW = 'salasana-lomake-2026';
const VILJA = 'vilja@seurakunnat.fi';
const RITVA = 'ritva@pohde.fi';
const CENTRE = 'Raahen sote-keskus';
let browser;
let world; // this file's ids
const problems = [];

const pad = (n) => String(n).padStart(2, '0');
function helsinkiDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}
const iso = (offsetSeconds) => new Date(Date.now() + offsetSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

// A page in a context of its own: each signs in with its own session
// (signing in clears the context's cookies, and with them the session
// and CSRF token of any other page in it).
async function page(viewport = null) {
  const ctx = await browser.newContext();
  const p = await newPage(ctx, problems);
  if (viewport) await p.setViewportSize(viewport);
  p.on('close', () => ctx.close().catch(() => {}));
  return p;
}

async function useLang(p, lang) {
  const name = { fi: 'Suomi', sv: 'Svenska' }[lang];
  if ((await p.locator('html').getAttribute('lang')) !== lang) await p.getByRole('button', { name, exact: true }).click();
}

function noProblems() {
  const p = problems.splice(0).filter((x) => !/status of 40[0-9]/.test(x));
  assert.deepEqual(p, []);
}

async function noSideways(p, what) {
  const w = await p.evaluate(() => document.documentElement.scrollWidth);
  const vw = p.viewportSize().width;
  assert.ok(w <= vw, `${what}: ${w} px wide at ${vw} px`);
}

async function axeClean(p, what) {
  const v = await axe(p);
  assert.deepEqual(v, [], `${what}: ${JSON.stringify(v, null, 2)}`);
}

before(async () => {
  browser = await launchBrowser();
  const c = new Client(env.base);
  await c.login(env.coordinator.email, env.coordinator.password);
  const raahe = (await c.req('POST', '/centres', { name: CENTRE, municipality: '678', languages: ['fi', 'sv'] })).id;
  const vilja = (await c.req('POST', '/users', {
    email: VILJA, name: 'Vilja Vapaaehtoinen', password: PW, contact_centres: [], organisations: [W.parish], coordinator: false,
  })).id;
  await c.req('POST', '/users', {
    email: RITVA, name: 'Ritva Yhdyshenkilö', password: PW, contact_centres: [raahe], organisations: [], coordinator: false,
  });
  world = { raahe, vilja };
});

after(async () => {
  await browser.close();
});

// Each test opens an empty form (an unsent one is kept as a draft).
beforeEach(async () => {
  await dropDrafts(env.base, VILJA, PW);
});

// Types a date into a date input with the keys, as a person does, calling
// `each` after every key. The order of its parts is the browser's (day
// first in a Finnish one, else month first): `order` 'dmy' or 'mdy', or
// null to find it out by trying (then `each` sees the tries). Returns the
// order.
async function typeDate(p, selector, ymd, { each = async () => {}, order = null } = {}) {
  const [y, m, d] = ymd.split('-');
  const typeAll = async (digits) => {
    // into the first part, as Tab from the field before puts the focus
    await p.locator(selector).focus();
    await p.keyboard.press('Shift+Tab');
    await p.keyboard.press('Tab');
    for (const ch of digits) {
      await p.keyboard.type(ch);
      await each();
    }
  };
  if (order !== 'mdy') {
    await typeAll(`${d}${m}${y}`);
    if ((await p.locator(selector).inputValue()) === ymd) return 'dmy';
    // Month first: clear the three parts (Backspace, ArrowLeft, from the
    // year back) and type it in that order.
    for (let i = 0; i < 3; i++) {
      await p.keyboard.press('Backspace');
      await p.keyboard.press('ArrowLeft');
    }
  }
  await typeAll(`${m}${d}${y}`);
  assert.equal(await p.locator(selector).inputValue(), ymd);
  return 'mdy';
}

test('a draft is kept on the server as the volunteer types, comes back, and goes when the item is sent', async () => {
  const p = await page();
  await signIn(p, VILJA, PW);
  await p.goto(`${env.base}/item.html`);
  await p.locator('h1', { hasText: 'Uusi ilmoitus' }).waitFor();
  // Plain language is a choice the volunteer makes, with its reason.
  assert.equal(await p.locator('#fi-plain').isChecked(), false);
  assert.match(await p.locator('#fi-plain-hint').textContent(), /selkokielellä/);
  assert.equal(await p.locator('#fi-plain').getAttribute('aria-describedby'), 'fi-plain-hint');

  await p.getByLabel(CENTRE).check();
  await p.locator('#category').selectOption('osallisuus');
  await p.locator('#fi-title').fill('Laulupiiri');
  await p.locator('#fi-body').fill('Laulamme yhdessä tuttuja lauluja. Tule mukaan.');
  const status = p.locator('#draft-status');
  assert.equal(await status.getAttribute('role'), 'status');
  await status.filter({ hasText: /^Luonnos tallennettu klo \d{1,2}\.\d{2}\.$/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await shot(p, 'form-draft-saved');

  // A link inside the UI asks first; staying keeps everything.
  await p.getByRole('link', { name: 'Omat ilmoitukset' }).click();
  const dialog = p.getByRole('dialog', { name: 'Ilmoitusta ei ole lähetetty' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Luonnos on tallessa/);
  await axeClean(p, 'the leave dialog');
  await shot(p, 'form-leave-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: 'Jatka muokkausta' }).click();
  assert.ok(p.url().includes('item.html'));
  assert.equal(await p.locator('#fi-title').inputValue(), 'Laulupiiri');

  // The form opened again: the draft is back, with a way to throw it away.
  const again = await page();
  await signIn(again, VILJA, PW);
  await again.goto(`${env.base}/item.html`);
  await again.locator('#draft-notice').waitFor();
  assert.match(await again.locator('#draft-notice').textContent(), /Jatkat luonnosta/);
  assert.equal(await again.locator('#fi-title').inputValue(), 'Laulupiiri');
  assert.equal(await again.locator('#fi-body').inputValue(), 'Laulamme yhdessä tuttuja lauluja. Tule mukaan.');
  assert.equal(await again.getByLabel(CENTRE).isChecked(), true);
  assert.equal(await again.locator('#category').inputValue(), 'osallisuus');
  await axeClean(again, 'the form with a restored draft');
  await again.close();

  // Listed on "Omat ilmoitukset" (leaving asks; this time the user goes).
  await p.getByRole('link', { name: 'Omat ilmoitukset' }).click();
  await p.getByRole('button', { name: 'Poistu sivulta' }).click();
  await p.waitForURL(/items\.html/);
  const drafts = p.getByRole('region', { name: 'Keskeneräiset luonnokset' });
  await drafts.waitFor();
  await drafts.getByRole('link', { name: 'Laulupiiri' }).click();
  await p.waitForURL(/item\.html$/);
  await p.locator('#draft-notice').waitFor();

  // A reload with changes the server has not got yet: the browser asks.
  const rawCtx = await browser.newContext();
  const raw = await rawCtx.newPage();
  await signIn(raw, VILJA, PW);
  await raw.goto(`${env.base}/item.html`);
  await raw.locator('#draft-notice').waitFor();
  let asked = null;
  raw.on('dialog', async (d) => {
    asked = d.type();
    await d.accept(); // leave anyway
  });
  await raw.locator('#fi-title').fill('Laulupiiri ja kahvi');
  await raw.close({ runBeforeUnload: true });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(asked, 'beforeunload', 'a closed tab with unsaved changes is asked about');
  await rawCtx.close();

  // Sent: the draft is gone.
  await p.locator('#fi-title').waitFor();
  await p.getByRole('button', { name: 'Lähetä hyväksyttäväksi' }).click();
  await p.waitForURL(/items\.html\?saved=/);
  await p.locator('li.card', { hasText: 'Laulupiiri' }).waitFor();
  assert.equal(await p.getByRole('region', { name: 'Keskeneräiset luonnokset' }).count(), 0);
  const c = new Client(env.base);
  await c.login(VILJA, PW);
  assert.deepEqual((await c.req('GET', '/drafts')).drafts, []);
  await p.close();
  noProblems();
});

test('the organisation\'s defaults are set by its member and fill a new form; in Swedish too', async () => {
  const p = await page();
  await signIn(p, VILJA, PW);
  await p.getByRole('link', { name: 'Järjestöt' }).click();
  await p.locator('h1', { hasText: 'Järjestöt' }).waitFor();
  const card = p.locator('li.card', { hasText: 'Oulun seurakunnat' });
  await card.getByLabel('Tavallinen paikka').fill('Seurakuntatalo, Kirkkotie 1');
  await card.getByLabel('Yhteystiedot').fill('p. 040 123 4567');
  await card.getByLabel('Tavallinen aihe').selectOption('vapaa-aika-kulttuuri');
  await card.getByLabel('Ruotsi').check();
  await card.getByLabel('Suomi').check();
  const [answer] = await Promise.all([
    p.waitForResponse((r) => r.url().includes('/defaults')),
    card.getByRole('button', { name: 'Tallenna oletustiedot' }).click(),
  ]);
  assert.equal(answer.status(), 200, await answer.text());
  await p.locator('#live', { hasText: 'oletustiedot on tallennettu' }).waitFor();
  assert.equal(await p.getByText('Lisää jäsen').count(), 0, 'members are the coordinator\'s');
  await axeClean(p, 'organisations as a member');

  await p.goto(`${env.base}/item.html`);
  await p.locator('h1', { hasText: 'Uusi ilmoitus' }).waitFor();
  assert.equal(await p.locator('#category').inputValue(), 'vapaa-aika-kulttuuri');
  assert.equal(await p.locator('#sv-include').isChecked(), true);
  assert.equal(await p.locator('#en-include').isChecked(), false);
  assert.equal(await p.locator('#fi-contact').inputValue(), 'p. 040 123 4567');
  assert.equal(await p.locator('#sv-contact').inputValue(), 'p. 040 123 4567');
  await p.getByLabel('Tapahtuma, jolla on alkamis- ja päättymisaika').check();
  assert.equal(await p.locator('#fi-place').inputValue(), 'Seurakuntatalo, Kirkkotie 1');
  // kept as a draft before the page is left (else the browser asks)
  await p.locator('#draft-status', { hasText: 'Luonnos tallennettu' }).waitFor();

  // The same page in Swedish.
  await useLang(p, 'sv');
  await p.goto(`${env.base}/organisations.html`);
  await p.locator('h1', { hasText: 'Organisationer' }).waitFor();
  assert.equal(await p.locator('li.card').getByLabel('Vanlig plats').inputValue(), 'Seurakuntatalo, Kirkkotie 1');
  await axeClean(p, 'organisations in Swedish');
  await useLang(p, 'fi');
  await p.close();
  // The other tests here start from no defaults.
  const c = new Client(env.base);
  await c.login(VILJA, PW);
  await c.req('PUT', `/organisations/${W.parish}/defaults`, {});
  noProblems();
});

test('"Kopioi" makes a new form from an earlier event, its dates moved a week on', async () => {
  const c = new Client(env.base);
  await c.login(VILJA, PW);
  const start = Date.parse(`${helsinkiDay(3)}T12:00:00Z`); // 14.00 Helsinki in winter, 15.00 in summer
  await c.req('POST', '/items', {
    organisation_id: W.parish, kind: 'event', category: 'ihmissuhteet', centres: [world.raahe],
    starts_at: new Date(start).toISOString().replace(/\.\d+Z$/, 'Z'), ends_at: new Date(start + 7200000).toISOString().replace(/\.\d+Z$/, 'Z'),
    display_until: new Date(start + 7200000).toISOString().replace(/\.\d+Z$/, 'Z'), step_free: true,
    texts: [{ lang: 'fi', plain: false, title: 'Perhekahvila', body: 'Tervetuloa perhekahvilaan lasten kanssa.', place: 'Kerhohuone' }],
  });
  const p = await page();
  await signIn(p, VILJA, PW);
  const card = p.locator('li.card', { hasText: 'Perhekahvila' });
  await card.getByRole('link', { name: /^Kopioi\W*Perhekahvila$/ }).click();
  await p.waitForURL(/item\.html\?copy=/);
  await p.locator('#copy-notice').waitFor();
  assert.match(await p.locator('#copy-notice').textContent(), /Perhekahvila.*7 päivää eteenpäin/s);
  assert.equal(await p.locator('h1').textContent(), 'Uusi ilmoitus');
  assert.equal(await p.locator('#fi-title').inputValue(), 'Perhekahvila');
  assert.equal(await p.locator('#fi-place').inputValue(), 'Kerhohuone');
  assert.equal(await p.locator('#step-free').isChecked(), true);
  assert.equal(await p.getByLabel(CENTRE).isChecked(), true);
  const want = helsinkiDay(10);
  assert.equal(await p.locator('#start-date').inputValue(), want);
  assert.equal(await p.locator('#end-date').inputValue(), want);
  assert.equal(await p.locator('#until-date').inputValue(), want);
  assert.equal(await p.locator('#start-time').inputValue(), (await p.evaluate((ms) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Helsinki', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms), start)));
  await axeClean(p, 'a copied form');
  await shot(p, 'form-copy');
  await p.getByRole('button', { name: 'Lähetä hyväksyttäväksi' }).click();
  await p.waitForURL(/items\.html\?saved=/);
  assert.equal((await c.req('GET', '/items')).items.filter((x) => x.texts.fi && x.texts.fi.title === 'Perhekahvila').length, 2);
  await p.close();
  noProblems();
});

test('the form\'s dates: never from a half-typed year, never over the user\'s; a fixed date clears its finding; the summary follows', async () => {
  const p = await page();
  await signIn(p, VILJA, PW);
  await p.goto(`${env.base}/item.html`);
  await p.locator('h1', { hasText: 'Uusi ilmoitus' }).waitFor();
  // A bulletin is shown four weeks unless the volunteer says otherwise.
  await p.getByLabel('Tiedote', { exact: true }).check();
  assert.equal(await p.locator('#until-date').inputValue(), helsinkiDay(28));
  assert.equal(await p.locator('#until-time').inputValue(), '23:59');

  // An event: the display end follows the end, only once it is a date.
  await p.getByLabel('Tapahtuma, jolla on alkamis- ja päättymisaika').check();
  assert.equal(await p.locator('#until-date').inputValue(), '', 'no bulletin default on an event');
  const day = helsinkiDay(12);
  const order = await typeDate(p, '#start-date', day); // learns the browser's order
  await p.locator('#start-time').fill('14:00');
  const seen = new Set();
  await typeDate(p, '#end-date', day, {
    order,
    each: async () => {
      seen.add(await p.locator('#until-date').inputValue());
    },
  });
  for (const v of seen) assert.ok(v === '' || v === day, `display end while the year was typed: ${v}`);
  assert.equal(await p.locator('#until-date').inputValue(), day);
  await p.locator('#end-time').fill('16:00');
  assert.equal(await p.locator('#until-time').inputValue(), '16:00');
  // The volunteer sets it; a later change of the end leaves it alone.
  await p.locator('#until-date').fill(helsinkiDay(13));
  await p.locator('#until-time').fill('12:00');
  await p.locator('#end-time').fill('17:00');
  await p.locator('#end-date').fill(helsinkiDay(12));
  assert.equal(await p.locator('#until-date').inputValue(), helsinkiDay(13));
  assert.equal(await p.locator('#until-time').inputValue(), '12:00');

  // A date finding goes when the date is fixed (no text typed).
  await p.locator('#fi-title').fill('Kuorolaulu');
  await p.locator('#fi-body').fill('Laulamme kuorossa. Uudet laulajat ovat tervetulleita.');
  await p.locator('#end-time').fill('13:00'); // before the start
  const finding = p.locator('#panel-fi .findings li.sev-error', { hasText: /päätty/i });
  await finding.first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await p.locator('#end-time').fill('16:00');
  await p.waitForFunction(() => ![...document.querySelectorAll('#panel-fi .findings li')].some((li) => /päätty/i.test(li.textContent)), null, { timeout: STEP_TIMEOUT_MS });

  // Send with things missing: the summary lists them, and shrinks as
  // they are fixed, without taking the focus.
  await p.locator('#until-date').fill('1999-12-01');
  await p.getByRole('button', { name: 'Lähetä hyväksyttäväksi' }).click();
  const summary = p.locator('.error-summary');
  await summary.waitFor();
  const items = async () => summary.locator('li').allTextContents();
  let list = await items();
  assert.ok(list.some((x) => /Valitse ainakin yksi toimipiste/.test(x)), list.join(' | '));
  assert.ok(list.some((x) => /Valitse aihe/.test(x)), list.join(' | '));
  assert.ok(list.some((x) => /Näkyy viimeistään.*päivä ei ole kelvollinen/.test(x)), `the date names its field: ${list.join(' | ')}`);
  await shot(p, 'form-summary-3');
  await p.locator('#category').focus();
  await p.locator('#category').selectOption('osallisuus');
  await p.waitForFunction(() => ![...document.querySelectorAll('.error-summary li')].some((li) => /Valitse aihe/.test(li.textContent)));
  assert.equal(await p.evaluate(() => document.activeElement.id), 'category', 'the focus stays where the user works');
  list = await items();
  assert.equal(list.length, 2, list.join(' | '));
  await p.getByLabel(CENTRE).check();
  await p.locator('#until-date').fill(helsinkiDay(13));
  await summary.waitFor({ state: 'detached' });
  await p.locator('#live', { hasText: 'Kaikki merkityt kohdat on korjattu.' }).waitFor();
  await axeClean(p, 'the form after its fixes');
  await p.getByRole('button', { name: 'Lähetä hyväksyttäväksi' }).click();
  await p.waitForURL(/items\.html\?saved=/);
  await p.close();
  noProblems();
});

test('the same in Swedish: the bulletin\'s four weeks, plain language a choice, a date error by its field', async () => {
  const p = await page();
  await signIn(p, VILJA, PW);
  await useLang(p, 'sv');
  await p.goto(`${env.base}/item.html`);
  await p.locator('h1', { hasText: 'Nytt meddelande' }).waitFor();
  assert.equal(await p.locator('#until-date').inputValue(), helsinkiDay(28));
  assert.equal(await p.locator('#sv-plain').isChecked(), false);
  assert.match(await p.locator('#sv-plain-hint').textContent(), /lättläst/);
  await p.locator('#until-date').fill('1999-01-01');
  await p.getByRole('button', { name: 'Skicka för godkännande' }).click();
  const summary = p.locator('.error-summary');
  await summary.waitFor();
  assert.match(await summary.textContent(), /Visas senast till.*inte ett giltigt datum/);
  await axeClean(p, 'the Swedish form with errors');
  await useLang(p, 'fi');
  await p.close();
  noProblems();
});

test('the checker names a screen in words, in Finnish and Swedish; its figures are not the volunteer\'s', async () => {
  const p = await page();
  await signIn(p, VILJA, PW);
  await p.goto(`${env.base}/item.html`);
  await p.locator('h1', { hasText: 'Uusi ilmoitus' }).waitFor();
  await p.getByLabel('Tuiran hyvinvointikeskus').check();
  await p.locator('#fi-title').fill('Kävelyryhmä');
  await p.locator('#fi-body').fill('Tule mukaan kävelylle. Lähdemme pihalta yhdessä. Kävelemme puistoon ja takaisin. '
    + 'Matka on noin kaksi kilometriä. Voit kävellä omaan tahtiin. Kukaan ei jää yksin. Ota mukaan hyvät kengät ja vettä. '
    + 'Sade ei haittaa. Juomme lopuksi mehua. Ryhmään ei tarvitse ilmoittautua. Ohjaaja on paikalla aina ennen lähtöä. '
    + 'Kysy häneltä lisää. Tervetuloa mukaan!');
  const fit = p.locator('#panel-fi .findings li.sev-error', { hasText: 'ei mahdu' });
  await fit.first().waitFor({ timeout: STEP_TIMEOUT_MS });
  const text = await fit.first().textContent();
  assert.match(text, /Tuiran hyvinvointikeskus, vaakanäyttö \(55 tuumaa\), luetaan 3 metrin päästä/);
  assert.doesNotMatch(text, /1920|55"|3 m\b/);
  await useLang(p, 'sv');
  await p.locator('#panel-fi .findings li.sev-error', { hasText: 'liggande skärm (55 tum), läses på 3 meters avstånd' }).first().waitFor();
  await useLang(p, 'fi');
  await p.close();
  noProblems();
});

test('the queue on a phone: the decision at the top of each entry, its parts folded, a duplicate flagged (fi, sv)', async () => {
  const c = new Client(env.base);
  await c.login(VILJA, PW);
  const body = 'Tule laulamaan joululauluja seurakuntatalolle. Kahvia ja pipareita on tarjolla kaikille.';
  const mk = (title, text) => c.req('POST', '/items', {
    organisation_id: W.parish, kind: 'bulletin', category: 'vapaa-aika-kulttuuri', centres: [world.raahe], display_until: iso(9 * 86400),
    texts: [{ lang: 'fi', plain: false, title, body: text }, { lang: 'sv', plain: false, title: `${title} (sv)`, body: 'Kom och sjung julsånger i församlingshemmet.' }],
  });
  await mk('Joululaulut', body);
  await mk('Joululaulut', body.replace('kaikille', 'kaikille kävijöille'));
  // A sentence of 18 words: a warning whose figures are the approver's.
  await mk('Kirkkokonsertti', 'Kuoro laulaa joulun tuttuja lauluja kirkossa keskiviikkona illalla ja kaikki kuulijat saavat laulaa yhdessä kuoron kanssa kaikissa lauluissa. Tervetuloa.');
  for (const lang of ['fi', 'sv']) {
    const p = await page({ width: 390, height: 844 });
    await signIn(p, RITVA, PW);
    await useLang(p, lang);
    await p.goto(`${env.base}/queue.html`);
    const cards = p.locator('li.card[data-placement]');
    // oldest first: the two newest there means every entry is
    await p.locator('li.card h2', { hasText: 'Joululaulut' }).nth(1).waitFor();
    const n = await cards.count();
    assert.ok(n >= 3, `${n} entries`);
    for (let i = 0; i < n; i++) {
      const card = cards.nth(i);
      const top = (await card.boundingBox()).y;
      const btn = (await card.getByRole('button', { name: lang === 'fi' ? /^Hyväksy/ : /^Godkänn/ }).boundingBox()).y;
      assert.ok(btn - top < 420, `entry ${i}: the approve button is ${Math.round(btn - top)} px down`);
      // the content is folded on a phone
      for (const d of await card.locator('details.queue-part').all()) assert.equal(await d.getAttribute('open'), null);
    }
    const tall = await cards.evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().height)));
    assert.ok(tall < 900, `an entry is ${Math.round(tall)} px tall`);
    // The later one says it may duplicate the earlier, with a link to it.
    const later = p.locator(`li.card:has(h2:text-is("${lang === 'fi' ? 'Joululaulut' : 'Joululaulut (sv)'}"))`).last();
    const note = later.locator('.dupe-note');
    await note.waitFor();
    assert.match(await note.textContent(), lang === 'fi' ? /Mahdollinen kaksoiskappale:\s*”Joululaulut”.*odottaa hyväksyntää/s : /Möjlig dubblett:\s*”Joululaulut \(sv\)”.*väntar på godkännande/s);
    // The checker's message in words, and its figures under "Lisätiedot".
    const concert = p.locator('li.card', { has: p.locator('h2', { hasText: 'Kirkkokonsertti' }) });
    await concert.locator('details.queue-part > summary').first().click();
    const more = concert.locator('.findings details.finding-details');
    await more.first().waitFor();
    assert.equal(await more.first().locator('summary').textContent(), lang === 'fi' ? 'Lisätiedot' : 'Mer information');
    await more.first().locator('summary').click();
    assert.match(await more.first().textContent(), lang === 'fi' ? /18 sanaa/ : /18 ord/);
    await noSideways(p, `queue at 390 px (${lang})`);
    await axeClean(p, `queue at 390 px (${lang})`);
    await shot(p, `queue-390-${lang}`);
    const link = note.getByRole('link').first();
    const href = await link.getAttribute('href');
    assert.match(href, /^#q-\d+-title$/);
    await link.click();
    assert.equal(await p.evaluate(() => document.activeElement && document.activeElement.id), href.slice(1));
    // Opening the content shows it whole, and the approval is one tap.
    const entry = p.locator('li.card', { has: p.locator(`h2${href}`) });
    await entry.locator('details.queue-part > summary').nth(1).click();
    await entry.locator('.item-content').waitFor();
    await noSideways(p, `an opened entry at 390 px (${lang})`);
    if (lang === 'sv') {
      await entry.getByRole('button', { name: /^Godkänn/ }).click();
      await entry.locator('.state-approved').waitFor();
    }
    await p.close();
  }
  // The approved one is still flagged on the other, as approved, and its
  // link leads to the item.
  const p = await page({ width: 390, height: 844 });
  await signIn(p, RITVA, PW);
  const still = p.locator('li.card .dupe-note', { hasText: 'hyväksytty' });
  await still.waitFor();
  await still.getByRole('link').click();
  await p.waitForURL(/queue\.html\?item=\d+/);
  await p.locator('#item-title', { hasText: 'Joululaulut' }).waitFor();
  await noSideways(p, 'an item at 390 px');
  await axeClean(p, 'an item at 390 px');
  await p.close();
  noProblems();
});
