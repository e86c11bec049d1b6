/* page-audit.js (coordinator): the audit log in words, newest first:
 * each entry a sentence with the names the server resolved ("Aino
 * Virtanen hyväksyi ilmoituksen ”Muistikahvila” ..."), its details as
 * words; filters (who by name and address, action, object, refused only,
 * time) and paging to older entries. */
import { get } from './api.js';
import { h, clear } from './dom.js';
import { tableBox } from './tables.js';
import { t, onLangChange } from './i18n.js';
import { boot, errorText, field, busy, announce } from './app.js';
import { formatDateTime, formatRange, toInstant } from './time.js';

let users = [];
let entries = [];
let tableEl;
let more;
let lastQuery = '';

const has = (key) => t(key) !== key;

function actorName(e) {
  if (e.actor_kind === 'user') return e.actor_name || t('audit.actor.unknown');
  if (e.actor_kind === 'screen') return t('audit.actor.screen', { name: e.actor_name || `#${e.actor_id}` });
  if (e.actor_kind === 'system') return t('audit.actor.system');
  return t('audit.actor.anonymous');
}

const kindWord = (k) => (k && has(`audit.kind.${k}`) ? t(`audit.kind.${k}`) : k || '');

/* The entry as a sentence: "Aino Virtanen hyväksyi ilmoituksen
 * ”Muistikahvila” toimipisteen Tuiran hyvinvointikeskus näytöille." */
function sentence(e) {
  const d = e.details && typeof e.details === 'object' ? e.details : {};
  const vars = {
    actor: actorName(e),
    object: e.object_name || t('audit.object.unknown'),
    centre: e.centre_name || '–',
    user: e.user_name || (d.user_id ? `#${d.user_id}` : '–'),
    kind: kindWord(d.kind),
    action: e.action,
  };
  if (e.refused) {
    const what = has(`audit.r.${e.action}`) ? t(`audit.r.${e.action}`, vars) : t('audit.r.other', vars);
    return t('audit.refusedSentence', { actor: vars.actor, what });
  }
  return has(`audit.s.${e.action}`) ? t(`audit.s.${e.action}`, vars) : t('audit.unknownSentence', vars);
}

/* The details as words, never as JSON. */
function detailWords(e) {
  const d = e.details;
  if (!d) return '';
  if (typeof d !== 'object') return String(d);
  const out = [];
  for (const [k, v] of Object.entries(d)) {
    if (k === 'last') continue;
    if (k === 'first') {
      out.push(t('audit.d.between', { v: d.last ? formatRange(d.first, d.last) : formatDateTime(d.first) }));
      continue;
    }
    const text = typeof v === 'object' && v !== null ? Object.entries(v).map(([a, b]) => `${a} ${b}`).join(', ') : String(v);
    if (k === 'email') out.push(t('audit.d.email', { v: text }));
    else if (k === 'ip') out.push(t('audit.d.ip', { v: text }));
    else if (k === 'reason') out.push(has(`audit.d.reason.${text}`) ? t(`audit.d.reason.${text}`) : text);
    else if (k === 'version' || k === 'item_version') out.push(t('audit.d.version', { v: text }));
    else if (k === 'count') out.push(t('audit.d.count', { v: text }));
    else if (k === 'status') out.push(t('audit.d.status', { v: text }));
    else if (k === 'route') out.push(t('audit.d.route', { v: text }));
    else if (k === 'centre_id') out.push(t('audit.d.centre', { v: e.centre_name || `#${text}` }));
    else if (k === 'user_id') out.push(t('audit.d.user', { v: e.user_name ? `${e.user_name} <${e.user_email}>` : `#${text}` }));
    else if (k === 'purpose') out.push(has(`audit.d.purpose.${text}`) ? t(`audit.d.purpose.${text}`) : text);
    else if (k === 'kind' && e.action.startsWith('mail.')) continue;
    else out.push(t('audit.d.other', { k, v: text }));
  }
  return out.join(' ');
}

