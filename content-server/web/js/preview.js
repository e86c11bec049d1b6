/* preview.js: the card as the lobby screens will show it, landscape and
 * portrait, rendered by the server (POST /api/v1/preview, a PNG). The PNG is
 * drawn on a canvas from the response bytes: the CSP (default-src 'self')
 * allows no blob: or data: images. Without the route the panel is hidden. */
import { api, ApiError, isMissing } from './api.js';
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { errorText } from './app.js';

let available = true;

async function draw(canvas, blob) {
  const bmp = await createImageBitmap(blob);
  canvas.width = bmp.width;
  canvas.height = bmp.height;
  canvas.getContext('2d').drawImage(bmp, 0, 0);
  bmp.close();
}

export function previewPanel(opts = {}) {
  const status = h('p', { class: 'muted', role: 'status' });
  const figs = {};
  const grid = h('div', { class: 'preview-grid' });
  for (const o of ['landscape', 'portrait']) {
    const canvas = h('canvas', { role: 'img', width: o === 'landscape' ? '384' : '216', height: o === 'landscape' ? '216' : '384', i18nAttr: { 'aria-label': `preview.${o}.alt` } });
    figs[o] = canvas;
    grid.append(h('figure', { class: `preview-${o}` }, canvas, h('figcaption', { i18n: `preview.${o}` })));
  }
  const el = h('section', { class: 'preview', 'aria-labelledby': opts.headingId || 'preview-title', hidden: true },
    h(opts.headingLevel || 'h2', { id: opts.headingId || 'preview-title', i18n: 'preview.title' }),
    h('p', { class: 'hint', i18n: 'preview.hint' }), status, grid);
  let seq = 0;
  let last = '';

  async function update(body) {
    if (!available) return;
    const key = JSON.stringify(body);
    if (key === last) return;
    last = key;
    const mine = ++seq;
    if (!body.title || !body.body) {
      el.hidden = false;
      grid.hidden = true;
      status.dataset.i18n = 'preview.empty';
      status.textContent = t('preview.empty');
      return;
    }
    try {
      const out = {};
      for (const o of ['landscape', 'portrait']) {
        out[o] = await api('POST', '/preview', { ...body, orientation: o });
      }
      if (mine !== seq) return;
      for (const o of ['landscape', 'portrait']) {
        if (out[o] instanceof Blob) await draw(figs[o], out[o]);
      }
      el.hidden = false;
      grid.hidden = false;
      status.textContent = '';
      delete status.dataset.i18n;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'preview_busy') {
        /* A slot frees in a moment: try again then, without a message. */
        last = '';
        if (mine === seq) window.setTimeout(() => update(body), 1000);
        return;
      }
      if (isMissing(e)) {
        available = false;
        el.hidden = true;
        return;
      }
      if (mine !== seq) return;
      el.hidden = false;
      grid.hidden = true;
      delete status.dataset.i18n;
      status.textContent = `${t('preview.failed')} ${errorText(e)}`;
    }
  }
  void clear;
  return { el, update };
}
