/* page-centres.js (coordinator): the county's centres, a form to add one
 * and, per centre, the same form to change it or a confirmation to delete
 * it. The form: the name and its short form for the screens' header, the
 * names in the centre's other languages, municipality code, address, area,
 * languages of its screens, opening hours, how long a screen's loop may be
 * and whether an edited item leaves the screens until approved again.
 * PUT replaces the whole record (a field left out takes its default), so
 * the edit form sends every field, each pre-filled from GET. */
import { get, post, put, del } from './api.js';
import { h, clear } from './dom.js';
import { tableBox } from './tables.js';
import { t, onLangChange } from './i18n.js';
import { boot, announce, errorText, field, showErrors, clearErrors, busy, apiErrors } from './app.js';
import { maxChars } from './limits.js';

const UI_LANGS = ['fi', 'sv', 'en'];
let centres = [];
let areas = [];
let tableEl;
let panelEl; /* the edit form or the delete confirmation, under the list */

const langName = (l) => {
  const k = `lang.${l}`;
  const s = t(k);
  return s === k ? l : s;
};

async function reload() {
  centres = (await get('/centres')).centres || [];
  render();
}

function openPanel(content, returnTo) {
  clear(panelEl);
  panelEl.append(content);
  panelEl.hidden = false;
  const head = panelEl.querySelector('h2, h3, p');
  if (head) {
    head.setAttribute('tabindex', '-1');
    head.focus();
  }
  panelEl.dataset.return = returnTo ? returnTo.id : '';
}

function closePanel() {
  const back = panelEl.dataset.return && document.getElementById(panelEl.dataset.return);
  clear(panelEl);
  panelEl.hidden = true;
  if (back) back.focus();
}

/* A button whose accessible name ends with the centre's name. */
function action(key, c, cls, fn) {
  const b = h('button', { type: 'button', class: cls },
    h('span', { i18n: key }), h('span', { class: 'visually-hidden', text: `: ${c.name}` }));
  b.addEventListener('click', () => fn(b));
  return b;
}

function render() {
  clear(tableEl);
  if (!centres.length) {
    tableEl.append(h('p', { i18n: 'centres.none' }));
    return;
  }
  const tbody = h('tbody');
  for (const c of centres) {
    const area = areas.find((a) => a.id === c.area_id);
    /* the names the screens show: each language's name, its short form */
    const names = [c.short_name ? `${c.name} (${c.short_name})` : null];
    for (const [l, n] of Object.entries(c.names || {})) {
      names.push(`${langName(l)}: ${n.name}${n.short ? ` (${n.short})` : ''}`);
    }
    const edit = action('centres.edit', c, 'linklike', (b) => editCentre(c, b));
    edit.id = `centre-edit-${c.id}`;
    const remove = action('centres.delete', c, 'linklike', (b) => confirmDelete(c, b));
    remove.id = `centre-delete-${c.id}`;
    tbody.append(h('tr', { id: `centre-row-${c.id}` }, h('th', { scope: 'row' }, h('span', { text: c.name }),
      ...names.filter(Boolean).map((n) => h('div', { class: 'muted', text: n }))),
      h('td', { text: `${c.municipality_name || ''} (${c.municipality})` }),
      h('td', { text: area ? area.name : '–' }),
      h('td', { text: (c.languages || []).join(', ') }),
      h('td', { i18n: 'centres.loopMinutes', args: { n: Math.round((c.loop_s || 300) / 60) } }),
      h('td', { i18n: c.withdraw_on_edit ? 'centres.withdraw.yes' : 'centres.withdraw.no' }),
      h('td', null, h('div', { class: 'actions' }, edit, remove))));
  }
  tableEl.append(tableBox(h('table', null,
    h('thead', null, h('tr', null, ...['name', 'municipality', 'area', 'languages', 'loop', 'onEdit', 'actions'].map((k) => h('th', { scope: 'col', i18n: `centres.col.${k}` })))),
    tbody), 'centres.caption'));
}

/* The opening hours, Monday first: a choice between "no hours" (always
 * open, sent as null) and a week of open/close times, a day with neither
 * closed. Returns the fieldset and read() -> {hours, errs}. */
