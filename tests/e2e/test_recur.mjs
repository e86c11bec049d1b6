// test_recur.mjs: repeating events in the web UI, in a real browser
// against the real server. A volunteer enters a weekly group once in
// Finnish and sees the rule in the screen's words and the next dates
// while filling in the form (axe on the open section, the section worked
// with the keyboard); the list says "joka tiistai klo 14–16" and, in
// Swedish, "varje tisdag kl. 14.00–16.00"; one time is cancelled and
// restored from the list; a second series is made with the form in
// Swedish ("varannan onsdag"); the contact person approves the series
// once and, after the volunteer edits the rule, reads the change in words.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, signIn, axe, shot, env, STEP_TIMEOUT_MS } from './lib/browser.mjs';
import { dropDrafts } from './lib/api.mjs';

const W = env.world;
let browser;
const problems = [];

const TITLE_FI = 'Lukupiiri';
const TITLE_SV = 'Sångstund';
const BODY = 'Luemme yhdessä kirjaa. Kahvi on ilmaista.';

// The date (YYYY-MM-DD, Helsinki) of the first given ISO weekday (1 =
// Monday) at least `minDays` from now, plus `weeks` weeks.
function helsinkiWeekday(wd, minDays, weeks = 0) {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' });
  for (let i = minDays; i < minDays + 7; i++) {
    const d = new Date(Date.now() + i * 86400000);
    const [y, m, dd] = fmt.format(d).split('-').map(Number);
    const utc = new Date(Date.UTC(y, m - 1, dd));
    if (((utc.getUTCDay() + 6) % 7) + 1 === wd) {
      const later = new Date(utc.getTime() + weeks * 7 * 86400000);
      return later.toISOString().slice(0, 10);
    }
  }
  throw new Error('no such day');
}

// A picture of one element (the section, a list entry) beside the page's.
async function part(locator, name) {
  mkdirSync(env.shots, { recursive: true });
  await locator.screenshot({ path: join(env.shots, `${name}.png`) });
}

async function page() {
  return newPage(browser.context, problems);
}

function noProblems() {
  const p = problems.splice(0).filter((x) => !/status of 401/.test(x));
  assert.deepEqual(p, []);
}

before(async () => {
  browser = await launch();
});

// Each test's form starts empty (an unsent form is kept as a draft).
beforeEach(async () => {
  await dropDrafts(env.base, 'aino@muisti.fi', W.password);
});

after(async () => {
  await browser.close();
});

// The first occurrence's fields of the item form, and the category,
// centre, title and body.
async function fillEvent(p, { kindLabel, centre, category, title, date, from, to }) {
  await p.getByLabel(kindLabel).check();
  await p.getByLabel(centre).check();
  await p.locator('#category').selectOption(category);
  await p.locator('#fi-title').fill(title);
  await p.locator('#fi-body').fill(BODY);
  await p.locator('#start-date').fill(date);
  await p.locator('#start-time').fill(from);
  await p.locator('#start-time').dispatchEvent('change');
  await p.locator('#end-date').fill(date);
  await p.locator('#end-time').fill(to);
  await p.locator('#end-time').dispatchEvent('change');
}

