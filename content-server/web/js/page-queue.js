/* page-queue.js: "Hyväksyttävät": what waits for the contact person's
 * centres, oldest first. Each entry starts with its title, a warning when
 * it may duplicate another item at the centre, and the decision buttons:
 * approving with the default display period is one click; rejecting or
 * asking for changes needs a reason. Below them: what changed in an edited
 * item, the checker's findings (the figures under "Lisätiedot"), the
 * content and a preview, folded on a phone so that the next entry's
 * buttons are a short scroll away. After an approval the entry says on how
 * many screens the item is live: checked four times a second until every
 * screen shows it (the player reports within a second), then with the
 * page's own polling.
 *
 * queue.html?item=N shows one item instead (a duplicate's link): its
 * content and its state at the reader's centres.
 *
 * Nothing above an entry's buttons changes size after the entry is shown
 * (the findings come first, the preview keeps its size while it is made):
 * a button moving between the press and the release loses the click, or
 * gives it to whatever moved under the pointer. */
import { get, post, ApiError, isMissing } from './api.js';
import { h, clear } from './dom.js';
import { t, getLang, onLangChange } from './i18n.js';
import { boot, announce, errorText, poll, field, showErrors, clearErrors, busy, stateBadge } from './app.js';
import { formatDateTime, toInstant, toInputs } from './time.js';
import { changesList, contentView, findingsList } from './itemview.js';
import { stateWords } from './queueparts.js';
import { previewPanel } from './preview.js';
import { runCheck, checkerAvailable, spanOf } from './checker.js';

let centres = new Map();
let listEl;
const shown = new Map(); /* placement id -> card element */
const approvedLive = new Map(); /* placement id -> {item, centre, el} */
let liveAvailable = true;

/* One text version (the reader's language if there is one) with the
 * item's fields, as /check and /preview take it. */
function versionBody(item, lang, tx, centreId) {
  const b = { lang, plain: !!tx.plain, title: tx.title, body: tx.body, kind: item.kind, category: item.category };
  if (centreId) b.centres = [centreId];
  if (item.kind === 'event') {
    Object.assign(b, { starts_at: item.starts_at, ends_at: item.ends_at, free: !!item.free,
      step_free: !!item.step_free, induction_loop: !!item.induction_loop });
    for (const k of ['place', 'price', 'registration']) if (tx[k]) b[k] = tx[k];
  }
  if (tx.contact) b.contact = tx.contact;
  if (item.display_until) b.display_until = item.display_until;
  if (item.link) b.link = item.link;
  if (item.image_sha256) {
    b.image = true;
    b.image_sha256 = item.image_sha256; /* the preview draws the picture */
    if (tx.image_alt) b.image_alt = tx.image_alt;
  }
  return b;
}

function previewBody(item, centreId) {
  const texts = item.texts || {};
  const lang = texts[getLang()] ? getLang() : Object.keys(texts)[0];
  return lang ? versionBody(item, lang, texts[lang], centreId) : { title: '', body: '' };
}

/* The version's text fields a finding's span can point into. */
const QUOTABLE = new Set(['title', 'body', 'place', 'price', 'registration', 'contact', 'image_alt']);

function quoted(list, lang, tx) {
  return list.map((f) => {
    const text = QUOTABLE.has(f.field) ? tx[f.field] : null;
    let quote = null;
    if (text) {
      const [a, b] = spanOf(f, text);
      if (b > a) quote = text.slice(a, b);
    }
    return { ...f, lang, quote };
  });
}

/* The findings stored with the version (per language), or else asked from
 * the checker now; null when neither is available. */
async function findingsOf(item, p) {
  const stored = (p && p.findings) || item.findings;
  const texts = item.texts || {};
  if (stored && typeof stored === 'object') {
    return Object.entries(stored).flatMap(([lang, r]) => quoted((r && r.findings) || [], lang, texts[lang] || {}));
  }
  if (!checkerAvailable()) return null;
  const all = [];
  for (const [lang, tx] of Object.entries(texts)) {
    let r;
    try {
      r = await runCheck(versionBody(item, lang, tx, p && p.centre_id));
    } catch {
      return null;
    }
    if (!r) return null;
    all.push(...quoted(r.findings || [], lang, tx));
  }
  return all;
}