function hoursFields(p, hours) {
  const always = h('input', { type: 'radio', name: `${p}-hours-kind`, id: `${p}-hours-none`, value: 'none', checked: hours === null || hours === undefined });
  const weekly = h('input', { type: 'radio', name: `${p}-hours-kind`, id: `${p}-hours-week`, value: 'week', checked: Array.isArray(hours) });
  const days = [];
  const week = h('div', { class: 'hours-week' }, h('p', { class: 'hint', i18n: 'centres.f.hours.hint' }));
  for (let i = 0; i < 7; i++) {
    const d = Array.isArray(hours) ? hours[i] : null;
    const open = h('input', { type: 'time', step: '300', value: d ? d.open : '' });
    const close = h('input', { type: 'time', step: '300', value: d ? d.close : '' });
    days.push({ open, close });
    week.append(h('fieldset', { class: 'hours-day' }, h('legend', { i18n: `wd.${i + 1}` }),
      field({ id: `${p}-open-${i}`, label: 'centres.f.hours.open', control: open }),
      field({ id: `${p}-close-${i}`, label: 'centres.f.hours.close', control: close })));
  }
  const sync = () => {
    week.hidden = !weekly.checked;
  };
  const fs = h('fieldset', { id: `${p}-hours` }, h('legend', { i18n: 'centres.f.hours' }),
    h('div', { class: 'radio' }, always, h('label', { for: `${p}-hours-none`, i18n: 'centres.f.hours.none' })),
    h('div', { class: 'radio' }, weekly, h('label', { for: `${p}-hours-week`, i18n: 'centres.f.hours.week' })),
    week);
  fs.addEventListener('change', sync);
  sync();
  const read = () => {
    if (!weekly.checked) return { hours: null, errs: [] };
    const errs = [];
    const out = days.map((d, i) => {
      const o = d.open.value;
      const cl = d.close.value;
      if (!o && !cl) return null;
      if (!o || !cl || o >= cl) errs.push({ id: `${p}-${o ? 'close' : 'open'}-${i}`, text: t('centres.err.hours', { day: t(`wd.${i + 1}`) }) });
      return { open: o, close: cl };
    });
    return { hours: out, errs };
  };
  return { el: fs, read };
}

/*
 * The centre's form, for a new centre (c null, ids prefixed "c") or an
 * existing one (pre-filled from c, ids prefixed "e"). onSave(body) sends
 * it and throws the API's error, which is then shown next to its field;
 * nothing typed is lost either way.
 */
