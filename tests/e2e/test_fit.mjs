// test_fit.mjs: one card, one page in the web UI, in a real browser against
// the real server. The item form's short screen text ("Näytöllä näkyvä
// teksti" / "Text på skärmen"): a text too long for the centre's screens
// is an error naming the screen; with a short screen text the card fits
// and the error goes. The screens page shows what each screen holds at
// its distance (the renderer's capacity) and, in the form for a new
// screen, what the profile being typed holds, with the remedy in words
// when that is too little. Both pages in Finnish and Swedish, with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, axe, shot, env, STEP_TIMEOUT_MS } from './lib/browser.mjs';

const W = env.world;
let browser;
const problems = [];

function helsinkiDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

function noProblems() {
  const p = problems.splice(0).filter((x) => !/status of 401/.test(x));
  assert.deepEqual(p, []);
}

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
});

const LONG = 'Kävelemme yhdessä puistossa joka tiistai. Lähtö on pääovelta. '
  + 'Matka on noin kaksi kilometriä. Voit kävellä omaan tahtiin. Kukaan ei jää yksin. '
  + 'Ota mukaan hyvät kengät ja vettä. Sade ei haittaa. Juomme lopuksi mehua.';

test('the short screen text: a body too long for the screens is refused naming the screen, the short text fits', async () => {
  const p = await newPage(browser.context, problems);
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.goto(`${env.base}/item.html`);
  await p.locator('h1', { hasText: 'Uusi ilmoitus' }).waitFor();
  await p.getByLabel('Tuiran hyvinvointikeskus').check();
  await p.getByLabel('Aihe').selectOption('elintavat');
  await p.locator('#fi-title').fill('Puistokävely');
  await p.locator('#until-date').fill(helsinkiDay(10));
  await p.locator('#until-time').fill('16:00');
  await p.locator('#fi-body').fill(LONG);
  const summary = p.locator('#fi-summary');
  assert.equal(await p.locator('label[for="fi-summary"]').textContent(), 'Näytöllä näkyvä teksti (vapaaehtoinen)');
  // the fit error names the screen (the world's "Aula 1", 55" at 3 m)
  const fit = p.locator('#panel-fi .findings li.sev-error', { hasText: 'Aula 1' });
  await fit.first().waitFor({ timeout: STEP_TIMEOUT_MS });
  assert.match(await fit.first().textContent(), /yhdelle sivulle/);
  assert.match(await fit.first().textContent(), /näytöllä näkyvä teksti/);
  await shot(p, 'fit-too-long');
  // a short text for the screen: the card fits, the error goes
  await summary.fill('Tule kävelemään tiistaisin.');
  await p.waitForFunction(() => ![...document.querySelectorAll('#panel-fi .findings li.sev-error')]
    .some((li) => /Aula 1/.test(li.textContent)), null, { timeout: STEP_TIMEOUT_MS });
  await shot(p, 'fit-summary');
  const left = await p.locator('#panel-fi .findings li.sev-error').allTextContents();
  assert.deepEqual(left, [], 'no error left');
  assert.equal(await p.getByRole('button', { name: 'Lähetä hyväksyttäväksi' }).getAttribute('aria-disabled'), 'false');
  let v = await axe(p);
  assert.deepEqual(v, [], 'axe: the form with a short screen text');
  // in Swedish: the same field, its own words
  await p.getByRole('button', { name: 'Svenska' }).click();
  assert.equal(await p.locator('label[for="fi-summary"]').textContent(), 'Text på skärmen (frivilligt)');
  assert.equal(await summary.inputValue(), 'Tule kävelemään tiistaisin.');
  v = await axe(p);
  assert.deepEqual(v, [], 'axe: the form in Swedish');
  await p.getByRole('button', { name: 'Suomi' }).click();
  // sent: the item keeps both texts
  await p.getByRole('button', { name: 'Lähetä hyväksyttäväksi' }).click();
  await p.waitForURL(/items\.html\?saved=/);
  const id = new URL(p.url()).searchParams.get('saved');
  const item = await p.evaluate(async (i) => (await fetch(`/api/v1/items/${i}`)).json(), id);
  assert.equal(item.texts.fi.summary, 'Tule kävelemään tiistaisin.');
  assert.equal(item.texts.fi.body, LONG);
  await p.close();
  noProblems();
});

test('the screens page shows what each screen holds, and what a new profile would hold, in Finnish and Swedish', async () => {
  const p = await newPage(browser.context, problems);
  await signIn(p, env.coordinator.email, env.coordinator.password);
  await p.goto(`${env.base}/screens.html`);
  await p.locator('h1').waitFor();
  // the world's screens: 55" 1080p read from 3 m
  const header = p.getByRole('columnheader', { name: 'Mahtuu' }).first();
  await header.waitFor();
  const row = p.getByRole('row', { name: /Aula 1/ }).first();
  await p.waitForFunction(() => [...document.querySelectorAll('tr')].some((tr) => /Aula 1/.test(tr.textContent) && /\d+ riviä/.test(tr.textContent)), null, { timeout: STEP_TIMEOUT_MS });
  assert.match(await row.textContent(), /\d+ riviä/);
  // a profile that holds too little: the remedy in words, measured
  await p.locator('#new-width').fill('3840');
  await p.locator('#new-height').fill('2160');
  await p.locator('#new-diagonal').fill('43');
  await p.locator('#new-distance').fill('4');
  const cap = p.locator('#new-capacity');
  await p.waitForFunction(() => /lähemmäs/.test(document.querySelector('#new-capacity').textContent), null, { timeout: STEP_TIMEOUT_MS });
  assert.match(await cap.textContent(), /Näytölle mahtuu 0 riviä/);
  await shot(p, 'screens-capacity-fi');
  let v = await axe(p);
  assert.deepEqual(v, [], 'axe: the screens page');
  await p.getByRole('button', { name: 'Svenska' }).click();
  await p.waitForFunction(() => /närmare/.test(document.querySelector('#new-capacity').textContent), null, { timeout: STEP_TIMEOUT_MS });
  assert.match(await p.getByRole('row', { name: /Aula 1/ }).first().textContent(), /\d+ rader/);
  await shot(p, 'screens-capacity-sv');
  v = await axe(p);
  assert.deepEqual(v, [], 'axe: the screens page in Swedish');
  await p.getByRole('button', { name: 'Suomi' }).click();
  // a good profile: enough, no remedy
  await p.locator('#new-distance').fill('2');
  await p.waitForFunction(() => !/lähemmäs/.test(document.querySelector('#new-capacity').textContent)
    && /riviä/.test(document.querySelector('#new-capacity').textContent), null, { timeout: STEP_TIMEOUT_MS });
  await p.close();
  noProblems();
});
