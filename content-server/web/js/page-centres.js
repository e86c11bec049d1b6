/* page-centres.js (coordinator): the county's centres and a form to add
 * one: name, municipality code, address, languages of its screens, and
 * whether an edited item leaves the screens until approved again. */
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
    tbody.append(h('tr', null, h('th', { scope: 'row', text: c.name }),
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
  const muni = h('input', { type: 'text', inputmode: 'numeric', maxlength: '3', pattern: '[0-9]{3}', autocomplete: 'off' });
  const address = h('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
  const area = h('select', null, h('option', { value: '', i18n: 'centres.area.none' }), ...areas.map((a) => h('option', { value: String(a.id), text: a.name })));
  const langs = h('fieldset', null, h('legend', { i18n: 'centres.f.languages' }));
  for (const l of ['fi', 'sv', 'en']) {
    langs.append(h('div', { class: 'check' }, h('input', { type: 'checkbox', id: `c-lang-${l}`, value: l, checked: l === 'fi' }), h('label', { for: `c-lang-${l}`, i18n: `lang.${l}` })));
  }
  const withdraw = h('input', { type: 'checkbox', id: 'c-withdraw', checked: true });
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'centres.create' });
  const f = h('form', { novalidate: true },
    field({ id: 'c-name', label: 'centres.f.name', control: name }),
    field({ id: 'c-muni', label: 'centres.f.municipality', hint: 'centres.f.municipality.hint', control: muni }),
    field({ id: 'c-address', label: 'centres.f.address', control: address }),
    field({ id: 'c-area', label: 'centres.f.area', control: area }),
    langs,
    h('div', { class: 'check' }, withdraw, h('label', { for: 'c-withdraw', i18n: 'centres.f.withdraw' })),
    h('div', { class: 'button-row' }, submit));
  const map = { name: 'c-name', municipality: 'c-muni', address: 'c-address', area_id: 'c-area', languages: 'c-lang-fi' };
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const errs = [];
      if (!name.value.trim()) errs.push({ id: 'c-name', text: t('centres.err.name') });
      if (!/^\d{3}$/.test(muni.value.trim())) errs.push({ id: 'c-muni', text: t('centres.err.municipality') });
      const languages = [...langs.querySelectorAll('input:checked')].map((c) => c.value);
      if (!languages.length) errs.push({ id: 'c-lang-fi', text: t('centres.err.languages') });
      if (errs.length) {
        showErrors(f, errs);
        return;
      }
      clearErrors(f);
      const b = { name: name.value.trim(), municipality: muni.value.trim(), languages, withdraw_on_edit: withdraw.checked };
      if (address.value.trim()) b.address = address.value.trim();
      if (area.value) b.area_id = +area.value;
      try {
        await post('/centres', b);
        announce(t('centres.created', { name: b.name }));
        name.value = '';
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
