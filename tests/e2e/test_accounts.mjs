// test_accounts.mjs: accounts in a real browser with real e-mail. A server
// of its own sends through a real SMTP server (lib/system.mjs: Debian's
// python3-aiosmtpd on a free port); the test reads what arrived and
// follows its links in Chromium:
//  - the coordinator invites a volunteer on the users page (fi); the
//    invitation's link opens the set-password page, which signs her in;
//  - on "Oma tili" at 390 px in Swedish she chooses Swedish messages and
//    changes her password (a wrong current one is told at its field);
//  - "forgot password" from the sign-in page in Swedish at 390 px: the
//    message is in Swedish and its link works, once;
//  - the coordinator edits her roles, requires a new password (with a
//    confirmation) and sends the invitation again;
//  - the audit log reads as sentences with names, and its person filter
//    tells two people of the same name apart by their addresses.
// Every page passes axe; no page scrolls sideways at 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, newPage, signIn, axe, shot } from './lib/browser.mjs';
import { Client } from './lib/api.mjs';
import { System } from './lib/system.mjs';
import { linkOf } from './lib/mail.mjs';

const src = process.env.TAULU_E2E_SRC || join(import.meta.dirname, '..', '..');
const out = join(process.env.TAULU_E2E_OUT || join(src, 'build', 'tests', 'e2e'), 'accounts');
const COORD = { email: 'anna@pohde.fi', password: 'koordinaattori-salasana-1' };
const AINO = 'aino.virtanen@muisti.fi';
let sys;
let base;
let ui;
let world;
const problems = [];

before(async () => {
  sys = new System({ bins: { server: process.env.TAULU_E2E_SERVER_BIN }, out, webRoot: join(src, 'content-server', 'web') });
  await sys.startSmtp(src);
  base = await sys.startMailServer(COORD.email, COORD.password);
  const c = new Client(base);
  await c.login(COORD.email, COORD.password);
  world = {
    tuira: (await c.req('POST', '/centres', { name: 'Tuiran hyvinvointikeskus', municipality: '564' })).id,
    muisti: (await c.req('POST', '/organisations', { name: 'Oulun Muistiyhdistys', kind: 'ngo' })).id,
  };
  /* A namesake, for the audit log's person filter. */
  await c.req('POST', '/users', { email: 'aino.virtanen@seurakunta.fi', name: 'Aino Virtanen', password: 'toinen-aino-salasana' });
  ui = await launchBrowser();
});

after(async () => {
  if (ui) await ui.close();
  if (sys) await sys.stop();
});

function noProblems() {
  const p = problems.splice(0).filter((x) => !/status of 40[0-9]/.test(x));
  assert.deepEqual(p, []);
}

async function noSidewaysScroll(p) {
  const w = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(w[0] <= w[1], `scrolls sideways: ${w[0]} > ${w[1]}`);
}

async function narrow() {
  const ctx = await ui.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'sv-FI', timezoneId: 'Europe/Helsinki' });
  return newPage(ctx, problems);
}

async function svenska(p) {
  if ((await p.locator('html').getAttribute('lang')) !== 'sv') await p.getByRole('button', { name: 'Svenska' }).click();
}

