// lib/browser.mjs: Debian's Chromium via playwright-core, with the flags
// that keep it quiet on a machine without internet, a fresh profile per
// run, and helpers shared by the tests (sign in, axe, screenshots).
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const env = {
  base: process.env.TAULU_E2E_BASE,
  shots: process.env.TAULU_E2E_SHOTS || join(here, '..', 'screenshots'),
  world: process.env.TAULU_E2E_WORLD ? JSON.parse(readFileSync(process.env.TAULU_E2E_WORLD, 'utf8')) : null,
  coordinator: { email: process.env.TAULU_E2E_COORD_EMAIL, password: process.env.TAULU_E2E_COORD_PASSWORD },
};

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'taulu-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.TAULU_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--lang=fi-FI'],
    viewport: { width: 1280, height: 900 },
    locale: 'fi-FI',
    timezoneId: 'Europe/Helsinki',
  });
  const close = async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context: browser, close };
}

// Longest wait for one step (navigation, an element to appear).
export const STEP_TIMEOUT_MS = Number(process.env.TAULU_E2E_STEP_MS || 30000);

// One Chromium with separate contexts (own cookies) for users signed in
// side by side; newContext() gives the same locale, zone and viewport.
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.TAULU_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--lang=fi-FI'],
  });
  const newContext = () => browser.newContext({
    viewport: { width: 1280, height: 900 }, locale: 'fi-FI', timezoneId: 'Europe/Helsinki',
  });
  return { browser, newContext, close: () => browser.close() };
}

// A page that fails the test on console errors, page errors and dialogs
// (an alert() would mean submitted text ran as script).
export async function newPage(context, problems) {
  const page = await context.newPage();
  // Generous: on a loaded 2-core CI machine a navigation can take seconds;
  // a real failure still ends the wait.
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A route this server does not have (yet) is a 404 the UI handles by
    // hiding its panel; the browser still logs the response. Script errors
    // are page errors.
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('dialog', async (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    await d.dismiss();
  });
  return page;
}

export async function signIn(page, email, password, base = env.base) {
  await page.context().clearCookies();
  await page.goto(`${base}/index.html`);
  if ((await page.locator('html').getAttribute('lang')) !== 'fi') await page.getByRole('button', { name: 'Suomi' }).click();
  await page.getByLabel('Sähköpostiosoite').fill(email);
  await page.getByLabel('Salasana').fill(password);
  await page.getByRole('button', { name: 'Kirjaudu' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/index.html') && u.pathname !== '/');
  await page.locator('h1').first().waitFor();
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// axe-core with the WCAG 2.0/2.1 A and AA rules; returns the violations.
export async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

export async function shot(page, name, opts = {}) {
  mkdirSync(env.shots, { recursive: true });
  const path = join(env.shots, `${name}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage !== false });
  return path;
}

export { pathToFileURL };
