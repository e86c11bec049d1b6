/* page-sources.js: content from where it already lives (docs/importers.md).
 * An organisation's members (and the coordinator) add the iCalendar feeds
 * and Linked Events queries it publishes in, for its centres; the
 * coordinator adds a centre's PTV service location. Each source shows
 * how its last run went (when, the error in words, the counts) and what
 * became of every event: imported (to the queue like any submission),
 * refused by the check (with the reasons), skipped (with the reason), or
 * withdrawn because the source no longer has it. "Fetch now" runs it at
 * once; the list updates by itself. The contact persons of its centres
 * read it. */
import { get, post, del } from './api.js';
import { h, clear } from './dom.js';
import { t, msg, onLangChange } from './i18n.js';
import { boot, announce, errorText, field, showErrors, clearErrors, busy, apiErrors, poll, roles, CATEGORIES } from './app.js';
import { formatDateTime } from './time.js';

let me;
let sources = [];
let centres = [];
let orgs = [];
let listEl;
const open = new Set(); /* sources whose events are shown */

const name = (list, id) => (list.find((x) => x.id === id) || {}).name || String(id);

function countsText(c) {
  if (!c) return '';
  if (c.not_modified) return t('sources.notModified');
  return t('sources.counts', c);
}

/* Why an event was refused or skipped, in the chosen language. */
function reasonText(e) {
  const r = e.reason;
  if (!r) return '';
  if (r.error) {
    const parts = [msg(r.error.message)];
    for (const c of r.checks || []) {
      for (const f of c.findings || []) {
        if (f.severity === 'error') parts.push(msg(f.message));
      }
    }
    return parts.join(' ');
  }
  if (r.code) {
    const k = `sources.skip.${r.code}`;
    const w = t(k);
    return w === k ? r.detail || r.code : w;
  }
  return '';
}

function entries(s) {
  const ul = h('ul', { class: 'entries' });
  for (const e of s.entries || []) {
    ul.append(h('li', null,
      h('span', { class: 'user-text', text: e.title || e.ext_id }), ' – ',
      h('span', { class: `entry-state entry-${e.state}`, i18n: `sources.entry.${e.state}` }),
      e.item_id ? [' ', h('a', { href: `items.html#item-${e.item_id}`, i18n: 'sources.item', args: { id: e.item_id } })] : null,
      e.reason ? h('p', { class: 'reason', text: reasonText(e) }) : null));
  }
  if (!(s.entries || []).length) ul.append(h('li', { i18n: 'sources.noEntries' }));
  return ul;
}

