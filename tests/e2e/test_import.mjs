// test_import.mjs: an event from where it already lives, to the lobby
// screen and the public page, and away again, in real parts: Mosquitto, the
// content server (its importers allowed to fetch from loopback, the tests'
// INFOTAULU_TEST_IMPORT_LOOPBACK=1, and told its public_url), a feed server
// on loopback (tests/support/feed_server.py), a headless player started
// from the config the server gave, and Chromium for the people.
//   A volunteer adds her association's calendar on the sources page (axe
//   clean); it is fetched at once and its event waits in the contact
//   person's queue like any submission; she approves it; the player shows
//   it (a new frame after the manifest with one card) and the card's QR
//   link opens its public page; the association deletes the event in its
//   calendar, the volunteer presses "Hae nyt": the item is withdrawn, the
//   player shows the manifest without it (another new frame), and its
//   public page says it is no longer shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { launchBrowser, newPage, signIn, shot, axe } from './lib/browser.mjs';
import { Client } from './lib/api.mjs';
import { System, until as untilRaw } from './lib/system.mjs';

const until = (what, fn, opts) => untilRaw(what, async () => { sys.checkAlive(); return fn(); }, opts);

const here = dirname(fileURLToPath(import.meta.url));
const src = process.env.TAULU_E2E_SRC || join(here, '..', '..');
const out = join(process.env.TAULU_E2E_OUT || join(here, 'out'), 'import');
const bins = {
  server: process.env.TAULU_E2E_SERVER_BIN || join(src, 'build/content-server/infotaulu-server'),
  player: process.env.TAULU_E2E_PLAYER || join(src, 'build/player/infotaulu-player'),
  mosquitto: process.env.TAULU_E2E_MOSQUITTO || '/usr/sbin/mosquitto',
};
const missing = ['server', 'player', 'mosquitto'].filter((k) => !existsSync(bins[k]));

const COORD = { email: 'koordinaattori@pohde.fi', password: `koordinaattori-import-${process.pid}` };
const PW = 'salasana-import-2026';
const MEMBER = 'maija@muisti.fi';
const CONTACT = 'leena@pohde.fi';
const CENTRE = 'Hiukkavaaran hyvinvointikeskus';
const TITLE = 'Lukupiiri kirjastossa';