function periodControls(p, item) {
  const from = p.display_from || item.display_from || null;
  const until = p.display_until || item.display_until;
  const id = `p${p.id}`;
  const fd = h('input', { type: 'date', value: toInputs(from || new Date().toISOString()).date });
  const ft = h('input', { type: 'time', step: '300', value: toInputs(from || new Date().toISOString()).time });
  const ud = h('input', { type: 'date', value: toInputs(until).date });
  const ut = h('input', { type: 'time', step: '300', value: toInputs(until).time });
  const details = h('details', null, h('summary', { i18n: 'queue.changePeriod' }),
    h('div', { class: 'inline-fields' },
      field({ id: `${id}-from-date`, label: 'queue.from.date', control: fd }),
      field({ id: `${id}-from-time`, label: 'queue.from.time', control: ft }),
      field({ id: `${id}-until-date`, label: 'queue.until.date', control: ud }),
      field({ id: `${id}-until-time`, label: 'queue.until.time', control: ut })));
  const summary = h('p', { id: `${id}-period`, i18n: from ? 'queue.period' : 'queue.period.now',
    args: { from: formatDateTime(from), until: formatDateTime(until) } });
  /* The body of the approval: only what the contact person changed. */
  const body = () => {
    const b = { item_version: p.item_version };
    if (details.open) {
      const f = toInstant(fd.value, ft.value);
      const u = toInstant(ud.value, ut.value);
      if (f && Date.parse(f) > Date.now() + 60000) b.display_from = f;
      if (u && u !== until) b.display_until = u;
    }
    return b;
  };
  return { summary, details, body };
}

function liveLine(entry, r) {
  if (!r) return;
  clear(entry.el).append(h('span', { i18n: r.total === 1 ? 'live.onOne' : 'live.on', args: { n: r.live, m: r.total } }));
}

/* One approved entry's "näkyy N/M": true once every screen shows it. */
async function refreshOne(entry) {
  try {
    const r = await get(`/items/${entry.item}/live`);
    const c = (r.centres || []).find((x) => x.centre_id === entry.centre);
    const key = c ? `${c.live}/${c.total}` : '';
    if (c && key !== entry.last) {
      liveLine(entry, c);
      if (entry.last !== undefined) announce(t(c.total === 1 ? 'live.onOne' : 'live.on', { n: c.live, m: c.total }));
      entry.last = key;
    }
    return !!c && c.total > 0 && c.live === c.total;
  } catch (e) {
    if (isMissing(e)) liveAvailable = false;
    return false;
  }
}

async function refreshLive() {
  if (!liveAvailable) return;
  for (const entry of approvedLive.values()) {
    await refreshOne(entry);
    if (!liveAvailable) return;
  }
}

/* Right after an approval the screens change within a second: asked four
 * times a second for a while, so that "näkyy 1/1" comes when it is true,
 * not at the next 4 s poll. */
export const FAST_LIVE_MS = 250;
const FAST_LIVE_FOR_MS = 30000;
function watchLive(entry) {
  const end = Date.now() + FAST_LIVE_FOR_MS;
  const tick = async () => {
    if (!liveAvailable || document.visibilityState !== 'visible') return;
    const all = await refreshOne(entry);
    if (!all && Date.now() < end) window.setTimeout(tick, FAST_LIVE_MS);
  };
  tick();
}

function decided(card, p, item, newState, text) {
  const title = card.querySelector('h2');
  clear(card);
  card.append(title, h('p', { role: 'status' }, stateBadge(newState), ' ', h('span', { text })));
  if (newState === 'approved') {
    const el = h('p', { class: 'live-line' });
    card.append(el);
    const entry = { item: item.id, centre: p.centre_id, el };
    approvedLive.set(p.id, entry);
    watchLive(entry);
  }
  card.append(h('p', null, h('a', { href: '#queue-top', i18n: 'queue.next' })));
  const next = card.nextElementSibling && card.nextElementSibling.querySelector('h2');
  (next || title).focus();
}

/* Wide screens show an entry whole; on a phone its parts are folded and
 * its buttons come first. */
const wide = () => window.matchMedia('(min-width: 48rem)').matches;