test('the coordinator invites a volunteer; the e-mail\'s link sets her password and signs her in (fi)', async () => {
  const ctx = await ui.newContext();
  const p = await newPage(ctx, problems);
  await signIn(p, COORD.email, COORD.password, base);
  await p.goto(`${base}/users.html`);
  await p.getByLabel('Nimi', { exact: true }).fill('Aino Virtanen');
  await p.getByLabel('Sähköpostiosoite').fill(AINO);
  await p.getByLabel('Oulun Muistiyhdistys').check();
  await p.getByRole('button', { name: 'Lähetä kutsu' }).click();
  await p.getByText(`Kutsu lähtee osoitteeseen ${AINO}.`).waitFor();
  assert.equal(await p.locator('.panel.notice').evaluate((el) => el === document.activeElement), true);
  const row = p.getByRole('row').filter({ hasText: AINO });
  await row.getByText('Ei vielä salasanaa').waitFor();
  assert.deepEqual(await axe(p), []);
  await shot(p, 'accounts-invite');

  const mail = await sys.mailTo(AINO);
  assert.equal(mail.subject, 'Tervetuloa Infotauluun – valitse salasana');
  assert.match(mail.body, /^Hei Aino Virtanen,/);
  assert.match(mail.body, /Anna Koordinaattori on tehnyt sinulle tunnuksen Infotauluun\./);
  assert.equal(mail.headers['content-language'], 'fi');
  const link = linkOf(mail);
  assert.ok(link && link.startsWith(`${base}/password.html#t=`), link);

  const v = await newPage(await ui.newContext(), problems);
  await v.goto(link);
  const h1 = v.getByRole('heading', { level: 1, name: 'Tervetuloa Infotauluun' });
  await h1.waitFor();
  assert.equal(await h1.evaluate((el) => el === document.activeElement), true);
  assert.equal(new URL(v.url()).hash, '', 'the secret left the address bar');
  await v.getByText(`Kirjaudut sisään sähköpostiosoitteellasi ${AINO}.`).waitFor();
  await v.getByLabel('Uusi salasana', { exact: true }).fill('ainon oma salasana');
  await v.getByLabel('Kirjoita uusi salasana uudelleen').fill('ainon oma salasanx');
  await v.getByRole('button', { name: 'Tallenna salasana ja kirjaudu' }).click();
  await v.locator('.error-summary').waitFor();
  const again = v.getByLabel('Kirjoita uusi salasana uudelleen');
  assert.equal(await again.getAttribute('aria-invalid'), 'true');
  assert.match(await again.getAttribute('aria-describedby'), /pw-again-error/);
  assert.match(await v.locator('#pw-again-error').textContent(), /eivät ole samat/);
  assert.deepEqual(await axe(v), []);
  await again.fill('ainon oma salasana');
  await v.getByRole('button', { name: 'Tallenna salasana ja kirjaudu' }).click();
  await v.waitForURL(/items\.html/);
  await v.getByRole('heading', { level: 1, name: 'Omat ilmoitukset' }).waitFor();
  /* The link worked once. */
  const r = await fetch(`${base}/api/v1/password/link`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: link.split('#t=')[1] }) });
  assert.equal(r.status, 404);
  await p.close();
  await v.close();
  noProblems();
});

test('invited in Swedish at 390 px: the coordinator picks the language, the message and the page are Swedish', async () => {
  const p = await narrow();
  await signIn(p, COORD.email, COORD.password, base);
  await p.goto(`${base}/users.html`);
  await svenska(p);
  await p.getByLabel('Namn', { exact: true }).fill('Sven Svensson');
  await p.getByLabel('E-postadress').fill('sven@forening.fi');
  await p.getByLabel('Språk för inbjudan och e-post').selectOption('sv');
  await p.getByRole('button', { name: 'Skicka inbjudan' }).click();
  await p.getByText('Inbjudan skickas till sven@forening.fi.', { exact: false }).waitFor();
  await noSidewaysScroll(p);
  assert.deepEqual(await axe(p), []);
  const mail = await sys.mailTo('sven@forening.fi');
  assert.equal(mail.subject, 'Välkommen till Infotaulu – välj ett lösenord');
  assert.match(mail.body, /^Hej Sven Svensson,/);
  assert.match(mail.body, /Anna Koordinaattori har skapat ett konto åt dig i Infotaulu\./);
  const v = await narrow();
  await v.goto(`${base}/index.html`);
  await svenska(v);
  await v.goto(linkOf(mail));
  await v.getByRole('heading', { level: 1, name: 'Välkommen till Infotaulu' }).waitFor();
  await noSidewaysScroll(v);
  assert.deepEqual(await axe(v), []);
  await shot(v, 'accounts-valkommen-390');
  await v.getByLabel('Nytt lösenord').fill('svens eget lösenord');
  await v.getByLabel('Skriv det nya lösenordet igen').fill('svens eget lösenord');
  await v.getByRole('button', { name: 'Spara lösenordet och logga in' }).click();
  await v.waitForURL((u) => !u.pathname.endsWith('/password.html'));
  await v.locator('h1').first().waitFor();
  await p.context().close();
  await v.context().close();
  noProblems();
});