function centreForm(p, c, submitKey, onSave, extra) {
  const name = h('input', { type: 'text', maxlength: maxChars('centre_name'), value: c ? c.name : '' });
  const shortName = h('input', { type: 'text', maxlength: maxChars('centre_short_name'), value: c && c.short_name ? c.short_name : '' });
  const chosen0 = c ? c.languages || ['fi'] : ['fi'];
  /* the centre's languages in its order, then the others the UI names */
  const order = [...chosen0, ...UI_LANGS.filter((l) => !chosen0.includes(l))];
  /* the names in the other languages, asked for each language chosen after the first */
  const other = {};
  for (const l of order) {
    const given = c && c.names && c.names[l];
    const n = h('input', { type: 'text', maxlength: maxChars('centre_name'), lang: l, value: given ? given.name : '' });
    const sh = h('input', { type: 'text', maxlength: maxChars('centre_short_name'), lang: l, value: given && given.short ? given.short : '' });
    other[l] = {
      name: n, short: sh,
      el: h('fieldset', { hidden: true }, UI_LANGS.includes(l) ? h('legend', { i18n: `centres.f.names.${l}` }) : h('legend', { i18n: 'centres.f.names.other', args: { lang: l } }),
        field({ id: `${p}-name-${l}`, label: 'centres.f.otherName', control: n }),
        field({ id: `${p}-short-${l}`, label: 'centres.f.shortName', hint: 'centres.f.shortName.hint', control: sh })),
    };
  }
  const muni = h('input', { type: 'text', inputmode: 'numeric', maxlength: '3', pattern: '[0-9]{3}', autocomplete: 'off', value: c ? c.municipality : '' });
  const address = h('input', { type: 'text', maxlength: '200', autocomplete: 'off', value: c ? c.address || '' : '' });
  const area = h('select', null, h('option', { value: '', i18n: 'centres.area.none' }),
    ...areas.map((a) => h('option', { value: String(a.id), text: a.name, selected: !!c && c.area_id === a.id })));
  const langs = h('fieldset', null, h('legend', { i18n: 'centres.f.languages' }), h('p', { class: 'hint', i18n: 'centres.f.languages.hint' }));
  for (const l of order) {
    langs.append(h('div', { class: 'check' }, h('input', { type: 'checkbox', id: `${p}-lang-${l}`, value: l, checked: chosen0.includes(l) }),
      h('label', UI_LANGS.includes(l) ? { for: `${p}-lang-${l}`, i18n: `lang.${l}` } : { for: `${p}-lang-${l}`, text: l })));
  }
  const chosenLangs = () => [...langs.querySelectorAll('input:checked')].map((x) => x.value);
  /* the first chosen language is `name`'s; each other one asks its name */
  const syncNames = () => {
    const chosen = chosenLangs();
    for (const l of order) other[l].el.hidden = !chosen.includes(l) || chosen[0] === l;
  };
  langs.addEventListener('change', syncNames);
  syncNames();
  const hours = hoursFields(p, c ? c.opening_hours : null);
  const withdraw = h('input', { type: 'checkbox', id: `${p}-withdraw`, checked: c ? !!c.withdraw_on_edit : true });
  const loopS = c ? c.loop_s || 300 : 300;
  const loopShown = String(Math.round(loopS / 60));
  const loop = h('input', { type: 'number', min: '1', max: '60', step: '1', inputmode: 'numeric', value: loopShown });
  const submit = h('button', { type: 'submit', class: 'button', i18n: submitKey });
  const f = h('form', { novalidate: true },
    field({ id: `${p}-name`, label: 'centres.f.name', control: name }),
    field({ id: `${p}-short`, label: 'centres.f.shortName', hint: 'centres.f.shortName.hint', control: shortName }),
    field({ id: `${p}-muni`, label: 'centres.f.municipality', hint: 'centres.f.municipality.hint', control: muni }),
    field({ id: `${p}-address`, label: 'centres.f.address', control: address }),
    field({ id: `${p}-area`, label: 'centres.f.area', control: area }),
    langs,
    ...order.map((l) => other[l].el),
    field({ id: `${p}-loop`, label: 'centres.f.loop', hint: 'centres.f.loop.hint', control: loop }),
    hours.el,
    h('div', { class: 'check' }, withdraw, h('label', { for: `${p}-withdraw`, i18n: 'centres.f.withdraw' })),
    h('div', { class: 'button-row' }, submit, extra || null));
  /* the API's field names to the controls that hold them */
  const fieldId = (x) => {
    const simple = { name: 'name', short_name: 'short', municipality: 'muni', address: 'address', area_id: 'area', loop_s: 'loop', withdraw_on_edit: 'withdraw' }[x];
    if (simple) return `${p}-${simple}`;
    if (x === 'languages') return `${p}-lang-${order[0]}`;
    let m = /^names\.([a-z]{2,3})(?:\.(name|short))?$/.exec(x);
    if (m) return `${p}-${m[2] === 'short' ? 'short' : 'name'}-${m[1]}`;
    m = /^opening_hours(?:\[(\d)\])?/.exec(x);
    if (m) return m[1] ? `${p}-open-${m[1]}` : `${p}-hours-week`;
    return null;
  };
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const errs = [];
      if (!name.value.trim()) errs.push({ id: `${p}-name`, text: t('centres.err.name') });
      if (!/^\d{3}$/.test(muni.value.trim())) errs.push({ id: `${p}-muni`, text: t('centres.err.municipality') });
      const languages = chosenLangs();
      if (!languages.length) errs.push({ id: `${p}-lang-${order[0]}`, text: t('centres.err.languages') });
      const loopMin = Number(loop.value);
      if (loop.value.trim() === '' || !Number.isInteger(loopMin) || loopMin < 1 || loopMin > 60) errs.push({ id: `${p}-loop`, text: t('centres.err.loop') });
      const hr = hours.read();
      errs.push(...hr.errs);
      if (errs.length) {
        showErrors(f, errs);
        return;
      }
      clearErrors(f);
      const b = { name: name.value.trim(), municipality: muni.value.trim(), languages, withdraw_on_edit: withdraw.checked,
        /* a budget set in seconds through the API (90 s) is kept unless the minutes are changed */
        loop_s: loop.value.trim() === loopShown && loopS >= 60 ? loopS : loopMin * 60, opening_hours: hr.hours, short_name: shortName.value.trim(), address: address.value.trim(),
        area_id: area.value ? +area.value : null };
      for (const l of languages.slice(1)) {
        if (!other[l].name.value.trim()) continue;
        b.names = b.names || {};
        b.names[l] = { name: other[l].name.value.trim() };
        if (other[l].short.value.trim()) b.names[l].short = other[l].short.value.trim();
      }
      try {
        await onSave(b);
      } catch (e) {
        const errs = apiErrors(e, fieldId);
        /* the one refusal the server's general words do not explain */
        if (e.field === 'municipality' && e.code === 'invalid_value') errs[0].text = t('centres.err.municipality.unknown');
        showErrors(f, errs);
      }
    });
  });
  return f;
}

