/* preview.js: the card as the lobby screens will show it, landscape and
 * portrait, rendered by the server (POST /api/v1/preview, a PNG). The PNG is
 * drawn on a canvas from the response bytes: the CSP (default-src 'self')
 * allows no blob: or data: images. Without the route the panel is hidden.
 *
 * The panel has its full size from the start: two empty frames of the
 * pictures' proportions and a status line ("Esikatselua tehdään…") that keeps its
 * line when it is empty. A rendering takes a moment, and the buttons below
 * the panel (the form's send, the queue's decisions) must not jump away
 * under the pointer when it arrives: a press that lands on one place and a
 * release on another is no click at all, or a click on something else. */
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

function blank(canvas) {
  canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
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
  /* Shown at once unless this server is already known to have no preview.
   * A region of the page (landmark) by default; opts.region false for one
   * of many, as in the queue's entries, where every region would have the
   * same name. */
  const region = opts.region !== false;
  const el = h(region ? 'section' : 'div', { class: 'preview', 'aria-labelledby': region ? opts.headingId || 'preview-title' : null, hidden: !available },
    h(opts.headingLevel || 'h2', { id: opts.headingId || 'preview-title', i18n: 'preview.title' }),
    h('p', { class: 'hint', i18n: 'preview.hint' }), status, grid);
  let seq = 0;
  let last = '';
  let drawn = false; /* the frames show the last rendering */

  function say(key, extra) {
    if (key && !extra) status.dataset.i18n = key;
    else delete status.dataset.i18n;
    status.textContent = key ? `${t(key)}${extra ? ` ${extra}` : ''}` : '';
  }

  function empty() {
    for (const c of Object.values(figs)) blank(c);
    drawn = false;
  }

  async function update(body) {
    if (!available) return;
    const key = JSON.stringify(body);
    if (key === last) return;
    last = key;
    const mine = ++seq;
    if (!body.title || !body.body) {
      empty();
      say('preview.empty');
      return;
    }
    /* A new rendering replaces the old one without a word; empty frames
     * say that one is coming. */
    if (!drawn) say('preview.loading');
    try {
      const out = {};
      for (const o of ['landscape', 'portrait']) {
        out[o] = await api('POST', '/preview', { ...body, orientation: o });
      }
      if (mine !== seq) return;
      for (const o of ['landscape', 'portrait']) {
        if (out[o] instanceof Blob) await draw(figs[o], out[o]);
      }
      drawn = true;
      say(null);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'preview_busy') {
        /* A slot frees in a moment: try again then, without a message. */
        last = '';
        if (mine === seq) window.setTimeout(() => update(body), 1000);
        return;
      }
      if (isMissing(e)) {
        /* A server without the route says so at once, without rendering:
         * the panel goes before anyone has aimed at what is below it. */
        available = false;
        el.hidden = true;
        return;
      }
      if (mine !== seq) return;
      empty();
      say('preview.failed', errorText(e));
    }
  }
  void clear;
  return { el, update };
}
