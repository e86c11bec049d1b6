/* page-audit.js (coordinator): the audit log, newest first, with filters
 * (who, action, object, refused only, time) and paging to older entries. */
import { get } from './api.js';
import { h, clear } from './dom.js';
import { t, onLangChange } from './i18n.js';
import { boot, errorText, field, busy, announce } from './app.js';
import { formatDateTime, toInstant } from './time.js';

let users = [];
let entries = [];
let tableEl;
let more;
let lastQuery = '';

function who(e) {
  if (e.actor_kind === 'user') {
    const u = users.find((x) => x.id === e.actor_id);
    return u ? u.name : `#${e.actor_id}`;
  }
  return `${e.actor_kind}${e.actor_id ? ` #${e.actor_id}` : ''}`;
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
    tbody.append(h('tr', null, h('td', { text: formatDateTime(e.at) }), h('td', { text: who(e) }),
      h('td', { text: e.action }), h('td', { text: e.object_type ? `${e.object_type} ${e.object_id || ''}`.trim() : '–' }),
      h('td', null, e.refused ? h('span', { class: 'state state-rejected', i18n: 'audit.refused' }) : h('span', { i18n: 'audit.ok' })),
      h('td', { class: 'user-text', text: e.details ? JSON.stringify(e.details) : '' })));
  }
  tableEl.append(h('div', { class: 'table-wrap' }, h('table', null,
    h('caption', { class: 'visually-hidden', i18n: 'audit.caption' }),
    h('thead', null, h('tr', null, ...['at', 'who', 'action', 'object', 'result', 'details'].map((k) => h('th', { scope: 'col', i18n: `audit.col.${k}` })))), tbody)));
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
    const actor = h('select', null, h('option', { value: '', i18n: 'audit.any' }), ...users.map((u) => h('option', { value: String(u.id), text: u.name })));
    const action = h('input', { type: 'text', spellcheck: 'false', autocomplete: 'off' });
    const objType = h('select', null, h('option', { value: '', i18n: 'audit.any' }),
      ...['item', 'placement', 'centre', 'screen', 'org', 'user', 'alert', 'session', 'token', 'area'].map((o) => h('option', { value: o, text: o })));
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
