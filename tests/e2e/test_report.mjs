// test_report.mjs: the play report page ("Raportti") in a real browser
// against the real server. The browser tests run the server without a
// broker, so no screen can report plays here: the page is first checked
// against the real, empty report (filters, empty message, CSV link that
// the server really answers), then with a report in the API's own shape
// served in place of the API's answer, to check the table, the summary,
// the chart's text alternative and that submitted titles stay text. The
// counting itself is tested with a real broker in
// tests/integration/publish/test_play_report.c.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, axe, shot, env } from './lib/browser.mjs';

const W = env.world;
let browser;
const problems = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
});

function noProblems() {
  const p = problems.splice(0).filter((x) => !/status of 401/.test(x));
  assert.deepEqual(p, []);
}

test('the coordinator opens the report: filters, empty report, a CSV link the server answers, axe clean', async () => {
  const p = await newPage(browser.context, problems);
  await signIn(p, env.coordinator.email, env.coordinator.password);
  await p.getByRole('link', { name: 'Raportti' }).click();
  await p.waitForURL(/report\.html/);
  assert.equal(await p.locator('h1').first().textContent(), 'Raportti');
  await p.getByText('Ei näyttöjä näillä rajauksilla.').waitFor();
  await p.getByLabel('Järjestö').selectOption({ label: 'Oulun Muistiyhdistys' });
  await p.getByRole('button', { name: 'Näytä' }).click();
  // The first report's text and link stay until the filtered one is in:
  // wait for the link of the new filter, not for the old text.
  const link = p.getByRole('link', { name: 'Lataa CSV (Excel)' });
  await link.and(p.locator(`[href*="organisation_id=${W.muisti}&"]`)).waitFor();
  await p.getByText('Ei näyttöjä näillä rajauksilla.').waitFor();
  const href = await link.getAttribute('href');
  assert.match(href, new RegExp(`organisation_id=${W.muisti}.*format=csv`));
  const csv = await p.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, type: r.headers.get('content-type'), bytes: [...new Uint8Array(await r.arrayBuffer())].slice(0, 3) };
  }, href);
  assert.equal(csv.status, 200);
  assert.match(csv.type, /^text\/csv/);
  assert.deepEqual(csv.bytes, [0xef, 0xbb, 0xbf]);
  assert.deepEqual(await axe(p), []);
  await p.close();
  noProblems();
});

test('a report with rows renders as a table with a summary and an accessible chart; titles stay text', async () => {
  const p = await newPage(browser.context, problems);
  await signIn(p, 'aino@muisti.fi', W.password);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const rows = [
    { item_id: 11, title: 'Muistikahvila <b>torstaisin</b>', organisation_id: W.muisti, organisation: 'Oulun Muistiyhdistys', centre_id: W.tuira, centre: 'Tuiran hyvinvointikeskus', seconds: 45000, screens: 2, first_day: today, last_day: today },
    { item_id: 12, title: 'Vertaisryhmä omaishoitajille', organisation_id: W.muisti, organisation: 'Oulun Muistiyhdistys', centre_id: W.kaakkuri, centre: 'Kaakkurin sote-keskus', seconds: 9000, screens: 1, first_day: today, last_day: today },
  ];
  await p.route('**/api/v1/reports/plays?*', (route) => route.fulfill({
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify({ organisation_id: W.muisti, from: null, to: null, all_centres: true, rows, total_seconds: 54000, truncated: false }),
  }));
  await p.goto(`${env.base}/report.html`);
  const table = p.getByRole('table', { name: 'Näyttöaika ilmoituksittain ja toimipisteittäin' });
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), 2);
  assert.equal(await table.getByRole('rowheader', { name: 'Muistikahvila <b>torstaisin</b>' }).count(), 1);
  assert.equal(await p.locator('b').count(), 0);
  assert.match(await table.locator('tbody tr').first().textContent(), /12,5.*2/);
  await p.getByText('Yhteensä 15,0 tuntia 3 näytöllä.').waitFor();
  const chart = p.getByRole('img', { name: 'Näyttötunnit ilmoituksittain' });
  assert.equal(await chart.count(), 1);
  assert.equal(await p.locator('svg.report-chart rect').count(), 2);
  assert.deepEqual(await axe(p), []);
  await shot(p, 'report');
  // The member's organisation select has no "all organisations".
  assert.equal(await p.getByLabel('Järjestö').locator('option').count(), 1);
  await p.close();
  noProblems();
});
