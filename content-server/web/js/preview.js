/* preview.js: the card as every target screen will show it: each distinct
 * real screen of the chosen centres (the profile its player reports, else
 * the configured one), every page, drawn by the server with the screens'
 * own code (POST /api/v1/preview/screens), with the fit gate's verdict on
 * each screen in words. Without a centre the server shows the usual lobby
 * screen and says so. The PNGs come as base64 in the JSON and are drawn on
 * canvases from their bytes: the CSP (default-src 'self') allows no blob:
 * or data: images. Without the route the panel is hidden.
 *
 * Nothing moves under the pointer: the screens are listed in a box of a
 * fixed height that scrolls (reachable by keyboard: it takes focus and
 * arrow keys scroll it), so however many screens and pages arrive, the
 * buttons below the panel (the form's send, the queue's decisions) stay
 * where they are; a status line keeps its line when it is empty. A new
 * rendering replaces the old one whole, once all its pictures are drawn. */
import { api, ApiError, isMissing } from './api.js';
import { h } from './dom.js';
import { t, getLang, onLangChange } from './i18n.js';
import { errorText } from './app.js';

let available = true;

function bytesOf(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function draw(canvas, png) {
  const bmp = await createImageBitmap(png);
  canvas.width = bmp.width;
  canvas.height = bmp.height;
  canvas.getContext('2d').drawImage(bmp, 0, 0);
  bmp.close();
}

/* A screen's words in the UI's language (fi, sv, en from the server). */
function inLang(words) {
  if (!words) return '';
  return words[getLang()] || words.fi || '';
}

export function previewPanel(opts = {}) {
  const status = h('p', { class: 'muted', role: 'status' });
  const level = opts.headingLevel || 'h2';
  const sub = `h${Math.min(6, Number(level.slice(1)) + 1)}`;
  const list = h('ul', { class: 'preview-screens' });
  const more = h('p', { class: 'muted preview-more' });
  const box = h('div', { class: 'preview-box', tabindex: '0', role: 'group', i18nAttr: { 'aria-label': 'preview.screens' } }, list, more);
  /* A region of the page (landmark) by default; opts.region false for one
   * of many, as in the queue's entries, where every region would have the
   * same name. */
  const region = opts.region !== false;
  const el = h(region ? 'section' : 'div', { class: 'preview', 'aria-labelledby': region ? opts.headingId || 'preview-title' : null, hidden: !available },
    h(level, { id: opts.headingId || 'preview-title', i18n: 'preview.title' }),
    h('p', { class: 'hint', i18n: 'preview.hint' }), status, box);
  let seq = 0;
  let last = '';
  let answer = null; /* the last answer drawn, its pictures decoded */

  function say(key, extra) {
    if (key && !extra) status.dataset.i18n = key;
    else delete status.dataset.i18n;
    status.textContent = key ? `${t(key)}${extra ? ` ${extra}` : ''}` : '';
  }

  /* The list for an answer whose pictures are decoded (png: Blob). The
   * canvases are drawn before the list replaces the old one. */
  async function build(a) {
    const items = [];
    for (const s of a.screens || []) {
      const name = inLang(s.words) || s.name;
      const pages = s.pages || (s.images || []).length;
      const verdict = s.default ? t('preview.default') : inLang(s.verdict);
      const figs = [];
      for (const im of s.images || []) {
        const canvas = h('canvas', { role: 'img', width: String(im.width), height: String(im.height),
          'aria-label': t('preview.page.alt', { screen: name, page: im.page + 1, pages }) });
        canvas.style.aspectRatio = `${im.width} / ${im.height}`;
        await draw(canvas, im.blob);
        figs.push(h('figure', { class: im.height > im.width ? 'portrait' : 'landscape' }, canvas,
          pages > 1 ? h('figcaption', { text: t('preview.page', { page: im.page + 1, pages }) }) : null));
      }
      items.push(h('li', { class: 'preview-screen' },
        h(sub, { text: name }),
        s.default ? null : h('p', { class: 'muted preview-figures', text: s.name }),
        h('p', { class: s.fits ? 'verdict verdict-ok' : 'verdict verdict-problem' },
          s.fits ? null : h('span', { class: 'state state-offline', text: t('preview.problem') }),
          s.fits ? null : ' ', h('span', { text: verdict })),
        h('div', { class: 'preview-pages' }, ...figs),
        s.pages_left_out ? h('p', { class: 'muted', text: t('preview.pagesLeft', { n: s.pages_left_out }) }) : null));
    }
    list.replaceChildren(...items);
    more.textContent = a.screens_left_out ? t('preview.screensLeft', { n: a.screens_left_out }) : '';
  }

  onLangChange(() => {
    if (answer) build(answer);
  });

  async function update(body) {
    if (!available) return;
    const key = JSON.stringify(body);
    if (key === last) return;
    last = key;
    const mine = ++seq;
    if (!body.title || !body.body) {
      answer = null;
      list.replaceChildren();
      more.textContent = '';
      say('preview.empty');
      return;
    }
    /* A new rendering replaces the old one without a word; an empty box
     * says that one is coming. */
    if (!answer) say('preview.loading');
    try {
      const a = await api('POST', '/preview/screens', body);
      if (mine !== seq) return;
      for (const s of a.screens || []) {
        for (const im of s.images || []) {
          im.blob = new Blob([bytesOf(im.png.slice(im.png.indexOf(',') + 1))], { type: 'image/png' });
          delete im.png;
        }
      }
      await build(a);
      if (mine !== seq) return;
      answer = a;
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
      answer = null;
      list.replaceChildren();
      say('preview.failed', errorText(e));
    }
  }
  return { el, update };
}