let sys;
let b;
let W;
let player;
let feeds;
let feedDir;
const problems = [];
const t0 = Date.now();
const stamp = (what) => console.log(`# import +${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);

const icsTime = (ms) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

function writeFeed(withEvent) {
  const start = Math.ceil((Date.now() + 2 * 3600000) / 3600000) * 3600000;
  const ev = withEvent
    ? ['BEGIN:VEVENT', 'UID:lukupiiri@muisti.example', `DTSTART:${icsTime(start)}`, `DTEND:${icsTime(start + 5400000)}`,
      `SUMMARY:${TITLE}`, 'DESCRIPTION:Luemme yhdessä. Kahvi on ilmaista.', 'LOCATION:Hiukkavaaran kirjasto',
      'URL:https://muisti.example.fi/lukupiiri', 'END:VEVENT']
    : [];
  writeFileSync(join(feedDir, 'muisti.ics'), ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//muisti//FI', ...ev, 'END:VCALENDAR', ''].join('\r\n'));
}

function frames() {
  return readdirSync(player.frames).filter((f) => /^frame-\d+\.png$/.test(f)).sort()
    .map((f) => ({ name: f, bytes: readFileSync(join(player.frames, f)) }))
    .filter((f) => f.bytes.length > 12 && f.bytes.subarray(-8, -4).toString('latin1') === 'IEND');
}
const playerLog = () => readFileSync(player.log, 'utf8');
// The frame file the player logged after the last line matching `re`.
function frameLoggedAfter(re) {
  const log = playerLog();
  let m;
  let at = -1;
  const g = new RegExp(re.source, 'g');
  while ((m = g.exec(log))) at = m.index;
  if (at < 0) return null;
  const f = /player: frame \S*\/(frame-\d+\.png)/.exec(log.slice(at));
  return f && frames().find((x) => x.name === f[1]);
}
const sha = (x) => createHash('sha256').update(x).digest('hex');

before(async () => {
  if (missing.length) return;
  sys = new System({ bins, out, webRoot: join(src, 'content-server/web') });
  feedDir = join(sys.work, 'feeds');
  mkdirSync(feedDir, { recursive: true });
  writeFeed(true);
  feeds = await sys.startFeeds(src, feedDir);
  await sys.startBroker();
  await sys.startServer(COORD.email, COORD.password, { publicUrl: true, env: { INFOTAULU_TEST_IMPORT_LOOPBACK: '1' } });
  stamp(`server at ${sys.base}, feeds at ${feeds}`);
  const c = new Client(sys.base);
  await c.login(COORD.email, COORD.password);
  const centre = (await c.req('POST', '/centres', { name: CENTRE, municipality: '564', languages: ['fi', 'sv'], address: 'Ukkoherrantie 1' })).id;
  const org = (await c.req('POST', '/organisations', { name: 'Oulun Muistiyhdistys', kind: 'ngo' })).id;
  await c.req('POST', '/users', { email: MEMBER, name: 'Maija Vapaaehtoinen', password: PW, contact_centres: [], organisations: [org], coordinator: false });
  await c.req('POST', '/users', { email: CONTACT, name: 'Leena Yhdyshenkilö', password: PW, contact_centres: [centre], organisations: [], coordinator: false });
  const screen = await c.req('POST', '/screens', {
    centre_id: centre, name: 'Aula', orientation: 'landscape', width_px: 1920, height_px: 1080, diagonal_in: 55, viewing_distance_m: 3,
  });
  W = { centre, org, screen };
  player = sys.startPlayer('player-import', screen.player_config, { seconds: 240 });
  b = await launchBrowser();
});

after(async () => {
  if (b) await b.close().catch(() => {});
  if (sys) await sys.stop();
});

test('a calendar event: imported, approved, on the screen and the public page, then gone from both', { skip: missing.length ? `not built or installed: ${missing.join(', ')}` : false }, async () => {
  const coord = new Client(sys.base);
  await coord.login(COORD.email, COORD.password);
  await until('the player to show the first manifest', () => /showing manifest seq \d+ \(0 cards/.test(playerLog()), { timeout: 30000 });

  // The volunteer adds her association's calendar.
  const mctx = await b.newContext();
  const m = await newPage(mctx, problems);
  await signIn(m, MEMBER, PW, sys.base);
  await m.getByRole('link', { name: 'Tuonnit', exact: true }).click();
  await m.locator('h1', { hasText: 'Tuonnit muista kalentereista' }).waitFor();
  assert.deepEqual(await axe(m), []);
  await m.getByLabel('Nimi', { exact: true }).fill('Muistiyhdistyksen kalenteri');
  await m.getByLabel('Osoite', { exact: true }).fill(`${feeds}/feeds/muisti.ics`);
  await m.getByLabel(CENTRE).check();
  await m.getByLabel('Aihe', { exact: true }).selectOption('vapaa-aika-kulttuuri');
  await m.getByRole('button', { name: 'Lisää lähde' }).click();
  const card = m.locator('li.card', { hasText: 'Muistiyhdistyksen kalenteri' });
  await card.getByText('Haku onnistui.').waitFor({ timeout: 20000 });
  assert.match(await card.innerText(), /1 tapahtumaa: 1 uutta/);
  await card.getByText('Näytä tapahtumat').click();
  await card.getByText(TITLE).waitFor();
  assert.match(await card.locator('.entries').innerText(), /tuotu/);
  assert.deepEqual(await axe(m), []);
  await shot(m, 'import-1-source-added');
  stamp('source added and fetched');

  // The contact person approves it from her queue.
  const cctx = await b.newContext();
  const c = await newPage(cctx, problems);
  await signIn(c, CONTACT, PW, sys.base);
  await c.goto(`${sys.base}/queue.html`);
  const entry = c.locator('li.card', { hasText: TITLE });
  await entry.waitFor();
  const itemsBefore = (await coord.req('GET', '/items')).items;
  const item = itemsBefore.find((x) => x.texts.fi && x.texts.fi.title === TITLE);
  assert.ok(item, 'the imported item');
  const seqBefore = (await coord.req('GET', `/screens/${W.screen.id}/status`)).seq;
  await entry.getByRole('button', { name: /^Hyväksy/ }).click();
  await entry.locator('.state-approved').waitFor();
  stamp(`item ${item.id} approved`);

  // The player shows it: the manifest with one card, a new frame.
  const s1 = await until('a new manifest', async () => { const s = await coord.req('GET', `/screens/${W.screen.id}/status`); return s.seq > seqBefore && s; }, { timeout: 15000 });
  await until(`the player to show seq ${s1.seq} with one card`, () => new RegExp(`showing manifest seq ${s1.seq} \\(1 cards`).test(playerLog()), { timeout: 20000 });
  const shown = await until('a frame of it', () => frameLoggedAfter(new RegExp(`showing manifest seq ${s1.seq} `)), { timeout: 15000 });
  const empty = frameLoggedAfter(/showing manifest seq \d+ \(0 cards/);
  assert.notEqual(sha(shown.bytes), sha(empty.bytes), 'the frame with the item differs from the empty one');
  writeFileSync(join(out, 'import-2-screen-with-item.png'), shown.bytes);
  stamp(`frame ${shown.name} (${shown.bytes.length} bytes)`);

  // The card's QR link is the item's public page, which shows it.
  const token = /screen_token = (\S+)/.exec(W.screen.player_config)[1];
  const res = await fetch(`${sys.base}/api/v1/screens/${W.screen.screen_id}/manifest`, { headers: { Authorization: `Bearer ${token}` } });
  const mf = JSON.parse((await res.text()).split('\n').slice(1).join('\n'));
  assert.equal(mf.cards.length, 1);
  const link = mf.cards[0].link;
  // the short address of the item's page (docs/public-page.md)
  assert.equal(link, `${sys.base}/p/${W.centre}/${item.id}`);
  const pctx = await b.newContext();
  const p = await newPage(pctx, problems);
  await p.goto(link);
  assert.equal(await p.locator('h1').innerText(), TITLE);
  assert.match(await p.locator('main').innerText(), /Lisätietoja: https:\/\/muisti\.example\.fi\/lukupiiri/);
  assert.deepEqual(await axe(p), []);
  await shot(p, 'import-3-public-item');

  // Deleted at the source: fetched now, withdrawn, gone from the screen
  // and the public page.
  writeFeed(false);
  const seqShown = s1.seq;
  await card.getByRole('button', { name: /^Hae nyt/ }).click();
  await card.getByText(/0 tapahtumaa: 0 uutta, 0 muuttunutta, 1 poistettua/).waitFor({ timeout: 20000 });
  await card.getByText('poistettu lähteestä').waitFor({ timeout: 10000 });
  await shot(m, 'import-4-deleted-at-source');
  stamp('withdrawn after the source deleted it');
  const s2 = await until('a manifest without it', async () => { const s = await coord.req('GET', `/screens/${W.screen.id}/status`); return s.seq > seqShown && s; }, { timeout: 15000 });
  await until(`the player to show seq ${s2.seq} with no card`, () => new RegExp(`showing manifest seq ${s2.seq} \\(0 cards`).test(playerLog()), { timeout: 20000 });
  const gone = await until('a frame without it', () => frameLoggedAfter(new RegExp(`showing manifest seq ${s2.seq} `)), { timeout: 15000 });
  assert.notEqual(sha(gone.bytes), sha(shown.bytes), 'the frame changed when the item left');
  writeFileSync(join(out, 'import-5-screen-without-item.png'), gone.bytes);
  const again = await p.goto(link);
  assert.equal(again.status(), 404);
  assert.match(await p.locator('h1').innerText(), /ei enää näytetä/);
  const centrePage = await (await fetch(`${sys.base}/public/centres/${W.centre}`)).text();
  assert.ok(!centrePage.includes(TITLE), 'not on the centre page either');

  await mctx.close();
  await cctx.close();
  await pctx.close();
  const pr = problems.splice(0).filter((x) => !/status of 40[14]/.test(x));
  assert.deepEqual(pr, []);
  sys.checkAlive();
});