function card(s) {
  const canWrite = me.coordinator || (s.organisation_id && (me.organisations || []).includes(s.organisation_id));
  const err = h('p', { class: 'error-message', role: 'alert' });
  const runBtn = h('button', { type: 'button', class: 'button secondary' }, h('span', { i18n: 'sources.run' }), h('span', { class: 'visually-hidden', text: `: ${s.name}` }));
  const delBtn = h('button', { type: 'button', class: 'button warning' }, h('span', { i18n: 'sources.delete' }), h('span', { class: 'visually-hidden', text: `: ${s.name}` }));
  const confirmBtn = h('button', { type: 'button', class: 'button warning', hidden: true }, h('span', { i18n: 'sources.deleteConfirm' }), h('span', { class: 'visually-hidden', text: `: ${s.name}` }));
  runBtn.addEventListener('click', () => busy(runBtn, async () => {
    try {
      await post(`/import-sources/${s.id}/run`);
      announce(t('sources.running', { name: s.name }));
    } catch (e) {
      err.textContent = errorText(e);
    }
  }));
  delBtn.addEventListener('click', () => {
    confirmBtn.hidden = false;
    confirmBtn.focus();
  });
  confirmBtn.addEventListener('click', () => busy(confirmBtn, async () => {
    try {
      await del(`/import-sources/${s.id}`);
      announce(t('sources.deleted', { name: s.name }));
      await load();
      render();
      listEl.focus();
    } catch (e) {
      err.textContent = errorText(e);
    }
  }));
  const details = h('details', { 'data-source': String(s.id) }, h('summary', { i18n: 'sources.events' }));
  if (open.has(s.id)) details.open = true;
  details.addEventListener('toggle', async () => {
    if (!details.open) {
      open.delete(s.id);
      return;
    }
    open.add(s.id);
    await fillDetails(details, s.id);
  });
  let status;
  if (!s.last_run_at) status = h('p', { i18n: 'sources.notRun' });
  else if (s.last_error) {
    status = h('p', { class: 'status-bad' }, h('strong', { i18n: 'sources.failed' }), ' ',
      h('span', { i18n: 'sources.lastRun', args: { at: formatDateTime(s.last_run_at) } }), h('br'),
      h('span', { class: 'user-text', lang: 'en', text: s.last_error }), h('br'),
      h('span', { i18n: 'sources.nextTry', args: { at: formatDateTime(s.next_run_at), n: s.failures } }));
  } else {
    status = h('p', { class: 'status-ok' }, h('strong', { i18n: 'sources.ok' }), ' ',
      h('span', { i18n: 'sources.lastRun', args: { at: formatDateTime(s.last_run_at) } }), ' ',
      h('span', { text: countsText(s.counts) }));
  }
  return h('li', { class: 'card', 'data-source-id': String(s.id) },
    h('h3', { class: 'user-text', text: s.name }),
    h('p', null, h('span', { i18n: `sources.kind.${s.kind}` }), ' · ',
      s.organisation_id ? h('span', { text: name(orgs, s.organisation_id) }) : null,
      s.organisation_id ? ' · ' : null,
      h('span', { text: s.centres.map((c) => name(centres, c)).join(', ') })),
    h('p', { class: 'user-text url', text: s.url }),
    status, err,
    canWrite ? h('div', { class: 'button-row' }, runBtn, delBtn, confirmBtn) : null,
    details);
}

async function fillDetails(details, id) {
  try {
    const s = await get(`/import-sources/${id}`);
    const old = details.querySelector('.entries');
    if (old) old.remove();
    details.append(entries(s));
  } catch (e) {
    details.append(h('p', { class: 'error-message', text: errorText(e) }));
  }
}

function render() {
  clear(listEl);
  if (!sources.length) {
    listEl.append(h('p', { i18n: 'sources.none' }));
    return;
  }
  const ul = h('ul', { class: 'card-list' });
  for (const s of sources) ul.append(card(s));
  listEl.append(ul);
  for (const d of listEl.querySelectorAll('details[open]')) fillDetails(d, Number(d.dataset.source));
}

async function load() {
  sources = (await get('/import-sources')).sources || [];
}