test('"Mitt konto" at 390 px in Swedish: message language, notifications and a new password', async () => {
  const p = await narrow();
  await signIn(p, AINO, 'ainon oma salasana', base);
  await svenska(p);
  await p.getByRole('link', { name: 'Mitt konto' }).click();
  await p.getByRole('heading', { level: 1, name: 'Mitt konto' }).waitFor();
  await p.getByLabel('svenska', { exact: true }).check();
  await p.getByLabel(/Skicka e-post till mig/).uncheck();
  await p.getByRole('button', { name: 'Spara', exact: true }).click();
  await p.getByText('Inställningarna har sparats.').waitFor();
  await p.getByLabel('Nuvarande lösenord').fill('fel lösenord här');
  await p.getByLabel('Nytt lösenord').fill('ainons nya lösenord');
  await p.getByLabel('Skriv det nya lösenordet igen').fill('ainons nya lösenord');
  await p.getByRole('button', { name: 'Byt lösenord' }).click();
  await p.locator('#acc-current-error').getByText('Det nuvarande lösenordet är fel.').waitFor();
  assert.equal(await p.getByLabel('Nuvarande lösenord').getAttribute('aria-invalid'), 'true');
  await noSidewaysScroll(p);
  assert.deepEqual(await axe(p), []);
  await shot(p, 'accounts-mitt-konto-390');
  await p.getByLabel('Nuvarande lösenord').fill('ainon oma salasana');
  await p.getByRole('button', { name: 'Byt lösenord' }).click();
  await p.locator('.panel.notice').getByText('Lösenordet har bytts.', { exact: false }).waitFor();
  const me = await p.evaluate(async () => (await (await fetch('/api/v1/me')).json()).user);
  assert.equal(me.lang, 'sv');
  assert.equal(me.notify, false);
  await p.context().close();
  noProblems();
});

test('forgot password in Swedish at 390 px: the same answer, a message in Swedish, a link that works once', async () => {
  const p = await narrow();
  await p.goto(`${base}/index.html`);
  await svenska(p);
  await p.getByRole('link', { name: 'Har du glömt ditt lösenord?' }).click();
  await p.getByRole('heading', { level: 1, name: 'Glömt lösenord' }).waitFor();
  await p.getByLabel('E-postadress').fill('ingen-alls@muisti.fi');
  await p.getByRole('button', { name: 'Skicka länken' }).click();
  const unknown = await p.getByRole('status').filter({ hasText: 'ingen-alls@muisti.fi' }).textContent();
  await p.reload();
  await p.getByLabel('E-postadress').fill(AINO);
  await p.getByRole('button', { name: 'Skicka länken' }).click();
  const known = await p.getByRole('status').filter({ hasText: AINO }).textContent();
  assert.equal(known.replace(AINO, 'X'), unknown.replace('ingen-alls@muisti.fi', 'X'));
  await noSidewaysScroll(p);
  assert.deepEqual(await axe(p), []);
  await shot(p, 'accounts-glomt-390');

  const mail = await sys.mailTo(AINO, 2);
  assert.equal(mail.subject, 'Nytt lösenord till Infotaulu');
  assert.equal(mail.headers['content-language'], 'sv');
  assert.match(mail.body, /^Hej Aino Virtanen,/);
  assert.equal(sys.mails().filter((m) => m.to.includes('ingen-alls@muisti.fi')).length, 0);
  await p.goto(linkOf(mail));
  await p.getByRole('heading', { level: 1, name: 'Välj ett nytt lösenord' }).waitFor();
  await p.getByLabel('Nytt lösenord').fill('kort');
  await p.getByRole('button', { name: 'Spara lösenordet och logga in' }).click();
  await p.locator('#pw-new-error').getByText('Lösenordet måste ha minst 12 tecken.').waitFor();
  await noSidewaysScroll(p);
  assert.deepEqual(await axe(p), []);
  await p.getByLabel('Nytt lösenord').fill('glömt men hittat igen');
  await p.getByLabel('Skriv det nya lösenordet igen').fill('glömt men hittat igen');
  await p.getByRole('button', { name: 'Spara lösenordet och logga in' }).click();
  await p.waitForURL(/items\.html/);
  /* The same link again: it says so, and offers a new one. */
  await p.goto(linkOf(mail));
  await p.getByRole('heading', { level: 1, name: 'Länken fungerar inte längre' }).waitFor();
  await p.getByRole('link', { name: 'Be om en ny länk' }).waitFor();
  await p.context().close();
  noProblems();
});

