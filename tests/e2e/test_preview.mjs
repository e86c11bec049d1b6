// test_preview.mjs: the preview of the real target screens, in a real
// browser against the real server. A volunteer chooses two centres: every
// distinct screen of them is listed (two of the same kind once, named
// together), each with its pages drawn by the server and the fit verdict
// in words; the screen the text does not fit says so. The pictures have
// their alternative in words, the box of screens is reached and scrolled
// by keyboard, nothing below the panel moves when the preview arrives,
// and the words follow the UI's language (fi, sv). The queue shows the
// same for its centre. Screenshots: preview-screens*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, axe, shot, env, STEP_TIMEOUT_MS } from './lib/browser.mjs';
import { Client, dropDrafts } from './lib/api.mjs';

const W = env.world;
let browser;
const problems = [];
let pudas;

function noProblems() {
  const p = problems.splice(0).filter((x) => !/status of 401/.test(x));
  assert.deepEqual(p, []);
}

before(async () => {
  browser = await launch();
  // A centre of its own with two other kinds of screen: a portrait panel
  // in a corridor and a 43" 4K panel read from 4 m (what a text that fits
  // Tuira's lobby may not fit).
  const c = new Client(env.base);
  await c.login(env.coordinator.email, env.coordinator.password);
  pudas = (await c.req('POST', '/centres', { name: 'Pudasjärven sote-keskus', municipality: '615', languages: ['fi', 'sv'] })).id;
  await c.req('POST', '/screens', { centre_id: pudas, name: 'Pudasjärvi, hissit', orientation: 'portrait', width_px: 1080, height_px: 1920, diagonal_in: 43, viewing_distance_m: 2.5 });
  await c.req('POST', '/screens', { centre_id: pudas, name: 'Pudasjärvi, odotus', orientation: 'landscape', width_px: 3840, height_px: 2160, diagonal_in: 43, viewing_distance_m: 4 });
  await dropDrafts(env.base, 'aino@muisti.fi', W.password);
});

after(async () => {
  await browser.close();
});