function form() {
  const r = roles(me);
  const kinds = ['ical', 'linkedevents'].concat(r.coordinator ? ['ptv'] : []);
  const kind = h('select', null, ...kinds.map((k) => h('option', { value: k, i18n: `sources.kind.${k}` })));
  const title = h('input', { type: 'text', maxlength: '120', autocomplete: 'off' });
  const url = h('input', { type: 'url', maxlength: '2000', autocomplete: 'off', spellcheck: 'false' });
  const myOrgs = me.coordinator ? orgs : orgs.filter((o) => (me.organisations || []).includes(o.id));
  const org = h('select', null, myOrgs.length === 1 ? null : h('option', { value: '', i18n: 'form.choose' }),
    ...myOrgs.map((o) => h('option', { value: String(o.id), text: o.name })));
  const cat = h('select', null, h('option', { value: '', i18n: 'form.choose' }), ...CATEGORIES.map((c) => h('option', { value: c, i18n: `cat.${c}` })));
  const lang = h('select', null, ...['fi', 'sv', 'en'].map((l) => h('option', { value: l, i18n: `lang.${l}` })));
  const cs = h('fieldset', { 'aria-describedby': 's-centres-hint' }, h('legend', { i18n: 'sources.f.centres' }),
    h('span', { class: 'hint', id: 's-centres-hint', i18n: 'sources.f.centres.hint' }),
    ...centres.map((c) => h('div', { class: 'check' }, h('input', { type: 'checkbox', id: `s-centre-${c.id}`, value: String(c.id) }), h('label', { for: `s-centre-${c.id}`, text: c.name }))));
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'sources.add' });
  const orgGroup = field({ id: 's-org', label: 'sources.f.organisation', control: org });
  const catGroup = field({ id: 's-category', label: 'sources.f.category', hint: 'sources.f.category.hint', control: cat });
  const langGroup = field({ id: 's-lang', label: 'sources.f.lang', hint: 'sources.f.lang.hint', control: lang });
  const f = h('form', { novalidate: true },
    field({ id: 's-kind', label: 'sources.f.kind', control: kind }),
    field({ id: 's-name', label: 'sources.f.name', hint: 'sources.f.name.hint', control: title }),
    field({ id: 's-url', label: 'sources.f.url', hint: 'sources.f.url.hint', control: url }),
    orgGroup, cs, catGroup, langGroup,
    h('div', { class: 'button-row' }, submit));
  const sync = () => {
    const ptv = kind.value === 'ptv';
    orgGroup.hidden = ptv;
    catGroup.hidden = ptv;
    langGroup.hidden = ptv;
    f.querySelector('#s-url-hint').textContent = t(`sources.f.url.hint.${kind.value}`);
  };
  kind.addEventListener('change', sync);
  sync();
  const map = { kind: 's-kind', name: 's-name', url: 's-url', organisation_id: 's-org', category: 's-category', lang: 's-lang' };
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const ptv = kind.value === 'ptv';
      const chosen = [...cs.querySelectorAll('input:checked')].map((c) => Number(c.value));
      const errs = [];
      if (!title.value.trim()) errs.push({ id: 's-name', text: t('sources.err.name') });
      if (!/^https:\/\/\S+$/.test(url.value.trim()) && !/^http:\/\/127\.0\.0\.1[:/]/.test(url.value.trim())) errs.push({ id: 's-url', text: t('sources.err.url') });
      if (!ptv && !org.value) errs.push({ id: 's-org', text: t('sources.err.organisation') });
      if (!chosen.length || (ptv && chosen.length !== 1)) errs.push({ id: centres.length ? `s-centre-${centres[0].id}` : null, text: t(ptv ? 'sources.err.onecentre' : 'sources.err.centres') });
      if (!ptv && !cat.value) errs.push({ id: 's-category', text: t('sources.err.category') });
      if (errs.length) {
        showErrors(f, errs);
        return;
      }
      clearErrors(f);
      const b = { kind: kind.value, name: title.value.trim(), url: url.value.trim(), centres: chosen };
      if (!ptv) {
        b.organisation_id = Number(org.value);
        b.category = cat.value;
        b.lang = lang.value;
      }
      try {
        await post('/import-sources', b);
        announce(t('sources.added', { name: b.name }));
        title.value = '';
        url.value = '';
        await load();
        render();
      } catch (e) {
        showErrors(f, apiErrors(e, (x) => map[x] || (x.startsWith('centres') && centres.length ? `s-centre-${centres[0].id}` : null)));
      }
    });
  });
  return f;
}

boot({
  page: 'sources',
  allow: (m, r) => r.member || r.coordinator || r.contact,
  render: async (content, m) => {
    me = m;
    content.append(h('h1', { i18n: 'sources.title' }), h('p', { class: 'lead', i18n: 'sources.lead' }));
    try {
      [centres, orgs] = await Promise.all([
        get('/centres').then((x) => x.centres || []),
        get('/organisations').then((x) => x.organisations || []),
      ]);
      await load();
    } catch (e) {
      content.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      return;
    }
    listEl = h('div', { tabindex: '-1', 'aria-labelledby': 'sources-list' });
    content.append(h('h2', { id: 'sources-list', i18n: 'sources.list' }), listEl);
    render();
    const r = roles(me);
    if (r.member || r.coordinator) content.append(h('h2', { i18n: 'sources.new' }), h('p', { i18n: 'sources.new.lead' }), form());
    /* A run on demand, or by the schedule: its result appears by
     * itself. */
    poll(async () => {
      const before = JSON.stringify(sources);
      await load();
      if (JSON.stringify(sources) !== before) {
        const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('[data-source-id]');
        render();
        if (focused) {
          const again = listEl.querySelector(`[data-source-id="${focused.dataset.sourceId}"] button`);
          if (again) again.focus();
        }
      }
    }, 2000);
    onLangChange(() => render());
  },
});