async function queueCard(p, detail, queued) {
  const item = detail.item;
  const centreName = centres.get(p.centre_id) || '';
  const title = (item.texts[getLang()] || item.texts.fi || Object.values(item.texts)[0] || {}).title || '';
  const card = h('li', { class: 'card', 'data-placement': p.id });
  card.append(h('h2', { class: 'user-text', tabindex: '-1', id: `q-${p.id}-title`, text: title }));
  card.append(h('p', null, h('strong', { text: centreName }), ' · ',
    h('span', { i18n: 'queue.submitted', args: { at: formatDateTime(p.submitted_at) } })));
  const dupes = duplicatesNote(detail.duplicates, queued);
  if (dupes) card.append(dupes);

  /* The decision first: approve with the default period in one click... */
  const period = periodControls(p, item);
  const approve = h('button', { type: 'button', class: 'button', 'aria-describedby': `p${p.id}-period` },
    h('span', { i18n: 'queue.approve' }), h('span', { class: 'visually-hidden', text: `: ${title}` }));
  const approveErr = h('p', { class: 'error-message', role: 'alert' });
  approve.addEventListener('click', () => busy(approve, async () => {
    approveErr.textContent = '';
    try {
      const r = await post(`/placements/${p.id}/approve`, period.body());
      const text = t('queue.approved', { until: formatDateTime(r.display_until) });
      announce(text);
      decided(card, p, item, 'approved', text);
    } catch (e) {
      approveErr.textContent = errorText(e);
    }
  }));
  card.append(h('div', { class: 'approve-box' }, period.summary, approveErr, h('div', { class: 'button-row' }, approve), period.details));

  /* ...or send back or reject: a reason is required. */
  const reason = h('textarea', { rows: '3', maxlength: '500' });
  const form = h('form', { novalidate: true });
  const ask = h('button', { type: 'submit', class: 'button secondary', value: 'request-changes', i18n: 'queue.ask' });
  const reject = h('button', { type: 'submit', class: 'button warning', value: 'reject', i18n: 'queue.reject' });
  form.append(field({ id: `p${p.id}-reason`, label: 'queue.reason', hint: 'queue.reason.hint', control: reason }),
    h('div', { class: 'button-row' }, ask, reject));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const action = ev.submitter && ev.submitter.value === 'reject' ? 'reject' : 'request-changes';
    const btn = action === 'reject' ? reject : ask;
    busy(btn, async () => {
      if (!reason.value.trim()) {
        showErrors(form, [{ id: `p${p.id}-reason`, text: t('queue.reason.missing') }]);
        return;
      }
      clearErrors(form);
      try {
        await post(`/placements/${p.id}/${action}`, { item_version: p.item_version, reason: reason.value.trim() });
        const text = t(action === 'reject' ? 'queue.rejected' : 'queue.sentBack');
        announce(text);
        decided(card, p, item, action === 'reject' ? 'rejected' : 'changes_requested', text);
      } catch (e) {
        showErrors(form, [{ id: e instanceof ApiError && e.field === 'reason' ? `p${p.id}-reason` : null, text: errorText(e) }]);
      }
    });
  });
  card.append(h('details', { class: 'send-back' }, h('summary', { i18n: 'queue.sendBack' }), form));

  /* What to read before deciding. An edit's changes are always open. */
  const changes = detail.changes || [];
  if (p.changed_since_approval || changes.length) {
    card.append(h('div', { class: 'panel notice' }, h('h3', { i18n: 'queue.changed' }),
      changes.length ? changesList(changes, item) : h('p', { i18n: 'queue.changed.none' })));
  }
  const open = wide();
  const fs = await findingsOf(item, p);
  if (fs !== null) {
    const shownFs = fs.filter((f) => f.severity !== 'notice');
    const errors = shownFs.filter((f) => f.severity === 'error').length;
    card.append(h('details', { class: 'queue-part', open },
      h('summary', null, h('span', { i18n: 'queue.findings' }), ' ',
        h('span', { class: 'muted', i18n: 'queue.findings.count', args: { n: shownFs.length, errors } })),
      shownFs.length ? findingsList(shownFs) : h('p', { i18n: 'queue.findings.none' })));
  }
  card.append(h('details', { class: 'queue-part', open }, h('summary', { i18n: 'queue.content' }), contentView(item, 'h3')));
  const preview = previewPanel({ headingId: `q-${p.id}-preview`, headingLevel: 'h3', region: false });
  card.append(h('details', { class: 'queue-part', open }, h('summary', { i18n: 'preview.title' }), preview.el));
  preview.update(previewBody(item, p.centre_id));
  return card;
}

/* "Mahdollinen kaksoiskappale": items at the same centre the server
 * found to say the same or nearly the same (GET /placements/{id}), each
 * a link: to its entry when it waits in this queue, else to the item. */