test('every target screen, every page, the verdict in words; by keyboard, in fi and sv, nothing moves', async () => {
  const p = await newPage(browser.context, problems);
  // hold the first preview: the send button must be where it was when it comes
  let release;
  const gate = new Promise((r) => { release = r; });
  let asked;
  const first = new Promise((r) => { asked = r; });
  await p.route('**/api/v1/preview/screens', async (route) => {
    asked();
    await gate;
    await route.continue();
  });
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.goto(`${env.base}/item.html`);
  await p.locator('h1', { hasText: 'Uusi ilmoitus' }).waitFor();
  await p.getByLabel('Tuiran hyvinvointikeskus').check();
  await p.getByLabel('Pudasjärven sote-keskus').check();
  await p.locator('#fi-title').fill('Kävelyryhmä');
  await p.locator('#fi-body').fill('Lähdemme kävelylle pihalta. Tule mukaan!');
  const panel = p.locator('.preview');
  const box = panel.locator('.preview-box');
  const send = p.getByRole('button', { name: 'Lähetä hyväksyttäväksi' });
  await first;
  await panel.getByText('Esikatselua tehdään…').waitFor();
  const gap = async () => (await send.boundingBox()).y - (await panel.boundingBox()).y;
  const before = await gap();
  const t0 = Date.now();
  release();
  await p.waitForFunction((el) => el.querySelectorAll('canvas').length > 0
    && el.querySelector('[role="status"]').textContent === '', await panel.elementHandle(), { timeout: STEP_TIMEOUT_MS });
  console.log(`preview of the screens drawn in ${Date.now() - t0} ms`);
  assert.equal(await gap(), before, 'the send button stays where it was below the preview');

  // three kinds of screen: Tuira's two lobby screens are one (named together)
  const screens = box.locator('li.preview-screen');
  assert.equal(await screens.count(), 3);
  const names = await screens.locator('h3').allTextContents();
  assert.ok(names.some((n) => /Tuiran hyvinvointikeskus, vaakanäyttö \(55 tuumaa\), luetaan 3 metrin päästä/.test(n)), names.join(' | '));
  assert.ok(names.some((n) => /pystynäyttö \(43 tuumaa\)/.test(n)), names.join(' | '));
  // the lobby screen: fits; the 4K panel read from 4 m: does not, in words naming it
  const lobby = screens.nth(names.findIndex((n) => /55 tuumaa/.test(n)));
  assert.match(await lobby.locator('.verdict').textContent(), /^Mahtuu näytölle yhdelle sivulle\./);
  const far = screens.nth(names.findIndex((n) => /luetaan 4 metrin päästä/.test(n)));
  const farVerdict = await far.locator('.verdict').textContent();
  assert.match(farVerdict, /^Ei mahdu /);
  assert.match(farVerdict, /Pudasjärvi, odotus/);
  // every picture has its alternative in words: the screen and the page
  for (const label of await box.locator('canvas').evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label')))) {
    assert.match(label, /^Esikatselu: ilmoitus näytöllä .+, sivu \d+\/\d+$/);
  }
  assert.ok(await box.locator('canvas[role="img"]').count() >= 3);
  await shot(p, 'preview-screens');

  // by keyboard: the box takes focus (in the tab order) and arrows scroll it
  assert.equal(await box.getAttribute('tabindex'), '0');
  assert.equal(await box.getAttribute('aria-label'), 'Kohdenäytöt');
  await box.focus();
  assert.equal(await p.evaluate(() => document.activeElement.classList.contains('preview-box')), true);
  const scrollable = await box.evaluate((el) => el.scrollHeight > el.clientHeight);
  if (scrollable) {
    await p.keyboard.press('PageDown');
    await p.waitForFunction((el) => el.scrollTop > 0, await box.elementHandle());
  }
  let v = await axe(p);
  assert.deepEqual(v, [], 'axe: the form with the preview of the screens');

  // in Swedish: the screens' words and the verdicts in Swedish
  await p.getByRole('button', { name: 'Svenska' }).click();
  await box.locator('h3', { hasText: 'läses på 3 meters avstånd' }).first().waitFor();
  assert.match(await lobby.locator('.verdict').textContent(), /^Ryms på skärmen på en sida\./);
  assert.equal(await box.getAttribute('aria-label'), 'Målskärmar');
  v = await axe(p);
  assert.deepEqual(v, [], 'axe: in Swedish');
  await shot(p, 'preview-screens-sv');
  await p.getByRole('button', { name: 'Suomi' }).click();
  await p.close();
  await dropDrafts(env.base, 'aino@muisti.fi', W.password);
  noProblems();
});

test('a phone: the preview of the screens fits 390 px and the box scrolls', async () => {
  const p = await newPage(browser.context, problems);
  await p.setViewportSize({ width: 390, height: 844 });
  await signIn(p, 'aino@muisti.fi', W.password);
  await p.goto(`${env.base}/item.html`);
  await p.locator('h1', { hasText: 'Uusi ilmoitus' }).waitFor();
  await p.getByLabel('Pudasjärven sote-keskus').check();
  await p.getByLabel('Tuiran hyvinvointikeskus').uncheck();
  await p.locator('#fi-title').fill('Kerho');
  await p.locator('#fi-body').fill('Tervetuloa kerhoon.');
  const box = p.locator('.preview .preview-box');
  await box.locator('canvas').first().waitFor({ timeout: STEP_TIMEOUT_MS });
  assert.equal(await box.locator('li.preview-screen').count(), 2);
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no sideways scrolling at 390 px');
  await box.scrollIntoViewIfNeeded();
  await shot(p, 'preview-screens-phone');
  await p.close();
  await dropDrafts(env.base, 'aino@muisti.fi', W.password);
  noProblems();
});
