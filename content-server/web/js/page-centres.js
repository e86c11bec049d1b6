/* page-centres.js (coordinator): the county's centres and a form to add
 * one: name and its short form for the screens' header, the names in the
 * centre's other languages, municipality code, address, languages of its
 * screens, and whether an edited item leaves the screens until approved
 * again. */
import { get, post } from './api.js';
import { h, clear } from './dom.js';
import { tableBox } from './tables.js';
import { t, onLangChange } from './i18n.js';
import { boot, announce, errorText, field, showErrors, clearErrors, busy, apiErrors } from './app.js';
import { maxChars } from './limits.js';

let centres = [];
let areas = [];
let tableEl;

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
      names.push(`${t(`lang.${l}`)}: ${n.name}${n.short ? ` (${n.short})` : ''}`);
    }
    tbody.append(h('tr', null, h('th', { scope: 'row' }, h('span', { text: c.name }),
      ...names.filter(Boolean).map((n) => h('div', { class: 'muted', text: n }))),
      h('td', { text: `${c.municipality_name || ''} (${c.municipality})` }),
      h('td', { text: area ? area.name : '–' }),
      h('td', { text: (c.languages || []).join(', ') }),
      h('td', { i18n: c.withdraw_on_edit ? 'centres.withdraw.yes' : 'centres.withdraw.no' })));
  }
  tableEl.append(tableBox(h('table', null,
    h('thead', null, h('tr', null, ...['name', 'municipality', 'area', 'languages', 'onEdit'].map((k) => h('th', { scope: 'col', i18n: `centres.col.${k}` })))),
    tbody), 'centres.caption'));
}

function form() {
  const name = h('input', { type: 'text', maxlength: maxChars('centre_name') });
  const shortName = h('input', { type: 'text', maxlength: maxChars('centre_short_name') });
  /* the names in the other languages, asked for the languages chosen */
  const other = {};
  for (const l of ['sv', 'en']) {
    const n = h('input', { type: 'text', maxlength: maxChars('centre_name'), lang: l });
    const sh = h('input', { type: 'text', maxlength: maxChars('centre_short_name'), lang: l });
    other[l] = {
      name: n, short: sh,
      el: h('fieldset', { hidden: true }, h('legend', { i18n: `centres.f.names.${l}` }),
        field({ id: `c-name-${l}`, label: 'centres.f.otherName', control: n }),
        field({ id: `c-short-${l}`, label: 'centres.f.shortName', hint: 'centres.f.shortName.hint', control: sh })),
    };
  }
  const muni = h('input', { type: 'text', inputmode: 'numeric', maxlength: '3', pattern: '[0-9]{3}', autocomplete: 'off' });
  const address = h('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
  const area = h('select', null, h('option', { value: '', i18n: 'centres.area.none' }), ...areas.map((a) => h('option', { value: String(a.id), text: a.name })));
  const langs = h('fieldset', null, h('legend', { i18n: 'centres.f.languages' }));
  for (const l of ['fi', 'sv', 'en']) {
    langs.append(h('div', { class: 'check' }, h('input', { type: 'checkbox', id: `c-lang-${l}`, value: l, checked: l === 'fi' }), h('label', { for: `c-lang-${l}`, i18n: `lang.${l}` })));
  }
  /* the first chosen language is `name`'s; each other one asks its name */
  const syncNames = () => {
    const chosen = [...langs.querySelectorAll('input:checked')].map((c) => c.value);
    for (const l of ['sv', 'en']) other[l].el.hidden = !chosen.includes(l) || chosen[0] === l;
  };
  langs.addEventListener('change', syncNames);
  const withdraw = h('input', { type: 'checkbox', id: 'c-withdraw', checked: true });
  const loop = h('input', { type: 'number', min: '1', max: '60', step: '1', value: '5', inputmode: 'numeric' });
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'centres.create' });
  const f = h('form', { novalidate: true },
    field({ id: 'c-name', label: 'centres.f.name', control: name }),
    field({ id: 'c-short', label: 'centres.f.shortName', hint: 'centres.f.shortName.hint', control: shortName }),
    field({ id: 'c-muni', label: 'centres.f.municipality', hint: 'centres.f.municipality.hint', control: muni }),
    field({ id: 'c-address', label: 'centres.f.address', control: address }),
    field({ id: 'c-area', label: 'centres.f.area', control: area }),
    langs,
    other.sv.el, other.en.el,
    field({ id: 'c-loop', label: 'centres.f.loop', hint: 'centres.f.loop.hint', control: loop }),
    h('div', { class: 'check' }, withdraw, h('label', { for: 'c-withdraw', i18n: 'centres.f.withdraw' })),
    h('div', { class: 'button-row' }, submit));
  const map = { name: 'c-name', short_name: 'c-short', municipality: 'c-muni', address: 'c-address', area_id: 'c-area', languages: 'c-lang-fi',
    'names.sv.name': 'c-name-sv', 'names.sv.short': 'c-short-sv', 'names.en.name': 'c-name-en', 'names.en.short': 'c-short-en', loop_s: 'c-loop' };
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const errs = [];
      if (!name.value.trim()) errs.push({ id: 'c-name', text: t('centres.err.name') });
      if (!/^\d{3}$/.test(muni.value.trim())) errs.push({ id: 'c-muni', text: t('centres.err.municipality') });
      const languages = [...langs.querySelectorAll('input:checked')].map((c) => c.value);
      if (!languages.length) errs.push({ id: 'c-lang-fi', text: t('centres.err.languages') });
      const loopMin = Number(loop.value);
      if (!Number.isInteger(loopMin) || loopMin < 1 || loopMin > 60) errs.push({ id: 'c-loop', text: t('centres.err.loop') });
      if (errs.length) {
        showErrors(f, errs);
        return;
      }
      clearErrors(f);
      const b = { name: name.value.trim(), municipality: muni.value.trim(), languages, withdraw_on_edit: withdraw.checked, loop_s: loopMin * 60 };
      if (shortName.value.trim()) b.short_name = shortName.value.trim();
      for (const l of languages.slice(1)) {
        if (!other[l] || !other[l].name.value.trim()) continue;
        b.names = b.names || {};
        b.names[l] = { name: other[l].name.value.trim() };
        if (other[l].short.value.trim()) b.names[l].short = other[l].short.value.trim();
      }
      if (address.value.trim()) b.address = address.value.trim();
      if (area.value) b.area_id = +area.value;
      try {
        await post('/centres', b);
        announce(t('centres.created', { name: b.name }));
        name.value = '';
        shortName.value = '';
        for (const l of ['sv', 'en']) {
          other[l].name.value = '';
          other[l].short.value = '';
        }
        muni.value = '';
        address.value = '';
        centres = (await get('/centres')).centres || [];
        render();
      } catch (e) {
        showErrors(f, apiErrors(e, (x) => map[x]));
      }
    });
  });
  return f;
}

boot({
  page: 'centres',
  allow: (me, r) => r.coordinator,
  render: async (content) => {
    content.append(h('h1', { i18n: 'centres.title' }));
    tableEl = h('div');
    try {
      [centres, areas] = await Promise.all([get('/centres').then((r) => r.centres || []), get('/areas').then((r) => r.areas || [])]);
    } catch (e) {
      content.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      return;
    }
    content.append(tableEl, h('h2', { i18n: 'centres.new' }), form());
    render();
    onLangChange(render);
  },
});
