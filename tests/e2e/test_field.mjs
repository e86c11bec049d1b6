// test_field.mjs: a screen into the field, in real parts: a Mosquitto
// broker, the content server, a headless player that knows only the
// server's address, and Chromium for the coordinator.
//   the coordinator adds two screen records from a CSV file on the screens
//   page; the player shows its enrolment code (read from its log, as a
//   technician would read the screen); the coordinator types the code and
//   picks the record; the player enrols itself, syncs and comes online;
//   the coordinator presses "Pyydä kuvakaappaus" and the real player's
//   picture appears under the screen within seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, newPage, signIn, shot, axe } from './lib/browser.mjs';
import { Client } from './lib/api.mjs';
import { System, until as untilRaw } from './lib/system.mjs';

const until = (what, fn, opts) => untilRaw(what, async () => { sys.checkAlive(); return fn(); }, opts);

const here = dirname(fileURLToPath(import.meta.url));
const src = process.env.TAULU_E2E_SRC || join(here, '..', '..');
const out = join(process.env.TAULU_E2E_OUT || join(here, 'out'), 'field');
const bins = {
  server: process.env.TAULU_E2E_SERVER_BIN || join(src, 'build/content-server/infotaulu-server'),
  player: process.env.TAULU_E2E_PLAYER || join(src, 'build/player/infotaulu-player'),
  mosquitto: process.env.TAULU_E2E_MOSQUITTO || '/usr/sbin/mosquitto',
};
const missing = ['server', 'player', 'mosquitto'].filter((k) => !existsSync(bins[k]));

const COORD = { email: 'koordinaattori@pohde.fi', password: `koordinaattori-field-${process.pid}` };
const CENTRE = 'Kaijonharjun hyvinvointikeskus';

let sys;
let browser;
let player;
const problems = [];
const t0 = Date.now();
const stamp = (what) => console.log(`# field +${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
const playerLog = () => readFileSync(player.log, 'utf8');

before(async () => {
  if (missing.length) return;
  sys = new System({ bins, out, webRoot: join(src, 'content-server/web') });
  await sys.startBroker();
  await sys.startServer(COORD.email, COORD.password);
  const c = new Client(sys.base);
  await c.login(COORD.email, COORD.password);
  await c.req('POST', '/centres', { name: CENTRE, municipality: '564', languages: ['fi', 'sv'], address: 'Kaijonharjuntie 1' });
  // The player: only the server's address; no screen id, no token.
  player = sys.startPlayer('player-new', `server_url = ${sys.base}\nstate_dir = ${join(sys.work, 'player-state')}\n`, { seconds: 240 });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (sys) await sys.stop();
});

test('CSV import → enrol by the code → the player syncs → "Pyydä kuvakaappaus" shows its picture', { skip: missing.length ? `not built or installed: ${missing.join(', ')}` : false }, async () => {
  const ctx = await browser.newContext();
  const p = await newPage(ctx, problems);
  await signIn(p, COORD.email, COORD.password, sys.base);
  await p.goto(`${sys.base}/screens.html`);
  await p.getByRole('heading', { name: 'Lisää monta näyttöä taulukosta' }).waitFor();

  // Two screen records from a spreadsheet (Finnish Excel: semicolons).
  const csv = join(sys.work, 'naytot.csv');
  writeFileSync(csv, `nimi;toimipiste;suunta;tarkkuus;halkaisija;etäisyys\r\nAula;${CENTRE};vaaka;1920x1080;55;3\r\nOdotustila;${CENTRE};pysty;1080x1920;43;2,5\r\n`);
  await p.getByLabel('CSV-tiedosto').setInputFiles(csv);
  await p.getByRole('button', { name: 'Lisää näytöt' }).click();
  await p.getByText('2 näyttöä lisätty.').waitFor();
  await p.getByRole('rowheader', { name: 'Odotustila' }).waitFor();
  stamp('two screens imported');

  // The code the player shows (its log says the same as its screen).
  const code = (await until('the enrolment code', () => /enrolment code ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(playerLog()), { timeout: 20000 }))[1];
  stamp(`the player shows ${code}`);
  await p.getByLabel('Koodi näytön ruudulta').fill(code.toLowerCase());
  await p.getByLabel('Mikä näyttö tämä on').selectOption({ label: 'Aula' });
  await shot(p, 'field-1-enrol');
  assert.deepEqual(await axe(p), []);
  await p.getByRole('button', { name: 'Ota käyttöön' }).click();
  await p.getByText('Näyttö Aula otetaan käyttöön.').waitFor();
  await until('the player to enrol', () => /enrol: enrolled as screen-\d+ "Aula"/.test(playerLog()), { timeout: 15000 });
  await until('the player to show the centre\'s manifest', () => /showing manifest seq \d+/.test(playerLog()), { timeout: 15000 });
  stamp('enrolled and syncing');

  // Online on the page by itself (4 s refresh), then the picture.
  const row = p.getByRole('row', { name: /^Aula/ });
  await row.getByText('Päällä').waitFor({ timeout: 20000 });
  const asked = Date.now();
  await p.getByRole('button', { name: 'Pyydä kuvakaappaus näytöstä Aula' }).click();
  const img = p.getByRole('img', { name: /^Kuvakaappaus näytöstä Aula, / });
  await img.waitFor({ timeout: 15000 });
  await p.waitForFunction(() => {
    const i = document.querySelector('figure.screenshot img');
    return i && i.complete && i.naturalWidth > 0;
  }, null, { timeout: 10000 });
  const size = await img.evaluate((i) => [i.naturalWidth, i.naturalHeight]);
  assert.deepEqual(size, [1920, 1080], 'the player\'s whole frame');
  stamp(`screenshot shown ${Date.now() - asked} ms after the click`);
  assert.match(playerLog(), /sync: screenshot uploaded/);
  await shot(p, 'field-2-screenshot');
  assert.deepEqual(await axe(p), []);
  // Asked again at once: the screen is asked at most every 10 s.
  await p.getByRole('button', { name: 'Pyydä kuvakaappaus näytöstä Aula' }).click();
  await p.getByText('Kuvaa pyydettiin juuri. Odota muutama sekunti.').waitFor();
  await ctx.close();
  const probs = problems.splice(0).filter((x) => !/status of (401|429)/.test(x));
  assert.deepEqual(probs, []);
  sys.checkAlive();
});
