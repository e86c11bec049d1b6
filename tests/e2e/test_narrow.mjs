// test_narrow.mjs: every page on a phone, 390 px wide, in Finnish and in
// Swedish, as each role sees it with the data the tests before this one
// made (queues with entries and duplicates, users, the audit log, tables
// of screens and centres): nothing scrolls sideways
// (document.documentElement.scrollWidth <= 390) and axe-core (WCAG 2.1 A
// and AA and best practice, scrollable-region-focusable included: a table
// that scrolls is a region the keyboard reaches) finds nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, signIn, axe, shot, env } from './lib/browser.mjs';
import { Client } from './lib/api.mjs';

const W = env.world;
const WIDTH = 390;
let browser;
const problems = [];

before(async () => {
  browser = await launchBrowser();
  // The long names real people and associations have: an address and an
  // organisation's name without a place to break, in the tables, the
  // member lists and the selects that offer them.
  const c = new Client(env.base);
  await c.login(env.coordinator.email, env.coordinator.password);
  const org = (await c.req('POST', '/organisations', { name: 'Pohjois-Pohjanmaan Muistiyhdistysten Kattojärjestö ry', kind: 'ngo' })).id;
  await c.req('POST', '/users', {
    email: 'maria-kristiina.vapaaehtoinen-pitkanimi@seurakuntayhtyma-esimerkki.fi', name: 'Maria-Kristiina Vapaaehtoinen-Pitkänimi',
    password: 'pitka-nimi-salasana-1', contact_centres: [W.tuira], organisations: [org, W.muisti], coordinator: false,
  });
});

after(async () => {
  await browser.close();
});

const PAGES = [
  [null, ['index', 'forgot', 'password']],
  ['aino@muisti.fi', ['items', 'item', 'organisations', 'account', 'report']],
  ['tuula@pohde.fi', ['queue', 'screens', 'alerts', 'report', 'account']],
  [env.coordinator.email, ['queue', 'items', 'screens', 'alerts', 'centres', 'organisations', 'users', 'audit', 'report']],
];

for (const lang of ['fi', 'sv']) {
  test(`every page at ${WIDTH} px in ${lang === 'fi' ? 'Finnish' : 'Swedish'}: no sideways scrolling, no axe violations`, async () => {
    const found = {};
    for (const [who, pages] of PAGES) {
      const ctx = await browser.newContext();
      const p = await newPage(ctx, problems);
      await p.setViewportSize({ width: WIDTH, height: 844 });
      if (who) await signIn(p, who, who === env.coordinator.email ? env.coordinator.password : W.password);
      else await p.goto(`${env.base}/index.html`);
      await p.evaluate((l) => window.localStorage.setItem('infotaulu.lang', l), lang);
      for (const name of pages) {
        // the set-password page without a working link says so
        await p.goto(`${env.base}/${name}.html${name === 'password' ? '#t=00' : ''}`);
        await p.locator('h1').first().waitFor();
        await p.waitForLoadState('networkidle');
        assert.equal(await p.locator('html').getAttribute('lang'), lang, name);
        const key = `${who ? who.split('@')[0] : 'anonymous'} ${name}`;
        const width = await p.evaluate(() => document.documentElement.scrollWidth);
        if (width > WIDTH) found[key] = `${width} px wide`;
        const v = await axe(p);
        if (v.length) found[key] = v;
        await shot(p, `390-${lang}-${key.replace(' ', '-')}`);
      }
      await ctx.close();
    }
    assert.deepEqual(found, {});
    const p = problems.splice(0).filter((x) => !/status of 40[0-9]/.test(x));
    assert.deepEqual(p, []);
  });
}