function duplicatesNote(dupes, queued) {
  if (!dupes || !dupes.length) return null;
  const ul = h('ul', { class: 'dupes' });
  for (const d of dupes) {
    const href = d.state === 'submitted' && queued.has(d.placement_id) ? `#q-${d.placement_id}-title` : `queue.html?item=${d.item_id}`;
    /* its title in the reader's language when it has one */
    const lang = d.titles && d.titles[getLang()] ? getLang() : d.lang;
    const title = d.titles && d.titles[lang] ? d.titles[lang] : d.title;
    ul.append(h('li', null, h('strong', { i18n: 'queue.dupe' }), ' ',
      h('a', { href, class: 'user-text', lang, text: `”${title}”` }), ' ',
      h('span', { i18n: 'queue.dupe.what', args: { state: stateWords(d.state), at: formatDateTime(d.submitted_at) } })));
  }
  return h('div', { class: 'panel dupe-note' }, ul);
}

async function load(initial) {
  let q;
  try {
    q = await get('/queue');
  } catch (e) {
    if (initial) listEl.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
    return;
  }
  const placements = q.placements || [];
  let ul = listEl.querySelector('ul.card-list');
  if (!ul) {
    clear(listEl);
    ul = h('ul', { class: 'card-list' });
    listEl.append(ul);
  }
  const empty = listEl.querySelector('.queue-empty');
  if (empty) empty.remove();
  let added = 0;
  for (const p of placements) {
    if (shown.has(p.id)) continue;
    let detail;
    try {
      detail = await get(`/placements/${p.id}`);
    } catch {
      continue;
    }
    const card = await queueCard(p, detail, new Set(placements.map((x) => x.id)));
    shown.set(p.id, card);
    ul.append(card);
    added += 1;
  }
  const open = [...shown.values()].filter((c) => c.querySelector('.approve-box')).length;
  counter.dataset.i18nArgs = JSON.stringify({ n: open });
  counter.dataset.i18n = open === 1 ? 'queue.count.one' : 'queue.count';
  counter.textContent = t(counter.dataset.i18n, { n: open });
  if (!open && !approvedLive.size) listEl.prepend(h('p', { class: 'queue-empty', i18n: 'queue.empty' }));
  if (!initial && added) announce(t('queue.new', { n: added }));
}

let counter;

/* queue.html?item=N: one item, read only (where a duplicate's link
 * leads): its state at the reader's centres and its content. */
async function itemView(content, id) {
  content.append(h('p', null, h('a', { href: 'queue.html', i18n: 'queue.back' })));
  let item;
  try {
    item = await get(`/items/${encodeURIComponent(id)}`);
  } catch (e) {
    content.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
    return;
  }
  const tx = item.texts[getLang()] || item.texts.fi || Object.values(item.texts)[0] || {};
  const card = h('section', { class: 'card', 'aria-labelledby': 'item-title' },
    h('h2', { id: 'item-title', class: 'user-text', text: tx.title || '' }));
  const ul = h('ul', { class: 'placements' });
  for (const pl of item.placements || []) {
    ul.append(h('li', null, h('strong', { text: `${centres.get(pl.centre_id) || ''}: ` }), stateBadge(pl.state),
      pl.submitted_at ? h('span', { class: 'muted', text: ` · ${t('queue.submitted', { at: formatDateTime(pl.submitted_at) })}` }) : null));
  }
  card.append(ul, contentView(item, 'h3'));
  content.append(card);
}

boot({
  page: 'queue',
  allow: (me, r) => r.contact || r.coordinator,
  render: async (content) => {
    content.append(h('h1', { id: 'queue-top', tabindex: '-1', i18n: 'queue.title' }));
    const only = new URLSearchParams(window.location.search).get('item');
    if (only) {
      try {
        const c = await get('/centres');
        centres = new Map((c.centres || []).map((x) => [x.id, x.name]));
      } catch {
        /* names only */
      }
      await itemView(content, only);
      return;
    }
    counter = h('p', { class: 'lead' });
    content.append(counter, h('p', { i18n: 'queue.lead' }));
    listEl = h('div');
    content.append(listEl);
    try {
      const c = await get('/centres');
      centres = new Map((c.centres || []).map((x) => [x.id, x.name]));
    } catch {
      /* names only */
    }
    await load(true);
    poll(async () => {
      await load(false);
      await refreshLive();
    }, 4000);
    onLangChange(() => {});
  },
});
