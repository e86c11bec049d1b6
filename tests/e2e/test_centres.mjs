// test_centres.mjs: a coordinator changes and deletes a centre in the web
// UI (centres.html). The edit form opens pre-filled with every field of
// the record; the loop budget and the short name are changed and saved,
// and a reload shows them while the fields the form did not touch (the
// Swedish name, the opening hours) are as they were. A value the form
// refuses and one the server refuses each show their message next to the
// field, and nothing typed is lost. A centre with screens is not deleted
// (said in words); one without is, after a confirmation. Keyboard alone,
// axe-core in Finnish and Swedish, 390 px and 200 % zoom (a 640 x 450
// viewport, as test_ui.mjs does) without sideways scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, axe, shot, env } from './lib/browser.mjs';
import { Client } from './lib/api.mjs';

const W = env.world;
const NAME = 'Koskelan hyvinvointipiste';
const HOURS = [{ open: '08:00', close: '16:00' }, { open: '08:00', close: '16:00' }, null,
  { open: '08:00', close: '16:00' }, { open: '09:00', close: '14:00' }, null, null];
let browser;
let api;
let centre;
const problems = [];

before(async () => {
  browser = await launch();
  api = new Client(env.base);
  await api.login(env.coordinator.email, env.coordinator.password);
  centre = (await api.req('POST', '/centres', {
    name: NAME, short_name: 'Koskela', municipality: '564', languages: ['fi', 'sv'],
    names: { sv: { name: 'Koskela välfärdspunkt', short: 'Koskela' } }, address: 'Koskelantie 5',
    opening_hours: HOURS, loop_s: 300, withdraw_on_edit: false,
  })).id;
});

after(async () => {
  await browser.close();
});

function noProblems() {
  // a refused save or delete is a 400 / 409 the page handles
  assert.deepEqual(problems.splice(0).filter((x) => !/status of 40[09]/.test(x)), []);
}