test('the coordinator edits roles, requires a new password and sends the invitation again (fi)', async () => {
  const p = await newPage(await ui.newContext(), problems);
  await signIn(p, COORD.email, COORD.password, base);
  await p.goto(`${base}/users.html`);
  const row = p.getByRole('row').filter({ hasText: AINO });
  await row.waitFor();
  await row.getByRole('button', { name: /^Muokkaa rooleja\s*: Aino Virtanen$/ }).click();
  const title = p.getByRole('heading', { name: 'Roolit: Aino Virtanen' });
  await title.waitFor();
  assert.equal(await title.evaluate((el) => el === document.activeElement), true);
  await p.locator('#e-centre-' + world.tuira).check();
  assert.deepEqual(await axe(p), []);
  await p.getByRole('button', { name: 'Tallenna roolit' }).click();
  await row.getByText('Yhdyshenkilö: Tuiran hyvinvointikeskus').waitFor();

  await row.getByRole('button', { name: /^Pakota uusi salasana\s*: Aino Virtanen$/ }).click();
  await p.getByText(/Pakotetaanko Aino Virtanen valitsemaan uuden salasanan\?/).waitFor();
  assert.deepEqual(await axe(p), []);
  await p.getByRole('button', { name: 'Kyllä, pakota uusi salasana' }).click();
  await row.getByText('Ei vielä salasanaa').waitFor();
  const reset = await sys.mailTo(AINO, 3);
  assert.equal(reset.subject, 'Nytt lösenord till Infotaulu'); // her language is Swedish now
  assert.match(reset.body, /Anna Koordinaattori har bett att du väljer ett nytt lösenord/);
  await row.getByRole('button', { name: /^Lähetä kutsu uudelleen\s*: Aino Virtanen$/ }).click();
  const invite = await sys.mailTo(AINO, 4);
  assert.equal(invite.subject, 'Välkommen till Infotaulu – välj ett lösenord');
  /* Only the newest link of each kind works; the reset's still does. */
  const status = async (m) => (await fetch(`${base}/api/v1/password/link`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: linkOf(m).split('#t=')[1] }) })).status;
  assert.equal(await status(invite), 200);
  assert.equal(await status(reset), 200);
  await shot(p, 'accounts-users');
  await p.close();
  noProblems();
});

test('the audit log in words, in Finnish and Swedish; namesakes told apart in the person filter', async () => {
  const p = await newPage(await ui.newContext(), problems);
  /* A refused sign-in for the log. */
  await fetch(`${base}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'arvaaja@example.fi', password: 'arvaus-arvaus' }) });
  await signIn(p, COORD.email, COORD.password, base);
  await p.goto(`${base}/audit.html`);
  await p.getByText('Anna Koordinaattori kutsui käyttäjän Aino Virtanen.').first().waitFor();
  await p.getByText('Anna Koordinaattori pakotti käyttäjän Aino Virtanen valitsemaan uuden salasanan.').waitFor();
  await p.getByText('Kirjautumaton käyttäjä yritti kirjautua sisään. Estetty.').first().waitFor();
  /* The address typed is not kept (it may be anybody's); the count is. */
  await p.getByText(/Väärä sähköposti tai salasana\. .*Yrityksiä: \d+\./).first().waitFor();
  assert.equal(await p.getByText(/arvaaja@example\.fi/).count(), 0, 'a stranger\'s typed address is not kept');
  assert.equal(await p.getByText(/"email"|\{"/).count(), 0, 'no JSON on the page');
  const options = await p.getByLabel('Kuka').locator('option').allTextContents();
  assert.ok(options.includes(`Aino Virtanen <${AINO}>`), options.join('|'));
  assert.ok(options.includes('Aino Virtanen <aino.virtanen@seurakunta.fi>'), options.join('|'));
  await p.getByLabel('Kuka').selectOption({ label: `Aino Virtanen <${AINO}>` });
  await p.getByRole('button', { name: 'Hae' }).click();
  await p.getByText('Aino Virtanen valitsi salasanan sähköpostin linkin kautta.').first().waitFor();
  assert.deepEqual(await axe(p), []);
  await p.getByRole('button', { name: 'Svenska' }).click();
  await p.getByText('Aino Virtanen valde ett lösenord via länken i e-posten.').first().waitFor();
  await shot(p, 'accounts-audit-sv');
  await p.setViewportSize({ width: 390, height: 844 });
  await noSidewaysScroll(p);
  await p.close();
  noProblems();
});