function newForm() {
  const f = centreForm('c', null, 'centres.create', async (b) => {
    await post('/centres', b);
    announce(t('centres.created', { name: b.name }));
    /* a fresh, empty form, its first field ready for the next one */
    const fresh = newForm();
    f.replaceWith(fresh);
    fresh.querySelector('input').focus();
    await reload();
  });
  return f;
}

function editCentre(c0, opener) {
  busy(opener, async () => {
    let c;
    try {
      /* the record as it is now, not as the list was drawn */
      c = await get(`/centres/${c0.id}`);
    } catch (e) {
      openPanel(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }), opener);
      return;
    }
    const cancel = h('button', { type: 'button', class: 'button secondary', i18n: 'centres.edit.cancel' });
    cancel.addEventListener('click', closePanel);
    const f = centreForm('e', c, 'centres.edit.save', async (b) => {
      await put(`/centres/${c.id}`, b);
      announce(t('centres.edit.saved', { name: b.name }));
      closePanel();
      await reload();
      const back = document.getElementById(`centre-edit-${c.id}`);
      if (back) back.focus();
    }, cancel);
    f.setAttribute('aria-labelledby', 'e-title');
    /* the heading first, the error summary (prepended to the form) under it */
    openPanel(h('section', { class: 'panel', 'aria-labelledby': 'e-title' },
      h('h2', { id: 'e-title', i18n: 'centres.edit.title', args: { name: c.name } }), f), opener);
  });
}

/* What the server does on DELETE: the record goes, with who is its
 * contact person and the hours PTV gave it; a centre that has screens,
 * items placed at it (in any state, also long gone) or notices is
 * refused (409 referenced) and stays as it was. */
function confirmDelete(c, opener) {
  const yes = h('button', { type: 'button', class: 'button warning', i18n: 'centres.delete.yes' });
  const no = h('button', { type: 'button', class: 'button secondary', i18n: 'centres.delete.no' });
  const err = h('p', { class: 'error-message', role: 'alert' });
  const box = h('div', { class: 'panel', role: 'group', 'aria-labelledby': 'd-q' },
    h('p', { id: 'd-q' }, h('strong', { i18n: 'centres.delete.confirm', args: { name: c.name } })),
    h('p', { i18n: 'centres.delete.what' }),
    h('p', { i18n: 'centres.delete.refused' }),
    h('div', { class: 'button-row' }, yes, no), err);
  no.addEventListener('click', closePanel);
  yes.addEventListener('click', () => busy(yes, async () => {
    try {
      await del(`/centres/${c.id}`);
      announce(t('centres.deleted', { name: c.name }));
      panelEl.dataset.return = '';
      closePanel();
      await reload();
      const list = tableEl.querySelector('[tabindex="0"]');
      if (list) list.focus();
    } catch (e) {
      err.textContent = e.code === 'referenced' ? t('centres.delete.inUse', { name: c.name }) : errorText(e);
    }
  }));
  openPanel(box, opener);
}

boot({
  page: 'centres',
  allow: (me, r) => r.coordinator,
  render: async (content) => {
    content.append(h('h1', { i18n: 'centres.title' }));
    tableEl = h('div');
    panelEl = h('div', { hidden: true });
    try {
      [centres, areas] = await Promise.all([get('/centres').then((r) => r.centres || []), get('/areas').then((r) => r.areas || [])]);
    } catch (e) {
      content.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      return;
    }
    content.append(tableEl, panelEl, h('h2', { i18n: 'centres.new' }), newForm());
    render();
    onLangChange(render);
  },
});