function render() {
  clear(tableEl);
  if (!entries.length) {
    tableEl.append(h('p', { i18n: 'audit.none' }));
    more.hidden = true;
    return;
  }
  const tbody = h('tbody');
  for (const e of entries) {
    tbody.append(h('tr', null, h('td', { text: formatDateTime(e.at) }),
      h('td', { class: 'audit-event', text: sentence(e) }),
      h('td', null, e.refused ? h('span', { class: 'state state-rejected', i18n: 'audit.refused' }) : h('span', { i18n: 'audit.ok' })),
      h('td', { class: 'user-text', text: detailWords(e) })));
  }
  tableEl.append(tableBox(h('table', null,
    h('caption', { class: 'visually-hidden', i18n: 'audit.caption' }),
    h('thead', null, h('tr', null, ...['at', 'event', 'result', 'details'].map((k) => h('th', { scope: 'col', i18n: `audit.col.${k}` })))), tbody)));
}

boot({
  page: 'audit',
  allow: (me, r) => r.coordinator,
  render: async (content) => {
    content.append(h('h1', { i18n: 'audit.title' }), h('p', { i18n: 'audit.lead' }));
    try {
      users = (await get('/users')).users || [];
    } catch {
      users = [];
    }
    /* Two people can share a name: the address tells them apart. */
    const actor = h('select', null, h('option', { value: '', i18n: 'audit.any' }),
      ...users.map((u) => h('option', { value: String(u.id), text: `${u.name} <${u.email}>` })));
    const action = h('input', { type: 'text', spellcheck: 'false', autocomplete: 'off' });
    const objType = h('select', null, h('option', { value: '', i18n: 'audit.any' }),
      ...['item', 'placement', 'centre', 'screen', 'org', 'user', 'alert', 'token', 'area', 'draft', 'route'].map((o) => h('option', { value: o, i18n: `audit.type.${o}` })));
    const refused = h('select', null, h('option', { value: '', i18n: 'audit.all' }), h('option', { value: '1', i18n: 'audit.onlyRefused' }), h('option', { value: '0', i18n: 'audit.onlyOk' }));
    const since = h('input', { type: 'date' });
    const until = h('input', { type: 'date' });
    const submit = h('button', { type: 'submit', class: 'button', i18n: 'audit.search' });
    const err = h('p', { class: 'error-message', role: 'alert' });
    const form = h('form', { novalidate: true, role: 'search', i18nAttr: { 'aria-label': 'audit.filters' } },
      h('div', { class: 'inline-fields' },
        field({ id: 'f-actor', label: 'audit.f.actor', control: actor }),
        field({ id: 'f-action', label: 'audit.f.action', hint: 'audit.f.action.hint', control: action }),
        field({ id: 'f-object', label: 'audit.f.object', control: objType }),
        field({ id: 'f-refused', label: 'audit.f.refused', control: refused }),
        field({ id: 'f-since', label: 'audit.f.since', control: since }),
        field({ id: 'f-until', label: 'audit.f.until', control: until })),
      h('div', { class: 'button-row' }, submit), err);
    tableEl = h('div');
    more = h('button', { type: 'button', class: 'button secondary', i18n: 'audit.more', hidden: true });
    content.append(form, h('h2', { i18n: 'audit.results' }), tableEl, h('div', { class: 'button-row' }, more));

    const query = (beforeId) => {
      const q = new URLSearchParams();
      if (actor.value) q.set('actor_id', actor.value);
      if (action.value.trim()) q.set('action', action.value.trim());
      if (objType.value) q.set('object_type', objType.value);
      if (refused.value) q.set('refused', refused.value);
      const s = toInstant(since.value, '00:00');
      const u = toInstant(until.value, '23:59');
      if (s) q.set('since', new Date(s).toISOString().replace(/\.\d+Z$/, 'Z'));
      if (u) q.set('until', new Date(Date.parse(u) + 59999).toISOString().replace(/\.\d+Z$/, 'Z'));
      q.set('limit', '100');
      if (beforeId) q.set('before_id', String(beforeId));
      return q.toString();
    };
    const run = async (append) => {
      err.textContent = '';
      const q = append ? query(entries[entries.length - 1].id) : query();
      try {
        const r = await get(`/audit?${q}`);
        const got = r.entries || [];
        entries = append ? entries.concat(got) : got;
        more.hidden = got.length < 100;
        render();
        if (!append) lastQuery = q;
        announce(t('audit.found', { n: entries.length }));
      } catch (e) {
        err.textContent = errorText(e);
      }
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      busy(submit, () => run(false));
    });
    more.addEventListener('click', () => busy(more, () => run(true)));
    await run(false);
    void lastQuery;
    onLangChange(render);
  },
});
