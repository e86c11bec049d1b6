// test_static.mjs: rules about the web root's files that need no browser:
// no markup ever built from strings, no inline script or style (the CSP
// would block them anyway), no external resources, and the three
// catalogues have exactly the same keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const src = process.env.TAULU_E2E_SRC || join(import.meta.dirname, '..', '..');
const web = join(src, 'content-server', 'web');
const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]));

test('no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval in the UI', () => {
  for (const f of files(web).filter((x) => x.endsWith('.js'))) {
    const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    assert.doesNotMatch(code, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, f);
  }
});

test('no inline script, inline style, style attribute or external resource in the pages', () => {
  for (const f of files(web).filter((x) => x.endsWith('.html'))) {
    const html = readFileSync(f, 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${f}: inline script`);
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, `${f}: inline style or handler`);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, `${f}: external resource`);
    assert.match(html, /<html lang="fi">/, `${f}: lang`);
  }
  for (const f of files(web).filter((x) => x.endsWith('.css') || x.endsWith('.js'))) {
    assert.doesNotMatch(readFileSync(f, 'utf8'), /https?:\/\/[a-z0-9]/i, `${f}: external URL`);
  }
});

test('the fi, sv and en catalogues have the same keys and no empty text', async () => {
  const load = async (l) => (await import(pathToFileURL(join(web, 'i18n', `${l}.js`)).href)).default;
  const [fi, sv, en] = await Promise.all(['fi', 'sv', 'en'].map(load));
  assert.deepEqual(Object.keys(sv).sort(), Object.keys(fi).sort());
  assert.deepEqual(Object.keys(en).sort(), Object.keys(fi).sort());
  for (const c of [fi, sv, en]) for (const [k, v] of Object.entries(c)) assert.ok(v.trim(), k);
});

test('every key the code asks for exists in the catalogue', async () => {
  const fi = (await import(pathToFileURL(join(web, 'i18n', 'fi.js')).href)).default;
  const used = new Set();
  for (const f of files(join(web, 'js'))) {
    const code = readFileSync(f, 'utf8');
    for (const m of code.matchAll(/(?:i18n|label|hint|labelArgs|\bt)(?::\s*|\(\s*)'([a-z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9_-]+)+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 100, `found ${used.size} keys`);
  for (const k of used) assert.ok(k in fi, `missing key ${k}`);
});