test('a weekly group entered once in Finnish: the rule in words while typing, in the list in fi and sv', async () => {
  const p = await page();
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.getByRole('link', { name: 'Uusi ilmoitus', exact: true }).click();
  await p.locator('h1', { hasText: 'Uusi ilmoitus' }).waitFor();
  const first = helsinkiWeekday(2, 3);
  const last = helsinkiWeekday(2, 3, 5);
  await fillEvent(p, {
    kindLabel: 'Tapahtuma, jolla on alkamis- ja päättymisaika', centre: 'Tuiran hyvinvointikeskus',
    category: 'vapaa-aika-kulttuuri', title: TITLE_FI, date: first, from: '14:00', to: '16:00',
  });

  // The section: a fieldset with its legend; switched on with the
  // keyboard, the first time's weekday is chosen for the volunteer.
  const section = p.getByRole('group', { name: 'Toistuva tapahtuma' });
  await section.waitFor();
  assert.equal(await p.locator('#repeat-fields').isHidden(), true);
  await p.locator('#repeat-on').focus();
  await p.keyboard.press('Space');
  await p.locator('#repeat-fields').waitFor();
  assert.equal(await p.getByLabel('tiistai', { exact: true }).isChecked(), true);
  assert.equal(await p.getByLabel('Viikoittain, valittuina viikonpäivinä').isChecked(), true);
  await p.getByLabel('Viimeinen kerta').fill(last);
  await p.getByLabel('Viimeinen kerta').dispatchEvent('change');
  assert.equal(await p.locator('#until-date').inputValue(), last, 'the display end follows the last time');

  // The live summary, in the screen's words, with the next dates.
  const summary = p.locator('#repeat-summary');
  await summary.locator('.repeat-words', { hasText: 'joka tiistai klo 14–16' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await summary.getByText('Yhteensä 6 kertaa.').waitFor({ timeout: STEP_TIMEOUT_MS });
  assert.equal(await summary.getAttribute('role'), 'status');

  // A day with no meeting (the second Tuesday), added and shown as a chip.
  const second = helsinkiWeekday(2, 3, 1);
  await p.getByLabel('Päivä, jona ei kokoonnuta').fill(second);
  await p.getByRole('button', { name: 'Lisää päivä' }).click();
  await summary.getByText('Yhteensä 5 kertaa.').waitFor({ timeout: STEP_TIMEOUT_MS });
  assert.equal(await p.locator('.chips li').count(), 1);

  // Every other week: that day is no longer a date of the series, and the
  // server says so; without it the words follow.
  await p.getByLabel('Kuinka monen viikon välein').selectOption('2');
  await summary.locator('.error-message', { hasText: 'Tänä päivänä ei ole sarjan kertaa.' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await p.getByRole('button', { name: /^Poista päivä/ }).click();
  await summary.locator('.repeat-words', { hasText: 'joka toinen tiistai klo 14–16' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await p.getByLabel('Kuinka monen viikon välein').selectOption('1');
  await summary.locator('.repeat-words', { hasText: 'joka tiistai klo 14–16' }).waitFor({ timeout: STEP_TIMEOUT_MS });

  const v = await axe(p);
  assert.deepEqual(v, [], JSON.stringify(v, null, 2));
  await shot(p, 'recur-form-fi');
  await part(p.locator('#repeat'), 'recur-section-fi');

  // A language switch reads the summary in Swedish at once.
  await p.getByRole('button', { name: 'Svenska' }).click();
  await summary.locator('.repeat-words', { hasText: 'varje tisdag kl. 14.00–16.00' }).waitFor();
  await p.getByRole('button', { name: 'Suomi' }).click();

  await p.getByRole('button', { name: 'Lähetä hyväksyttäväksi' }).click();
  await p.waitForURL(/items\.html\?saved=/);
  const card = p.locator('li.card', { hasText: TITLE_FI });
  await card.waitFor();
  assert.match(await card.textContent(), /Toistuujoka tiistai klo 14–16/);
  assert.match(await card.textContent(), /Seuraavat kerrat/);
  await shot(p, 'recur-items-fi');
  await p.getByRole('button', { name: 'Svenska' }).click();
  await p.locator('li.card', { hasText: TITLE_FI }).getByText('varje tisdag kl. 14.00–16.00').waitFor();
  await shot(p, 'recur-items-sv');
  await p.getByRole('button', { name: 'Suomi' }).click();
  await p.close();
  noProblems();
});

test('one time cancelled and restored from the list; the series stays as it was', async () => {
  const p = await page();
  await signIn(p, 'aino@muisti.fi', W.password);
  const card = p.locator('li.card', { hasText: TITLE_FI });
  await card.waitFor();
  const second = () => card.locator('.occurrences li').nth(1);
  await second().getByRole('button', { name: /^Peru tämä kerta/ }).click();
  await second().getByText('peruttu', { exact: true }).waitFor();
  await p.waitForFunction(() => /on peruttu/.test(document.querySelector('#live').textContent));
  // focus stays on the same time's button, now "Palauta"
  assert.match(await p.evaluate(() => document.activeElement.textContent), /Palauta/);
  assert.match(await card.textContent(), /Odottaa hyväksyntää/, 'no state changed');
  await shot(p, 'recur-cancelled');
  await part(card, 'recur-cancelled-card');
  const v = await axe(p);
  assert.deepEqual(v, [], JSON.stringify(v, null, 2));
  await second().getByRole('button', { name: /^Palauta/ }).click();
  await second().getByRole('button', { name: /^Peru tämä kerta/ }).waitFor();
  await p.close();
  noProblems();
});

test('a series made with the form in Swedish: "varannan onsdag"', async () => {
  const p = await page();
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.getByRole('button', { name: 'Svenska' }).click();
  await p.goto(`${env.base}/item.html`);
  await p.locator('h1', { hasText: 'Nytt meddelande' }).waitFor();
  const first = helsinkiWeekday(3, 3);
  await fillEvent(p, {
    kindLabel: 'Evenemang med start- och sluttid', centre: 'Tuiran hyvinvointikeskus',
    category: 'vapaa-aika-kulttuuri', title: TITLE_SV, date: first, from: '10:00', to: '11:30',
  });
  await p.getByLabel('Evenemanget upprepas').check();
  assert.equal(await p.getByLabel('onsdag', { exact: true }).isChecked(), true);
  await p.getByLabel('Med hur många veckors mellanrum').selectOption('2');
  await p.getByLabel('Sista gången').fill(helsinkiWeekday(3, 3, 8));
  await p.getByLabel('Sista gången').dispatchEvent('change');
  const summary = p.locator('#repeat-summary');
  await summary.locator('.repeat-words', { hasText: 'varannan onsdag kl. 10.00–11.30' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await summary.getByText('Sammanlagt 5 gånger.').waitFor({ timeout: STEP_TIMEOUT_MS });
  const v = await axe(p);
  assert.deepEqual(v, [], JSON.stringify(v, null, 2));
  await shot(p, 'recur-form-sv');
  await part(p.locator('#repeat'), 'recur-section-sv');
  await p.getByRole('button', { name: 'Skicka för godkännande' }).click();
  await p.waitForURL(/items\.html\?saved=/);
  await p.locator('li.card', { hasText: TITLE_SV }).getByText('varannan onsdag kl. 10.00–11.30').waitFor();
  await p.getByRole('button', { name: 'Suomi' }).click();
  await p.locator('li.card', { hasText: TITLE_SV }).getByText('joka toinen keskiviikko klo 10–11.30').waitFor();
  await p.close();
  noProblems();
});

test('the contact person approves the series once and reads an edit of the rule in words', async () => {
  const c = await page();
  await signIn(c, 'tuula@pohde.fi', W.password);
  // By its title: the Swedish series has the same text and is flagged as
  // a possible duplicate of this one, naming it.
  const byTitle = (pg) => pg.locator('li.card', { has: pg.locator('h2', { hasText: TITLE_FI }) });
  let card = byTitle(c);
  await card.waitFor();
  assert.match(await card.textContent(), /joka tiistai klo 14–16/);
  await card.getByRole('button', { name: /^Hyväksy/ }).click();
  await card.locator('.state-approved').waitFor();
  await c.close();

  // The volunteer makes it every other week: back to review.
  const p = await page();
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.locator('li.card', { hasText: TITLE_FI }).getByRole('link', { name: 'Muokkaa' }).click();
  await p.locator('#repeat-fields').waitFor();
  assert.equal(await p.locator('#repeat-on').isChecked(), true);
  await p.getByLabel('Kuinka monen viikon välein').selectOption('2');
  await p.locator('#repeat-summary .repeat-words', { hasText: 'joka toinen tiistai klo 14–16' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await p.getByRole('button', { name: 'Tallenna ja lähetä uudelleen hyväksyttäväksi' }).click();
  await p.waitForURL(/items\.html\?saved=/);
  await p.close();

  const c2 = await page();
  await signIn(c2, 'tuula@pohde.fi', W.password);
  card = byTitle(c2);
  await card.waitFor();
  const changes = card.locator('ul.changes');
  await changes.waitFor();
  const text = await changes.textContent();
  assert.match(text, /Toisto/);
  assert.match(text, /joka tiistai klo 14–16/);
  assert.match(text, /joka toinen tiistai klo 14–16/);
  const v = await axe(c2);
  assert.deepEqual(v, [], JSON.stringify(v, null, 2));
  await shot(c2, 'recur-queue-change');
  await part(changes, 'recur-queue-changes');
  await c2.close();
  noProblems();
});