async function sideways(p) {
  return p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

// Presses Tab until the focus is on `selector` (at most 200 presses).
async function tabTo(p, selector) {
  for (let i = 0; i < 200; i++) {
    if (await p.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return;
    await p.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('a centre is opened pre-filled, its loop budget and short name changed and saved; a reload shows them', async () => {
  const p = await newPage(browser.context, problems);
  await signIn(p, env.coordinator.email, env.coordinator.password);
  await p.goto(`${env.base}/centres.html`);
  await p.locator('h1').waitFor();

  // with the keyboard: Tab to the centre's edit button, Enter
  await tabTo(p, `#centre-edit-${centre}`);
  assert.equal(await p.evaluate(() => document.activeElement.textContent), `Muokkaa: ${NAME}`);
  await p.keyboard.press('Enter');
  const heading = p.locator('#e-title');
  await heading.waitFor();
  assert.equal(await heading.textContent(), `Muokkaa toimipistettä ${NAME}`);
  assert.equal(await p.evaluate(() => document.activeElement.id), 'e-title', 'the panel takes the focus');

  // every field as GET gives it
  assert.equal(await p.locator('#e-name').inputValue(), NAME);
  assert.equal(await p.locator('#e-short').inputValue(), 'Koskela');
  assert.equal(await p.locator('#e-muni').inputValue(), '564');
  assert.equal(await p.locator('#e-address').inputValue(), 'Koskelantie 5');
  assert.equal(await p.locator('#e-loop').inputValue(), '5');
  assert.equal(await p.locator('#e-withdraw').isChecked(), false);
  assert.equal(await p.locator('#e-lang-fi').isChecked(), true);
  assert.equal(await p.locator('#e-lang-sv').isChecked(), true);
  assert.equal(await p.locator('#e-lang-en').isChecked(), false);
  assert.equal(await p.locator('#e-name-sv').inputValue(), 'Koskela välfärdspunkt');
  assert.equal(await p.locator('#e-name-en').isVisible(), false, 'no English name asked for');
  assert.equal(await p.locator('#e-hours-week').isChecked(), true);
  assert.equal(await p.locator('#e-open-4').inputValue(), '09:00');
  assert.equal(await p.locator('#e-close-4').inputValue(), '14:00');
  assert.equal(await p.locator('#e-open-2').inputValue(), '', 'closed on Wednesday');
  const limits = (await (await fetch(`${env.base}/api/v1/limits`)).json()).fields;
  assert.equal(await p.locator('#e-name').getAttribute('maxlength'), String(limits.centre_name.max_chars));
  assert.equal(await p.locator('#e-short').getAttribute('maxlength'), String(limits.centre_short_name.max_chars));
  assert.deepEqual(await axe(p), [], 'axe, edit form open');
  await shot(p, 'centres-edit-fi');

  // a loop the form refuses: the message next to the field, nothing lost
  await p.locator('#e-short').fill('Koskela P');
  await p.locator('#e-loop').fill('61');
  await p.getByRole('button', { name: 'Tallenna muutokset' }).click();
  await p.locator('#e-loop-error', { hasText: '1–60 minuuttia' }).waitFor();
  assert.equal(await p.locator('#e-loop').getAttribute('aria-invalid'), 'true');
  assert.equal(await p.evaluate(() => document.activeElement.className), 'error-summary');
  assert.equal(await p.locator('#e-short').inputValue(), 'Koskela P');
  assert.equal(await p.locator('#e-loop').inputValue(), '61');

  // one only the server refuses (no such municipality): also next to its field
  await p.locator('#e-loop').fill('12');
  await p.locator('#e-muni').fill('999');
  await p.getByRole('button', { name: 'Tallenna muutokset' }).click();
  await p.locator('#e-muni[aria-invalid="true"]').waitFor();
  assert.equal(await p.locator('#e-muni-error').textContent(), 'Tällä numerolla ei ole kuntaa hyvinvointialueella. Tarkista kuntanumero, esimerkiksi 564 (Oulu).');
  assert.equal(await p.locator('#e-loop').getAttribute('aria-invalid'), null, 'the loop is fine now');
  assert.equal(await p.locator('#e-short').inputValue(), 'Koskela P');
  assert.equal(await p.locator('#e-loop').inputValue(), '12');
  assert.deepEqual(await axe(p), [], 'axe, errors showing');
  await shot(p, 'centres-edit-error-fi');
  assert.equal((await api.req('GET', `/centres/${centre}`)).loop_s, 300, 'nothing saved yet');

  await p.locator('#e-muni').fill('564');
  await p.getByRole('button', { name: 'Tallenna muutokset' }).click();
  await p.locator('#live', { hasText: `Toimipisteen ${NAME} muutokset on tallennettu` }).waitFor();
  assert.equal(await p.locator('#e-title').count(), 0, 'the panel closed');
  assert.equal(await p.evaluate(() => document.activeElement.id), `centre-edit-${centre}`, 'focus back on the button');

  await p.reload();
  const row = p.locator(`#centre-row-${centre}`);
  await row.waitFor();
  assert.match(await row.textContent(), /Koskela P/);
  assert.match(await row.textContent(), /12 min/);
  await p.locator(`#centre-edit-${centre}`).click();
  await p.locator('#e-title').waitFor();
  assert.equal(await p.locator('#e-loop').inputValue(), '12');
  assert.equal(await p.locator('#e-short').inputValue(), 'Koskela P');
  const c = await api.req('GET', `/centres/${centre}`);
  assert.equal(c.loop_s, 720);
  assert.equal(c.short_name, 'Koskela P');
  // what the form showed and did not change went back as it was
  assert.deepEqual(c.opening_hours, HOURS);
  assert.deepEqual(c.names, { sv: { name: 'Koskela välfärdspunkt', short: 'Koskela' } });
  assert.equal(c.withdraw_on_edit, false);
  assert.equal(c.address, 'Koskelantie 5');

  // Swedish, the panel open
  await p.getByRole('button', { name: 'Svenska' }).click();
  await p.locator('#e-title', { hasText: 'Redigera verksamhetsstället' }).waitFor();
  assert.deepEqual(await axe(p), [], 'axe in Swedish');
  await shot(p, 'centres-edit-sv');
  await p.getByRole('button', { name: 'Suomi' }).click();
  await p.close();
  noProblems();
});

test('the edit form at 390 px and at 200 % zoom: nothing scrolls sideways', async () => {
  for (const [tag, viewport] of [['390', { width: 390, height: 844 }], ['zoom200', { width: 640, height: 450 }]]) {
    for (const lang of ['fi', 'sv']) {
      const p = await newPage(browser.context, problems);
      await p.setViewportSize(viewport);
      await signIn(p, env.coordinator.email, env.coordinator.password);
      await p.evaluate((l) => window.localStorage.setItem('infotaulu.lang', l), lang);
      await p.goto(`${env.base}/centres.html`);
      await p.locator(`#centre-edit-${centre}`).click();
      await p.locator('#e-title').waitFor();
      await p.locator('#e-loop').fill('0');
      await p.locator('#e-close-0').fill('');
      await p.locator('section.panel button[type=submit]').click();
      await p.locator('section.panel .error-summary').waitFor();
      assert.ok(await sideways(p) <= 1, `${tag} ${lang}: ${await sideways(p)} px sideways`);
      assert.deepEqual(await axe(p), [], `axe ${tag} ${lang}`);
      await shot(p, `centres-edit-${tag}-${lang}`);
      // what the eye sees first: the summary, focused and scrolled to
      await shot(p, `centres-edit-${tag}-${lang}-view`, { fullPage: false });
      await p.close();
    }
  }
  noProblems();
});

test('deleting: a centre with screens is kept and says why; one without goes after a confirmation', async () => {
  const p = await newPage(browser.context, problems);
  await signIn(p, env.coordinator.email, env.coordinator.password);
  await p.evaluate(() => window.localStorage.setItem('infotaulu.lang', 'fi'));
  await p.goto(`${env.base}/centres.html`);

  await p.locator('h1').waitFor();
  await shot(p, 'centres-list-fi');
  // Tuira has two screens: refused, in words, and still there
  await p.getByRole('button', { name: /^Poista\s*: Tuiran hyvinvointikeskus$/ }).click();
  await p.getByText('Poistetaanko toimipiste Tuiran hyvinvointikeskus?').waitFor();
  await p.getByRole('button', { name: 'Kyllä, poista toimipiste' }).click();
  await p.getByText('Toimipistettä Tuiran hyvinvointikeskus ei poistettu').waitFor();
  assert.equal((await api.req('GET', `/centres/${W.tuira}`)).name, 'Tuiran hyvinvointikeskus');
  await p.getByRole('button', { name: 'Älä poista' }).click();
  assert.equal(await p.evaluate(() => document.activeElement.id), `centre-delete-${W.tuira}`, 'focus back on the button');

  // the new centre: the confirmation says what happens, then it goes
  await p.locator(`#centre-delete-${centre}`).click();
  const box = p.locator('.panel[role=group]');
  await box.waitFor();
  assert.match(await box.textContent(), /yhdyshenkilöt eivät enää ole/);
  assert.match(await box.textContent(), /jos sillä on näyttöjä/);
  assert.deepEqual(await axe(p), [], 'axe, confirmation open');
  await shot(p, 'centres-delete-confirm-fi');
  await box.getByRole('button', { name: 'Kyllä, poista toimipiste' }).click();
  await p.locator('#live', { hasText: `Toimipiste ${NAME} on poistettu.` }).waitFor();
  assert.equal(await p.locator(`#centre-row-${centre}`).count(), 0);
  await p.reload();
  await p.locator(`#centre-row-${W.tuira}`).waitFor();
  assert.equal(await p.locator(`#centre-row-${centre}`).count(), 0, 'gone after a reload');
  await assert.rejects(api.req('GET', `/centres/${centre}`), (e) => e.status === 404);
  await p.close();
  noProblems();
});

test('a loop budget set in seconds through the API (90 s) survives an edit that does not touch it', async () => {
  const id = (await api.req('POST', '/centres', { name: 'Sekuntikeskus', municipality: '564', loop_s: 90 })).id;
  const p = await newPage(browser.context, problems);
  await signIn(p, env.coordinator.email, env.coordinator.password);
  await p.evaluate(() => window.localStorage.setItem('infotaulu.lang', 'fi'));
  await p.goto(`${env.base}/centres.html`);
  await p.locator(`#centre-edit-${id}`).click();
  await p.locator('#e-title').waitFor();
  assert.equal(await p.locator('#e-loop').inputValue(), '2', 'shown rounded to whole minutes');
  await p.locator('#e-short').fill('Sekunti');
  await p.getByRole('button', { name: 'Tallenna muutokset' }).click();
  await p.locator('#live', { hasText: 'muutokset on tallennettu' }).waitFor();
  const c = await api.req('GET', `/centres/${id}`);
  assert.equal(c.short_name, 'Sekunti');
  assert.equal(c.loop_s, 90);
  await api.req('DELETE', `/centres/${id}`);
  await p.close();
  noProblems();
});
